/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
   License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import {extendSelection} from "@payment_allocation/js/payment_allocation_page.esm";
import publicWidget from "@web/legacy/js/public/public_widget";

const CHECKS = ".o_payment_allocation_check, .o_multi_site_child_check";

/**
 * The invoices ticked on the page, once each (an invoice of a parent can be
 * ticked in the invoice table and under its parent): id -> amount due.
 */
function checkedResiduals(page) {
    const residuals = new Map();
    for (const input of page.querySelectorAll(`${CHECKS}`)) {
        if (input.checked) {
            residuals.set(
                parseInt(input.value),
                parseFloat(input.closest("tr").dataset.residual) || 0
            );
        }
    }
    return residuals;
}

function checkedParentIds(page) {
    return [...page.querySelectorAll(".o_multi_site_parent_check:checked")].map((input) =>
        parseInt(input.value)
    );
}

publicWidget.registry.PaymentAllocationPage.include({
    events: Object.assign({}, publicWidget.registry.PaymentAllocationPage.prototype.events, {
        "change .o_multi_site_parent_check": "_onParentCheck",
        "change .o_multi_site_child_check": "_onChildCheck",
    }),

    start() {
        // a parent ticked on arrival (its Pay button): its invoices too
        for (const input of this.el.querySelectorAll(".o_multi_site_parent_check:checked")) {
            this._checkParent(input);
        }
        return this._super(...arguments);
    },

    /** Tick or untick the same invoice wherever the page lists it. */
    _syncInvoice(invoiceId, checked) {
        for (const input of this.el.querySelectorAll(CHECKS)) {
            if (parseInt(input.value) === invoiceId) {
                input.checked = checked;
            }
        }
    },

    /** A parent is ticked when all its listed invoices are. */
    _syncParents() {
        for (const parent of this.el.querySelectorAll(".o_multi_site_parent_check")) {
            const children = this.el.querySelectorAll(
                `.o_multi_site_child_check[data-parent-id='${parent.value}']`
            );
            parent.checked =
                children.length > 0 && [...children].every((input) => input.checked);
        }
    },

    _checkParent(input) {
        for (const child of this.el.querySelectorAll(
            `.o_multi_site_child_check[data-parent-id='${input.value}']`
        )) {
            this._syncInvoice(parseInt(child.value), input.checked);
        }
    },

    _onParentCheck(ev) {
        this._checkParent(ev.currentTarget);
        this._setSelectAll(false);
        this._refresh();
    },

    _onChildCheck(ev) {
        this._syncInvoice(parseInt(ev.currentTarget.value), ev.currentTarget.checked);
        this._syncParents();
        this._setSelectAll(false);
        this._refresh();
    },

    _onCheck(ev) {
        if (ev && ev.currentTarget) {
            this._syncInvoice(parseInt(ev.currentTarget.value), ev.currentTarget.checked);
            this._syncParents();
        }
        return this._super(...arguments);
    },

    _onSelectPage() {
        const result = this._super(...arguments);
        for (const input of this.el.querySelectorAll(".o_payment_allocation_check")) {
            this._syncInvoice(parseInt(input.value), input.checked);
        }
        this._syncParents();
        this._refresh();
        return result;
    },

    _onClear() {
        for (const input of this.el.querySelectorAll(
            ".o_multi_site_parent_check, .o_multi_site_child_check"
        )) {
            input.checked = false;
        }
        return this._super(...arguments);
    },
});

/**
 * The selection the page sends to the server (preview, transaction): the
 * ticked parents (the server pays their open invoices) and the ticked
 * invoices once each. The server computes the amount.
 */
extendSelection((page, selection) => {
    if (
        selection.mode === "select" &&
        !selection.select_all &&
        page.querySelector(".o_multi_site_pay_parents")
    ) {
        const parentIds = checkedParentIds(page);
        selection.invoice_ids = [...checkedResiduals(page).keys()];
        if (parentIds.length) {
            selection.parent_ids = parentIds;
        }
    }
});
