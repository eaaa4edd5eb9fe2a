/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
   License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import publicWidget from "@web/legacy/js/public/public_widget";
import {rpc} from "@web/core/network/rpc";

/**
 * The account overview of /my: asked once the page is shown, as the
 * portal's document counters are (the `portal_account_overview` counter of
 * /my/counters answers the card rendered on the server, or "" when the
 * contact has no invoice access).
 */
publicWidget.registry.PortalHomeOverview = publicWidget.Widget.extend({
    selector: ".o_portal_home_overview",

    start() {
        const result = this._super(...arguments);
        this._loadOverview();
        return result;
    },

    async _loadOverview() {
        let overview = "";
        try {
            const values = await rpc("/my/counters", {
                counters: ["portal_account_overview"],
            });
            overview = values.portal_account_overview || "";
        } catch {
            // The server logged why; the home page stays usable without
            // the card, as without a counter that failed.
        }
        // The card as the server rendered it (escaped by QWeb), or nothing:
        // the loading line never stays.
        this.el.innerHTML = overview;
        this.el.removeAttribute("aria-busy");
    },
});
