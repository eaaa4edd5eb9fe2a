/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// See portal_statement_tour.js: the unload key only where the build knows it.
const UNLOAD = "expectUnloadPage" in stepUtils.goToUrl("/") ? {expectUnloadPage: true} : {};

// Started on the portal page of an open invoice of the customer.
registry.category("web_tour.tours").add("customer_portal_invoices_query_tour", {
    steps: () => [
        {
            content: "The invoice is not queried yet",
            trigger: "#invoice_content:not(:has(.o_portal_invoice_queried))",
        },
        {
            content: "Open the query form",
            trigger: ".o_portal_invoice_query_toggle",
            run: "click",
        },
        {
            content: "Choose the reason",
            trigger: "#portal_invoice_query_form.show select[name='reason_id']",
            run: "selectByLabel Wrong amount",
        },
        {
            content: "Say what is wrong",
            trigger: "#portal_invoice_query_form textarea[name='message']",
            run: "edit The discount we agreed on is missing.",
        },
        {
            content: "Send the query",
            trigger: ".o_portal_invoice_query_submit",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "The page thanks the customer",
            trigger: ".o_portal_invoice_query_message.alert-success",
        },
        {
            content: "The invoice shows Queried",
            trigger: ".o_portal_invoice_queried",
        },
        {
            content: "The query is listed with its message",
            trigger: ".o_portal_invoice_query_item[data-state='open']:contains('The discount we agreed on is missing.')",
        },
        {
            content: "The form is gone: the invoice is queried already",
            trigger: "#portal_invoice_query:not(:has(.o_portal_invoice_query_toggle))",
        },
    ],
});
