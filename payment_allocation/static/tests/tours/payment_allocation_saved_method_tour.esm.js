/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
   License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// See payment_allocation_tour.esm.js: navigating steps declare their unload
// on the 18.0 builds that know the key.
const UNLOAD = "expectUnloadPage" in stepUtils.goToUrl("/") ? {expectUnloadPage: true} : {};

const goTo = (url) => ({...stepUtils.goToUrl(url), ...UNLOAD});

const payAndWaitForReceipt = [
    {
        content: "Pay",
        trigger: "button[name='o_payment_submit_button']:enabled",
        run: "click",
        ...UNLOAD,
    },
    {
        content: "The receipt shows the confirmed payment",
        trigger: ".o_payment_allocation_receipt .o_payment_allocation_done",
        timeout: 30000,
    },
];

registry.category("web_tour.tours").add("payment_allocation_saved_method_tour", {
    url: "/my/invoices/pay",
    steps: () => [
        {
            content: "Select the oldest invoice",
            trigger: ".o_payment_allocation_row:nth-child(1) .o_payment_allocation_check",
            run: "click",
        },
        {
            content: "The amount selected is its residual",
            trigger: ".o_payment_allocation_amount:contains('100.00')",
        },
        {
            content: "No saved method yet: the Demo provider's form is open",
            trigger: "input[name='o_payment_radio'][data-payment-option-type='payment_method']:checked",
        },
        {
            content: "Type the card details (test data)",
            trigger: "#customer_input",
            run: "edit 4242424242424242",
        },
        {
            content: "Save my payment details",
            trigger: "input[name='o_payment_tokenize_checkbox']",
            run: "click",
        },
        ...payAndWaitForReceipt,
        goTo("/my/payment_method"),
        {
            content: "The saved method is listed among my payment methods",
            trigger: "#o_payment_tokens_heading",
        },
        {
            content: "Choose it as my default method",
            trigger: "select.o_payment_allocation_default_select",
            run: "selectByIndex 1",
        },
        {
            content: "Make it my default method",
            trigger: "button[name='o_payment_allocation_default_submit']",
            run: "click",
            ...UNLOAD,
        },
        {
            content: "It is marked as the default",
            trigger: ".o_payment_allocation_default_badge",
        },
        goTo("/my/invoices/pay"),
        {
            content: "Select the next invoice",
            trigger: ".o_payment_allocation_row:nth-child(1) .o_payment_allocation_check",
            run: "click",
        },
        {
            content: "The amount selected is its residual",
            trigger: ".o_payment_allocation_amount:contains('200.00')",
        },
        {
            content: "The saved method is selected",
            trigger: "input[name='o_payment_radio'][data-payment-option-type='token']:checked",
        },
        ...payAndWaitForReceipt,
    ],
});
