/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
   License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import PaymentForm from "@payment/js/payment_form";
import publicWidget from "@web/legacy/js/public/public_widget";
import {parseFloat as parseLocaleFloat} from "@web/views/fields/parsers";
import {rpc} from "@web/core/network/rpc";
import {_t} from "@web/core/l10n/translation";

const PAGE_SELECTOR = "#o_payment_allocation_page";
const TRANSACTION_ROUTE = "/my/invoices/pay/transaction";

/**
 * An amount typed by the customer, read in the user's language (decimal
 * point and thousands separator): NaN when it is not a number.
 */
function parseAmount(text) {
    try {
        return parseLocaleFloat(text);
    } catch {
        return NaN;
    }
}

/**
 * The amount typed in ``input`` for the server: a plain number when it can be
 * read, else the text as typed (the server answers with a sentence).
 */
function typedAmount(input) {
    const text = input.value.trim();
    const number = parseAmount(text);
    return text && !isNaN(number) ? String(number) : text;
}

/**
 * What the customer chose on the payment page, as sent to the server. The
 * server recomputes everything from it; the amount is only what the customer
 * saw, checked against the server's own computation.
 */
function getSelection(page) {
    const dataset = page.dataset;
    const mode = page.querySelector("input[name='o_payment_allocation_mode']:checked").value;
    const selection = {
        mode,
        currency_id: parseInt(dataset.currencyId),
        company_id: parseInt(dataset.companyId),
        filterby: dataset.filterby,
        search: dataset.search,
    };
    if (mode === "custom") {
        selection.custom_amount = typedAmount(
            page.querySelector("#o_payment_allocation_custom_amount")
        );
    } else if (page.dataset.selectAll === "1") {
        selection.select_all = true;
    } else {
        selection.invoice_ids = [
            ...page.querySelectorAll(".o_payment_allocation_check:checked"),
        ].map((input) => parseInt(input.value));
    }
    return selection;
}

function getAmount(page) {
    const selection = getSelection(page);
    if (selection.mode === "custom") {
        const input = page.querySelector("#o_payment_allocation_custom_amount");
        return parseAmount(input.value.trim()) || 0;
    }
    if (selection.select_all) {
        return parseFloat(page.dataset.filterTotal) || 0;
    }
    let total = 0;
    for (const input of page.querySelectorAll(".o_payment_allocation_check:checked")) {
        total += parseFloat(input.closest("tr").dataset.residual) || 0;
    }
    const digits = parseInt(page.dataset.currencyDigits) || 2;
    return parseFloat(total.toFixed(digits));
}

function formatAmount(page, amount) {
    const digits = parseInt(page.dataset.currencyDigits) || 2;
    const value = amount.toFixed(digits);
    const symbol = page.dataset.currencySymbol || "";
    return page.dataset.currencyPosition === "before"
        ? `${symbol}\u00a0${value}`
        : `${value}\u00a0${symbol}`;
}

