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

registry.category("web_tour.tours").add("customer_portal_invoices_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The account overview shows the balance due",
            trigger: ".o_portal_account_overview .o_portal_overview_balance_due:contains('830.00')",
        },
        {
            content: "and the overdue balance",
            trigger: ".o_portal_account_overview .o_portal_overview_overdue_balance:contains('500.00')",
        },
        {
            content: "Go to the invoice list",
            trigger: ".o_portal_account_overview .o_portal_overview_open_count a",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The invoice list shows the overview too",
            trigger: ".o_portal_account_overview .o_portal_overview_unapplied_credit:contains('130.00')",
        },
        {
            content: "Open the filters",
            trigger: "#portal_searchbar_filters",
            run: "click",
        },
        {
            content: "Filter the overdue invoices",
            trigger: ".dropdown-menu a.dropdown-item[href*='filterby=overdue_invoices']",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "Only overdue invoices are listed, the company's included",
            trigger:
                "tbody:has(.o_portal_invoice_status[data-status='overdue']):not(:has(.o_portal_invoice_status:not([data-status='overdue'])))",
        },
        {
            content: "Search a payment reference",
            trigger: ".o_portal_search_panel input[name='search']",
            run: "edit RF-OVERDUE-9931",
        },
        {
            content: "Submit the search",
            trigger: ".o_portal_search_panel button[type='submit']",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The invoice found is overdue by 15 days",
            trigger:
                "tbody:not(:has(tr + tr)) tr:contains('RF-OVERDUE-9931') .o_portal_invoice_status[data-status='overdue']:contains('15 days')",
        },
        {
            content: "Open the invoice",
            trigger: "tbody tr:contains('RF-OVERDUE-9931') td:first-child a",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The invoice page shows its status",
            trigger: ".o_portal_invoice_sidebar .o_portal_invoice_status[data-status='overdue']",
        },
        {
            content: "Download the PDF",
            trigger: "a.o_download_btn[href*='report_type=pdf'][href*='download=true']",
            async run() {
                const response = await fetch(this.anchor.getAttribute("href"));
                const disposition = response.headers.get("Content-Disposition") || "";
                if (!response.ok || !disposition.includes(".pdf")) {
                    throw new Error(
                        `PDF download failed: ${response.status} ${disposition}`
                    );
                }
                document.body.classList.add("o_cpi_pdf_downloaded");
            },
        },
        {
            content: "The PDF was downloaded",
            trigger: "body.o_cpi_pdf_downloaded",
        },
    ],
});
