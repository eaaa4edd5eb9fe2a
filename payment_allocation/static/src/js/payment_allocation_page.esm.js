/** @odoo-module **/
/* Copyright 2026 Invoice Portal Team
   License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */

import PaymentForm from "@payment/js/payment_form";
import publicWidget from "@web/legacy/js/public/public_widget";
import {parseFloat as parseLocaleFloat} from "@web/views/fields/parsers";
import {rpc} from "@web/core/network/rpc";
import {_t} from "@web/core/l10n/translation";
import {localization} from "@web/core/l10n/localization";

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
const selectionExtenders = [];

/**
 * Let another addon complete the selection sent to the server (e.g. invoices
 * ticked in its own lists): ``extend(page, selection)`` may change it.
 */
export function extendSelection(extend) {
    selectionExtenders.push(extend);
}

function getSelection(page) {
    const dataset = page.dataset;
    const mode = page.querySelector("input[name='o_payment_allocation_mode']:checked").value;
    const credit = page.querySelector("#o_payment_allocation_apply_credit");
    const selection = {
        mode,
        currency_id: parseInt(dataset.currencyId),
        company_id: parseInt(dataset.companyId),
        filterby: dataset.filterby,
        search: dataset.search,
        apply_credit: Boolean(credit && credit.checked),
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
    for (const extend of selectionExtenders) {
        extend(page, selection);
    }
    return selection;
}

/**
 * The amount to charge, as the server computed it for what the page shows
 * (credits deducted); the server checks it again.
 */
function getAmount(page) {
    return parseFloat(page.dataset.charge) || 0;
}

/**
 * Why the custom amount typed cannot be paid, before asking the server; ""
 * when it reads as a positive number in the user's language.
 */
function customAmountError(text) {
    if (!text) {
        return "";
    }
    const number = parseAmount(text);
    if (isNaN(number)) {
        const example = `1${localization.thousandsSep}234${localization.decimalPoint}50`;
        return _t("Enter the amount as a number, for example %s.", example);
    }
    if (number <= 0) {
        return _t("The amount to pay must be greater than zero.");
    }
    return "";
}

publicWidget.registry.PaymentAllocationPage = publicWidget.Widget.extend({
    selector: PAGE_SELECTOR,
    events: {
        "change input[name='o_payment_allocation_mode']": "_onModeChange",
        "change .o_payment_allocation_check": "_onCheck",
        "change .o_payment_allocation_select_page": "_onSelectPage",
        "change #o_payment_allocation_apply_credit": "_refresh",
        "click .o_payment_allocation_select_all": "_onSelectAll",
        "click .o_payment_allocation_clear": "_onClear",
        "click .o_payment_allocation_apply_credit_button": "_onApplyCredit",
        "input #o_payment_allocation_custom_amount": "_onCustomAmount",
    },

    start() {
        this._previewTimer = null;
        this._previewSeq = 0;
        this._refresh();
        return this._super(...arguments);
    },

    _setAmount(display, charge, credit) {
        this.el.querySelector(".o_payment_allocation_amount").textContent = display;
        this.el.dataset.charge = String(charge || 0);
        this.el.dataset.credit = String(credit || 0);
        const creditOnly = !charge && credit > 0;
        this.el
            .querySelector(".o_payment_allocation_credit_only")
            ?.classList.toggle("d-none", !creditOnly);
        this.el
            .querySelector(".o_payment_allocation_charge_form")
            ?.classList.toggle("d-none", creditOnly);
    },

    _setCustomError(message) {
        const input = this.el.querySelector("#o_payment_allocation_custom_amount");
        const feedback = this.el.querySelector(".o_payment_allocation_custom_error");
        input.classList.toggle("is-invalid", Boolean(message));
        feedback.textContent = message || "";
    },

    /**
     * Show what the selection costs: the server plans it (credits first,
     * then the charge) and formats every amount.
     */
    _refresh() {
        const selection = getSelection(this.el);
        const container = this.el.querySelector(".o_payment_allocation_preview");
        clearTimeout(this._previewTimer);
        this._previewSeq++;
        if (selection.mode === "custom") {
            const input = this.el.querySelector("#o_payment_allocation_custom_amount");
            const error = customAmountError(input.value.trim());
            this._setCustomError(error);
            if (error || !input.value.trim()) {
                this._setAmount(error ? "—" : this.el.dataset.zeroDisplay, 0, 0);
                container.replaceChildren();
                this._markIdle();
                return;
            }
        } else if (
            !selection.select_all &&
            !selection.invoice_ids.length &&
            !selection.parent_ids?.length
        ) {
            this._setAmount(this.el.dataset.zeroDisplay, 0, 0);
            container.replaceChildren();
            this._markIdle();
            return;
        }
        const seq = this._previewSeq;
        this._markBusy();
        this._previewTimer = setTimeout(() => this._preview(selection, seq), 250);
    },

    /**
     * While the server computes the amount, a payment submitted waits for it
     * (see PaymentForm._submitForm below): the amount sent is the one shown.
     */
    _markBusy() {
        if (!this._busy) {
            this._busy = new Promise((resolve) => (this._unbusy = resolve));
            this.el.paymentAllocationBusy = this._busy;
        }
    },

    _markIdle() {
        if (this._busy) {
            const resolve = this._unbusy;
            this._busy = null;
            this.el.paymentAllocationBusy = null;
            resolve();
        }
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
        // a queried invoice is paid on purpose only (its own checkbox)
        for (const input of this.el.querySelectorAll(
            ".o_payment_allocation_row:not([data-queried]) .o_payment_allocation_check"
        )) {
            input.checked = ev.currentTarget.checked;
        }
        this._refresh();
    },

    _onSelectAll() {
        for (const input of this.el.querySelectorAll(".o_payment_allocation_check")) {
            input.checked = !input.closest("[data-queried]");
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
    },

    /**
     * Ask the server how the selection is paid: credits, then the charge,
     * oldest invoice first.
     */
    async _preview(selection, seq) {
        const container = this.el.querySelector(".o_payment_allocation_preview");
        let result;
        try {
            result = await rpc("/my/invoices/pay/preview", selection);
        } catch (error) {
            if (seq === this._previewSeq) {
                this._setAmount("\u2014", 0, 0);
                this._markIdle();
            }
            throw error;
        }
        if (seq !== this._previewSeq) {
            return; // The customer changed the selection meanwhile.
        }
        this._markIdle();
        if (result.error) {
            this._setAmount("\u2014", 0, 0);
            if (selection.mode === "custom") {
                this._setCustomError(result.error);
                container.replaceChildren();
            } else {
                const alert = document.createElement("div");
                alert.className = "alert alert-warning o_payment_allocation_preview_error";
                alert.textContent = result.error;
                container.replaceChildren(alert);
            }
            return;
        }
        this._setAmount(result.amount_display, result.amount, result.credit);
        if (selection.mode !== "custom" && !result.credit) {
            container.replaceChildren();
            return;
        }
        container.replaceChildren(this._previewTable(result));
    },

    _previewTable(result) {
        const wrapper = document.createElement("div");
        const table = document.createElement("table");
        table.className = "table table-sm o_payment_allocation_preview_table";
        const head = table.createTHead().insertRow();
        const withCredit = result.credit > 0;
        const columns = [
            [_t("Invoice"), ""],
            [_t("Due Date"), "d-none d-sm-table-cell"],
            [_t("Amount Due"), "d-none d-sm-table-cell text-end"],
            ...(withCredit ? [[_t("Credit"), "text-end"]] : []),
            [_t("Paid"), "text-end"],
        ];
        for (const [label, className] of columns) {
            const th = document.createElement("th");
            th.textContent = label;
            th.className = className;
            head.appendChild(th);
        }
        const body = table.createTBody();
        for (const line of result.lines) {
            const row = body.insertRow();
            row.className = "o_payment_allocation_preview_line";
            const cells = [
                line.name,
                line.due_date,
                line.residual_display,
                ...(withCredit ? [line.credit_display] : []),
                line.partial ? `${line.amount_display} (${_t("partial")})` : line.amount_display,
            ];
            cells.forEach((text, index) => {
                const cell = row.insertCell();
                cell.textContent = text;
                cell.className = columns[index][1];
            });
        }
        wrapper.appendChild(table);
        if (withCredit) {
            const note = document.createElement("p");
            note.className = "small text-muted o_payment_allocation_preview_credit";
            note.textContent = _t(
                "%(credit)s of your credits is applied first; %(amount)s is charged.",
                {credit: result.credit_display, amount: result.amount_display}
            );
            wrapper.appendChild(note);
        }
        return wrapper;
    },

    /**
     * The credits pay the selection in full: apply them, nothing is charged.
     */
    async _onApplyCredit(ev) {
        const button = ev.currentTarget;
        button.disabled = true;
        const params = {...getSelection(this.el), amount: parseFloat(this.el.dataset.credit)};
        const result = await rpc("/my/invoices/pay/credit", params);
        const box = this.el.querySelector(".o_payment_allocation_credit_result");
        const alert = document.createElement("div");
        if (result.error) {
            alert.className = "alert alert-warning o_payment_allocation_credit_error";
            alert.textContent = result.error;
            button.disabled = false;
        } else {
            alert.className = "alert alert-success o_payment_allocation_credit_done";
            alert.textContent = result.message;
            const list = document.createElement("ul");
            list.className = "mb-0";
            for (const line of result.lines) {
                const item = document.createElement("li");
                item.textContent = `${line.name}: ${line.credit_display}`;
                list.appendChild(item);
            }
            alert.appendChild(list);
            const link = document.createElement("a");
            link.href = "/my/invoices";
            link.className = "alert-link";
            link.textContent = _t("Back to my invoices");
            alert.appendChild(link);
            this.el.querySelector(".o_payment_allocation_credit_only").classList.add("d-none");
        }
        box.replaceChildren(alert);
    },
});

PaymentForm.include({
    /**
     * On the payment page, wait for the amount the server is computing for
     * the selection before paying it.
     *
     * @override
     */
    async _submitForm(ev) {
        const submit = this._super.bind(this);
        const page = document.querySelector(PAGE_SELECTOR);
        if (page && page.paymentAllocationBusy) {
            ev.stopPropagation();
            ev.preventDefault();
            while (page.paymentAllocationBusy) {
                await page.paymentAllocationBusy;
            }
        }
        return submit(ev);
    },

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
