/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// A step that leaves the page must say so on the 18.0 builds that know the
// "expectUnloadPage" key; older 18.0 builds reject the key and detect the
// unload by themselves. Odoo's own goToUrl step carries the key only where
// it is known: ask it.
const UNLOAD = "expectUnloadPage" in stepUtils.goToUrl("/") ? {expectUnloadPage: true} : {};

registry.category("web_tour.tours").add("customer_portal_invoices_statement_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the statement of account from the portal home",
            trigger: ".o_portal_index_card a[href='/my/statement']",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The statement shows the closing balance of the default period",
            trigger: ".o_statement_currency[data-currency='USD'] .o_statement_closing_balance",
        },
        {
            content: "Start the period in 2000",
            trigger: ".o_portal_statement_period input[name='date_from']",
            run() {
                // a date input takes its value as is, not typed characters
                this.anchor.value = "2000-01-01";
            },
        },
        {
            content: "Show the new period",
            trigger: ".o_portal_statement_period button[type='submit']",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The statement covers the new period: nothing before it",
            trigger: ".o_statement_date_from:contains('2000')",
        },
        {
            content: "The oldest invoice is listed, with the whole history",
            trigger: ".o_statement_currency[data-currency='USD'] .o_statement_line_name:contains('INV/')",
        },
        {
            content: "Download the PDF of this period",
            trigger: "a.o_portal_statement_download[href*='date_from=2000-01-01']",
            async run() {
                const response = await fetch(this.anchor.getAttribute("href"));
                const disposition = response.headers.get("Content-Disposition") || "";
                const type = response.headers.get("Content-Type") || "";
                if (!response.ok || !disposition.includes(".pdf") || type !== "application/pdf") {
                    throw new Error(
                        `Statement download failed: ${response.status} ${type} ${disposition}`
                    );
                }
                document.body.classList.add("o_cpi_statement_downloaded");
            },
        },
        {
            content: "The PDF was downloaded",
            trigger: "body.o_cpi_statement_downloaded",
        },
    ],
});
