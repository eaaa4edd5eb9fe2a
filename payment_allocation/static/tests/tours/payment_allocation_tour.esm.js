/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
   License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// A step that leaves the page must say so on the 18.0 builds that know the
// "expectUnloadPage" key; older 18.0 builds reject the key and detect the
// unload by themselves. Odoo's own goToUrl step carries the key only where
// it is known: ask it.
const UNLOAD = "expectUnloadPage" in stepUtils.goToUrl("/") ? {expectUnloadPage: true} : {};

const payAndWaitForReceipt = [
    {
        content: "Pay with the selected payment method",
        trigger: "button[name='o_payment_submit_button']:enabled",
        run: "click",
        ...UNLOAD,
    },
    {
        content: "The receipt shows the confirmed payment",
        trigger: ".o_payment_allocation_receipt .o_payment_allocation_done",
        // Paying and reconciling 200 invoices takes a while.
        timeout: 60000,
    },
    {
        content: "The receipt shows the allocation",
        trigger: ".o_payment_allocation_receipt .o_payment_allocation_breakdown tbody tr",
    },
];

registry.category("web_tour.tours").add("payment_allocation_select_tour", {
    url: "/my/invoices/pay",
    steps: () => [
        {
            content: "Select the first invoice",
            trigger: ".o_payment_allocation_row:nth-child(1) .o_payment_allocation_check",
            run: "click",
        },
        {
            content: "Select the second invoice",
            trigger: ".o_payment_allocation_row:nth-child(2) .o_payment_allocation_check",
            run: "click",
        },
        {
            content: "Select the third invoice",
            trigger: ".o_payment_allocation_row:nth-child(3) .o_payment_allocation_check",
            run: "click",
        },
        {
            content: "The amount selected is the sum of their residuals",
            trigger: ".o_payment_allocation_amount:contains('600.00')",
        },
        ...payAndWaitForReceipt,
    ],
});

registry.category("web_tour.tours").add("payment_allocation_custom_tour", {
    url: "/my/invoices/pay",
    steps: () => [
        {
            content: "Pay a custom amount",
            trigger: "#o_payment_allocation_mode_custom",
            run: "click",
        },
        {
            content: "Type the amount",
            trigger: "#o_payment_allocation_custom_amount",
            run: "edit 450",
        },
        {
            content: "The preview applies it to three invoices, the last partially",
            trigger:
                ".o_payment_allocation_preview_table tbody tr:nth-child(3):contains('partial')",
        },
        {
            content: "The amount selected is the custom amount",
            trigger: ".o_payment_allocation_amount:contains('450.00')",
        },
        ...payAndWaitForReceipt,
    ],
});

registry.category("web_tour.tours").add("payment_allocation_select_all_tour", {
    url: "/my/invoices/pay",
    steps: () => [
        {
            content: "Select all open invoices (more than 200)",
            trigger: ".o_payment_allocation_select_all",
            run: "click",
        },
        {
            content: "The page warns about the limit",
            trigger: ".o_payment_allocation_all_note:contains('at most 200')",
        },
        {
            content: "Try to pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
        },
        {
            content: "The server refuses more than 200 invoices",
            trigger: ".modal-body:contains('at most 200')",
        },
        {
            content: "Close the error",
            trigger: ".modal-footer button",
            run: "click",
        },
        {
            content: "Filter the overdue invoices",
            trigger: ".o_payment_allocation_filter_overdue",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "Select all overdue invoices (200)",
            trigger: "#o_payment_allocation_page[data-filterby='overdue'] .o_payment_allocation_select_all",
            run: "click",
        },
        ...payAndWaitForReceipt,
    ],
});
