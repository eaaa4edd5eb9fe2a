/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";

// The statement at phone width (the test sets the browser to 390 px): nothing
// scrolls sideways, every cell is on screen, and the aging is a list of one
// bucket a line, each label beside its amount.
registry.category("web_tour.tours").add("customer_portal_invoices_statement_phone_tour", {
    url: "/my/statement",
    steps: () => [
        {
            content: "The statement fits the screen",
            trigger: ".o_portal_statement .o_statement_line .o_statement_line_balance",
            run() {
                const width = window.innerWidth;
                if (width > 400) {
                    throw new Error(`Not a phone: the window is ${width} px wide`);
                }
                const page = document.documentElement.scrollWidth;
                if (page > width) {
                    throw new Error(`The page scrolls sideways: ${page} px > ${width} px`);
                }
                const cells = document.querySelectorAll(
                    ".o_portal_statement td, .o_portal_statement th"
                );
                for (const cell of cells) {
                    const rect = cell.getBoundingClientRect();
                    if (rect.width && (rect.left < 0 || rect.right > width)) {
                        throw new Error(
                            `A cell is off screen: "${cell.textContent.trim()}" at ${rect.left}-${rect.right} px`
                        );
                    }
                }
                const labels = [
                    ...document.querySelectorAll(
                        ".o_statement_aging thead tr:nth-child(2) th"
                    ),
                ];
                const amounts = [...document.querySelectorAll(".o_statement_aging tbody td")];
                if (!labels.length || labels.length !== amounts.length) {
                    throw new Error("The aging has no bucket");
                }
                let previousTop = -Infinity;
                labels.forEach((label, index) => {
                    const labelRect = label.getBoundingClientRect();
                    const amountRect = amounts[index].getBoundingClientRect();
                    if (
                        Math.abs(labelRect.top - amountRect.top) > 2 ||
                        amountRect.left < labelRect.right - 1
                    ) {
                        throw new Error(
                            `Aging "${label.textContent.trim()}" is not beside its amount`
                        );
                    }
                    if (labelRect.top <= previousTop) {
                        throw new Error("The aging buckets are not one a line");
                    }
                    previousTop = labelRect.top;
                });
                document.body.classList.add("o_cpi_statement_phone_checked");
            },
        },
        {
            content: "The statement was checked",
            trigger: "body.o_cpi_statement_phone_checked",
        },
    ],
});
