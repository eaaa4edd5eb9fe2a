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

/**
 * Nothing of the page is wider than the phone screen: the document does not
 * scroll sideways and neither does the invoice table inside its container.
 */
function assertNoSidewaysScroll() {
    const width = window.innerWidth;
    const pageWidth = document.documentElement.scrollWidth;
    if (pageWidth > width) {
        throw new Error(`The page is ${pageWidth}px wide on a ${width}px screen.`);
    }
    for (const box of document.querySelectorAll(
        "#o_payment_allocation_page .table-responsive"
    )) {
        if (box.scrollWidth > box.clientWidth) {
            throw new Error(
                `A table is ${box.scrollWidth}px wide in a ${box.clientWidth}px box.`
            );
        }
    }
}

registry.category("web_tour.tours").add("payment_allocation_phone_tour", {
    url: "/my/invoices/pay",
    steps: () => [
        {
            content: "The amount due of the first invoice is on screen",
            trigger: ".o_payment_allocation_row:nth-child(1) .o_payment_allocation_amount_due",
        },
        {
            content: "No sideways scrolling at phone width",
            trigger: ".o_payment_allocation_row:nth-child(1) .o_payment_allocation_check",
            run: assertNoSidewaysScroll,
        },
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
            content: "The amount selected, formatted by the server",
            trigger: ".o_payment_allocation_amount:contains('1,300.00')",
        },
        {
            content: "Still no sideways scrolling",
            trigger: ".o_payment_allocation_amount:contains('1,300.00')",
            run: assertNoSidewaysScroll,
        },
        ...payAndWaitForReceipt,
    ],
});

registry.category("web_tour.tours").add("payment_allocation_custom_error_tour", {
    url: "/my/invoices/pay",
    steps: () => [
        {
            content: "Pay a custom amount",
            trigger: "#o_payment_allocation_mode_custom",
            run: "click",
        },
        {
            content: "Type a negative amount",
            trigger: "#o_payment_allocation_custom_amount",
            run: "edit -5",
        },
        {
            content: "A clear inline error, no negative amount shown",
            trigger: ".o_payment_allocation_custom_error:contains('greater than zero')",
        },
        {
            content: "The amount selected is not a negative amount",
            trigger: ".o_payment_allocation_amount:not(:contains('-5'))",
        },
        {
            content: "Type a valid amount with the thousands separator",
            trigger: "#o_payment_allocation_custom_amount",
            run: "edit 1,050.50",
        },
        {
            content: "The error is gone and the server's amount shows",
            trigger: ".o_payment_allocation_amount:contains('1,050.50')",
        },
        {
            content: "The input is no longer invalid",
            trigger: "#o_payment_allocation_custom_amount:not(.is-invalid)",
        },
    ],
});

registry.category("web_tour.tours").add("payment_allocation_credit_tour", {
    url: "/my/invoices/pay",
    steps: () => [
        {
            content: "Credits are offered, on by default",
            trigger: "#o_payment_allocation_apply_credit:checked",
        },
        {
            content: "Select the oldest invoice, which the credits cover",
            trigger: ".o_payment_allocation_row:nth-child(1) .o_payment_allocation_check",
            run: "click",
        },
        {
            content: "Nothing to charge: the credits pay it",
            trigger: ".o_payment_allocation_preview_credit:contains('100.00')",
        },
        {
            content: "Apply the credits instead of paying",
            trigger: ".o_payment_allocation_apply_credit_button",
            run: "click",
        },
        {
            content: "The confirmation says nothing was charged",
            trigger: ".o_payment_allocation_credit_done:contains('Nothing was charged')",
        },
    ],
});

registry.category("web_tour.tours").add("payment_allocation_credit_charge_tour", {
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
            content: "The credits are deducted from the amount to charge",
            trigger: ".o_payment_allocation_amount:contains('150.00')",
        },
        ...payAndWaitForReceipt,
    ],
});