publicWidget.registry.PaymentAllocationPage = publicWidget.Widget.extend({
    selector: PAGE_SELECTOR,
    events: {
        "change input[name='o_payment_allocation_mode']": "_onModeChange",
        "change .o_payment_allocation_check": "_onCheck",
        "change .o_payment_allocation_select_page": "_onSelectPage",
        "click .o_payment_allocation_select_all": "_onSelectAll",
        "click .o_payment_allocation_clear": "_onClear",
        "input #o_payment_allocation_custom_amount": "_onCustomAmount",
    },

    start() {
        this._previewTimer = null;
        this._refresh();
        return this._super(...arguments);
    },

    _refresh() {
        const amount = getAmount(this.el);
        this.el.querySelector(".o_payment_allocation_amount").textContent = formatAmount(
            this.el,
            amount
        );
    },

    _onModeChange() {
        const mode = getSelection(this.el).mode;
        this.el
            .querySelector(".o_payment_allocation_custom")
            .classList.toggle("d-none", mode !== "custom");
        this.el
            .querySelector(".o_payment_allocation_select")
            .classList.toggle("d-none", mode !== "select");
        this._refresh();
        if (mode === "custom") {
            this._preview();
        }
    },

    _setSelectAll(value) {
        this.el.dataset.selectAll = value ? "1" : "0";
        this.el
            .querySelector(".o_payment_allocation_all_note")
            .classList.toggle("d-none", !value);
    },

    _onCheck() {
        this._setSelectAll(false);
        this._refresh();
    },

    _onSelectPage(ev) {
        this._setSelectAll(false);
        for (const input of this.el.querySelectorAll(".o_payment_allocation_check")) {
            input.checked = ev.currentTarget.checked;
        }
        this._refresh();
    },

    _onSelectAll() {
        for (const input of this.el.querySelectorAll(".o_payment_allocation_check")) {
            input.checked = true;
        }
        this.el.querySelector(".o_payment_allocation_select_page").checked = true;
        this._setSelectAll(true);
        this._refresh();
    },

    _onClear() {
        for (const input of this.el.querySelectorAll(
            ".o_payment_allocation_check, .o_payment_allocation_select_page"
        )) {
            input.checked = false;
        }
        this._setSelectAll(false);
        this._refresh();
    },

    _onCustomAmount() {
        this._refresh();
        clearTimeout(this._previewTimer);
        this._previewTimer = setTimeout(() => this._preview(), 300);
    },

    /**
     * Ask the server how the custom amount is applied, oldest invoice first.
     */
    async _preview() {
        const container = this.el.querySelector(".o_payment_allocation_preview");
        const selection = getSelection(this.el);
        if (!selection.custom_amount) {
            container.replaceChildren();
            return;
        }
        const result = await rpc("/my/invoices/pay/preview", selection);
        if (getSelection(this.el).custom_amount !== selection.custom_amount) {
            return; // The customer typed again meanwhile.
        }
        if (result.error) {
            const alert = document.createElement("div");
            alert.className = "alert alert-warning o_payment_allocation_preview_error";
            alert.textContent = result.error;
            container.replaceChildren(alert);
            return;
        }
        const table = document.createElement("table");
        table.className = "table table-sm o_payment_allocation_preview_table";
        const head = table.createTHead().insertRow();
        for (const label of [_t("Invoice"), _t("Due Date"), _t("Amount Due"), _t("Paid")]) {
            const th = document.createElement("th");
            th.textContent = label;
            head.appendChild(th);
        }
        const body = table.createTBody();
        for (const line of result.lines) {
            const row = body.insertRow();
            row.className = "o_payment_allocation_preview_line";
            const cells = [
                line.name,
                line.due_date || "",
                line.residual_display,
                line.partial
                    ? `${line.amount_display} (${_t("partial")})`
                    : line.amount_display,
            ];
            for (const text of cells) {
                row.insertCell().textContent = text;
            }
        }
        container.replaceChildren(table);
    },
});

PaymentForm.include({
    /**
     * Send the page's selection with the transaction request, and the amount
     * the customer saw (checked by the server). On an invoice page, send the
     * partial amount the customer typed, if any.
     *
     * @override
     */
    _prepareTransactionRouteParams() {
        const params = this._super(...arguments);
        const page = document.querySelector(PAGE_SELECTOR);
        if (page && this.paymentContext.transactionRoute === TRANSACTION_ROUTE) {
            Object.assign(params, getSelection(page));
            params.amount = getAmount(page);
            delete params.access_token;
        }
        const partial = document.querySelector("#o_payment_allocation_partial_amount");
        if (
            partial &&
            partial.value.trim() &&
            this.paymentContext.transactionRoute?.startsWith("/invoice/transaction/")
        ) {
            const amount = parseAmount(partial.value.trim());
            params.amount = isNaN(amount) ? partial.value.trim() : amount;
        }
        return params;
    },
});
