/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
   License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("multi_site_billing_company_tour", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "The parent invoice is one row, its children are folded",
            trigger:
                ".o_portal_parent_invoice_row .o_portal_parent_invoice_counts:contains('3 invoices')",
        },
        {
            content: "Expand the parent invoice",
            trigger: ".o_portal_parent_invoice_row .o_portal_parent_invoice_toggle",
            run: "click",
        },
        {
            content: "Its three children are shown, one per site",
            trigger: ".o_portal_parent_child_row.show .o_portal_child_site:contains('S02')",
        },
        {
            content: "Open the parent invoice",
            trigger: ".o_portal_parent_invoice_row a[href*='/my/parent_invoices/']",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The parent page lists the children by site",
            trigger:
                ".o_portal_parent_invoice_page .o_portal_parent_invoice_site[data-site-code='E03']",
        },
        {
            content: "The total covers every site",
            trigger: ".o_portal_parent_invoice_total:contains('600.00')",
        },
    ],
});

registry.category("web_tour.tours").add("multi_site_billing_site_tour", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "The site contact sees the parent with its site's invoice only",
            trigger:
                ".o_portal_parent_invoice_row .o_portal_parent_invoice_counts:contains('1 invoice,')",
        },
        {
            content: "Expand the parent invoice",
            trigger: ".o_portal_parent_invoice_row .o_portal_parent_invoice_toggle",
            run: "click",
        },
        {
            content: "Only the North site's invoice is listed",
            trigger: ".o_portal_parent_child_row.show .o_portal_child_site:contains('N01')",
        },
        {
            content: "No other site's invoice",
            trigger: "body:not(:has(.o_portal_child_site:contains('S02')))",
        },
        {
            content: "Open the parent invoice",
            trigger: ".o_portal_parent_invoice_row a[href*='/my/parent_invoices/']",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The parent page shows the North site",
            trigger: ".o_portal_parent_invoice_site[data-site-code='N01']",
        },
        {
            content: "and no other site",
            trigger:
                ".o_portal_parent_invoice_page:not(:has(.o_portal_parent_invoice_site[data-site-code='S02']))",
        },
        {
            content: "Its share of the parent only",
            trigger: ".o_portal_parent_invoice_total:contains('100.00')",
        },
    ],
});

// A step that leaves the page must say so on the 18.0 builds that know the
// "expectUnloadPage" key; older 18.0 builds reject it (see payment_allocation).
const UNLOAD = "expectUnloadPage" in stepUtils.goToUrl("/") ? {expectUnloadPage: true} : {};

registry.category("web_tour.tours").add("multi_site_billing_pay_parent_tour", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "Expand the parent invoice",
            trigger: ".o_portal_parent_invoice_row .o_portal_parent_invoice_toggle",
            run: "click",
        },
        {
            content: "Its children are listed",
            trigger: ".o_portal_parent_child_row.show .o_portal_child_site:contains('E03')",
        },
        {
            content: "Pay the parent invoice",
            trigger: ".o_portal_parent_invoice_row .o_portal_parent_invoice_pay",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The Make a Payment page opens with the parent ticked",
            trigger: ".o_multi_site_parent_row .o_multi_site_parent_check:checked",
        },
        {
            content: "Expand it: its three invoices are ticked",
            trigger: ".o_multi_site_parent_toggle",
            run: "click",
        },
        {
            content: "The invoice of the East site is ticked",
            trigger: ".o_multi_site_child_row.show:contains('E03') .o_multi_site_child_check:checked",
        },
        {
            content: "The amount selected is the parent's amount due",
            trigger: ".o_payment_allocation_amount:contains('600.00')",
        },
        {
            content: "Pay with the selected payment method",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The receipt shows the confirmed payment",
            trigger: ".o_payment_allocation_receipt .o_payment_allocation_done",
            timeout: 60000,
        },
        {
            content: "Back to the invoices",
            trigger: ".o_portal_submenu a[href='/my/invoices']",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The parent invoice is paid",
            trigger:
                ".o_portal_parent_invoice_row .o_portal_invoice_status[data-status='paid']",
        },
    ],
});
