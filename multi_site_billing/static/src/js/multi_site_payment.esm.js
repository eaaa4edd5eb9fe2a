/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
   License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import PaymentForm from "@payment/js/payment_form";
import publicWidget from "@web/legacy/js/public/public_widget";

const PAGE_SELECTOR = "#o_payment_allocation_page";
const TRANSACTION_ROUTE = "/my/invoices/pay/transaction";
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

function selectedAmount(page) {
    let total = 0;
    for (const residual of checkedResiduals(page).values()) {
        total += residual;
    }
    const digits = parseInt(page.dataset.currencyDigits) || 2;
    return parseFloat(total.toFixed(digits));
}

function isSelectMode(page) {
    const mode = page.querySelector("input[name='o_payment_allocation_mode']:checked");
    return mode && mode.value === "select" && page.dataset.selectAll !== "1";
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

    _refresh() {
        this._super(...arguments);
        if (isSelectMode(this.el) && this.el.querySelector(".o_multi_site_pay_parents")) {
            const amount = selectedAmount(this.el);
            const digits = parseInt(this.el.dataset.currencyDigits) || 2;
            const symbol = this.el.dataset.currencySymbol || "";
            const value = amount.toFixed(digits);
            this.el.querySelector(".o_payment_allocation_amount").textContent =
                this.el.dataset.currencyPosition === "before"
                    ? `${symbol}\u00a0${value}`
                    : `${value}\u00a0${symbol}`;
        }
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

PaymentForm.include({
    /**
     * Send the ticked parents (the server pays their open invoices) and the
     * other ticked invoices once each, with the amount the customer saw.
     *
     * @override
     */
    _prepareTransactionRouteParams() {
        const params = this._super(...arguments);
        const page = document.querySelector(PAGE_SELECTOR);
        if (
            page &&
            page.querySelector(".o_multi_site_pay_parents") &&
            this.paymentContext.transactionRoute === TRANSACTION_ROUTE &&
            isSelectMode(page)
        ) {
            const parentIds = checkedParentIds(page);
            params.invoice_ids = [...checkedResiduals(page).keys()];
            if (parentIds.length) {
                params.parent_ids = parentIds;
            }
            params.amount = selectedAmount(page);
        }
        return params;
    },
});
