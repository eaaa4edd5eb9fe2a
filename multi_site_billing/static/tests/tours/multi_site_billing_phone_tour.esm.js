/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
   License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import {registry} from "@web/core/registry";

// Each text of the element on one line: no number, date, amount or heading
// broken in two.
function isOneLine(element) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) {
            continue;
        }
        const range = document.createRange();
        range.selectNodeContents(node);
        const tops = new Set(
            [...range.getClientRects()]
                .filter((rect) => rect.width)
                .map((rect) => Math.round(rect.top))
        );
        if (tops.size > 1) {
            return false;
        }
    }
    return true;
}

// The parent invoice page at phone width (the test sets the browser to
// 390 px): nothing scrolls sideways, no number, date, amount or heading is
// broken, and each row's Pay button is on screen.
registry.category("web_tour.tours").add("multi_site_billing_parent_phone_tour", {
    steps: () => [
        {
            content: "The parent invoice page fits the screen",
            trigger: ".o_portal_parent_invoice_child .o_portal_child_pay",
            run() {
                const width = window.innerWidth;
                if (width > 400) {
                    throw new Error(`Not a phone: the window is ${width} px wide`);
                }
                const page = document.documentElement.scrollWidth;
                if (page > width) {
                    throw new Error(`The page scrolls sideways: ${page} px > ${width} px`);
                }
                const texts = document.querySelectorAll(
                    ".o_portal_parent_invoice_site th, .o_portal_parent_invoice_child td.text-nowrap, .o_portal_parent_invoice_site .card-header > span"
                );
                for (const element of texts) {
                    if (element.offsetParent && !isOneLine(element)) {
                        throw new Error(`Broken in two: "${element.textContent.trim()}"`);
                    }
                }
                const buttons = document.querySelectorAll(".o_portal_child_pay");
                for (const button of buttons) {
                    const rect = button.getBoundingClientRect();
                    const card = button.closest(".card").getBoundingClientRect();
                    if (!rect.width || rect.left < card.left || rect.right > card.right) {
                        throw new Error(
                            `A Pay button is cut off: ${rect.left}-${rect.right} px in ${card.left}-${card.right} px`
                        );
                    }
                }
                document.body.classList.add("o_msb_parent_phone_checked");
            },
        },
        {
            content: "The page was checked",
            trigger: "body.o_msb_parent_phone_checked",
        },
    ],
});
