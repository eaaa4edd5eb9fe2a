/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";

// My Invoices at phone width (the test sets the browser to 390 px): nothing
// scrolls sideways, every amount is on screen.
registry.category("web_tour.tours").add("customer_portal_invoices_phone_tour", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "The list shows its documents",
            trigger: ".o_portal_invoice_list tbody tr td[name='amount_due']",
            run() {
                const width = window.innerWidth;
                const page = document.documentElement.scrollWidth;
                if (page > width) {
                    throw new Error(`The page scrolls sideways: ${page} px > ${width} px`);
                }
                const list = document.querySelector(".o_portal_invoice_list");
                if (list.scrollWidth > list.clientWidth) {
                    throw new Error(
                        `The list scrolls sideways: ${list.scrollWidth} px > ${list.clientWidth} px`
                    );
                }
                const amounts = list.querySelectorAll(
                    "tbody td[name='invoice_total'], tbody td[name='amount_due']"
                );
                if (!amounts.length) {
                    throw new Error("No amount in the list");
                }
                for (const cell of amounts) {
                    const rect = cell.getBoundingClientRect();
                    if (!rect.width || rect.left < 0 || rect.right > width) {
                        throw new Error(
                            `An amount is off screen: "${cell.textContent.trim()}" at ${rect.left}-${rect.right} px`
                        );
                    }
                }
                document.body.classList.add("o_cpi_phone_layout_checked");
            },
        },
        {
            content: "Every amount is in sight",
            trigger: "body.o_cpi_phone_layout_checked",
        },
    ],
});
