# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    payment_allocation_ach = fields.Selection(
        selection=[
            ("default", "Company Default"),
            ("allowed", "Allowed"),
            ("refused", "Not Allowed"),
        ],
        string="May Pay by Bank Account (ACH)",
        default="default",
        help="Whether the customer may pay by US bank account (ACH) and save "
        "bank accounts on the portal. Company Default follows the setting of "
        "the company (Invoicing settings). Set on the customer company; its "
        "contacts follow it.",
    )

    def _payment_allocation_ach_allowed(self):
        """Whether this customer (its commercial partner decides) may pay by
        bank account (ACH)."""
        self.ensure_one()
        customer = self.commercial_partner_id
        if customer.payment_allocation_ach != "default":
            return customer.payment_allocation_ach == "allowed"
        company = customer.company_id or self.env.company
        return company.payment_allocation_ach_default

    payment_allocation_default_token_id = fields.Many2one(
        comodel_name="payment.token",
        string="Default Payment Method",
        copy=False,
        ondelete="set null",
        help="Saved payment method preselected when this contact pays from the portal.",
    )
    payment_allocation_autopay = fields.Boolean(
        string="Autopay",
        copy=False,
        tracking=True,
        help="The customer's open invoices are charged on their due date with "
        "the autopay payment method.",
    )
    payment_allocation_autopay_token_id = fields.Many2one(
        comodel_name="payment.token",
        string="Autopay Payment Method",
        copy=False,
        tracking=True,
        ondelete="restrict",
    )
    payment_allocation_autopay_contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Autopay Set Up By",
        copy=False,
        readonly=True,
    )
    payment_allocation_autopay_attempt_ids = fields.One2many(
        comodel_name="payment.allocation.autopay.attempt",
        inverse_name="partner_id",
        string="Autopay Attempts",
        readonly=True,
    )
    payment_allocation_autopay_attempt_count = fields.Integer(
        string="Autopay Attempts Count",
        compute="_compute_payment_allocation_autopay_attempt_count",
    )

    @api.depends("payment_allocation_autopay_attempt_ids")
    def _compute_payment_allocation_autopay_attempt_count(self):
        data = dict(
            self.env["payment.allocation.autopay.attempt"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.payment_allocation_autopay_attempt_count = data.get(partner, 0)

    @api.constrains("payment_allocation_autopay", "payment_allocation_autopay_token_id")
    def _check_payment_allocation_autopay(self):
        for partner in self.filtered("payment_allocation_autopay"):
            token = partner.payment_allocation_autopay_token_id
            if not token:
                raise ValidationError(
                    self.env._(
                        "Choose the saved payment method autopay charges for %(name)s.",
                        name=partner.display_name,
                    )
                )
            error = partner._payment_allocation_autopay_token_error(token)
            if error:
                raise ValidationError(error)

    # ------------------------------------------------------------------
    # Default payment method
    # ------------------------------------------------------------------

    def _payment_allocation_default_token(self, tokens):
        """The token of ``tokens`` (those offered to this contact) to
        preselect in a payment form: the contact's default method when it is
        offered; an empty recordset otherwise."""
        self.ensure_one()
        default = self.sudo().payment_allocation_default_token_id
        return tokens.filtered(lambda token: token.id == default.id)[:1]

    def _payment_allocation_set_default_token(self, token, user=None):
        """Make ``token`` the default payment method of ``user``'s contact
        (default: the current user), or clear it when ``token`` is empty.

        :raise UserError: when the user may not pay with ``token``.
        """
        user = user or self.env.user
        if token:
            error = token._payment_allocation_use_error(user)
            if error:
                raise UserError(error)
        # sudo: portal users cannot write on contacts; only this field is set,
        # on their own contact
        user.partner_id.sudo().payment_allocation_default_token_id = token.id

    # ------------------------------------------------------------------
    # Autopay
    # ------------------------------------------------------------------

    def _payment_allocation_autopay_token_error(self, token):
        """Why this customer may not be charged by autopay with ``token``;
        "" when it may. Only active methods saved by a contact of the
        customer qualify. Providers that know more (e.g. a bank account not
        verified yet) extend this."""
        self.ensure_one()
        # sudo: portal users cannot read tokens
        token_sudo = token.sudo()
        if not token_sudo.exists() or not token_sudo.active:
            return self.env._("This saved payment method is no longer available.")
        # what the method itself must satisfy for any charge (a verified bank
        # account, a customer allowed to pay by bank account), as for a
        # back-office charge
        error = token_sudo._payment_allocation_use_error(self.env.ref("base.user_root"))
        if error:
            return error
        if token_sudo.partner_id.commercial_partner_id != self.commercial_partner_id:
            return self.env._(
                "Autopay charges only a payment method saved by a contact of "
                "%(customer)s.",
                customer=self.commercial_partner_id.display_name,
            )
        return ""

    def _payment_allocation_autopay_manage_error(self, user=None):
        """Why ``user`` (default: the current user) may not turn autopay on or
        off for its customer; "" when it may: back-office users and the
        contacts with access to the whole company's invoices."""
        user = user or self.env.user
        if user._is_internal():
            return ""
        if user._is_public() or not user.partner_id._portal_scope()["company_wide"]:
            return self.env._(
                "Only a contact with access to all the invoices of the company "
                "can set up automatic payments."
            )
        return ""

    def _payment_allocation_autopay_opt_in(self, token, user=None):
        """Turn autopay on for ``user``'s customer (default: the current
        user's), charging ``token``.

        :raise UserError: when the user may not, or not with this method.
        """
        user = user or self.env.user
        customer = user.partner_id.commercial_partner_id
        error = (
            customer._payment_allocation_autopay_manage_error(user)
            or token._payment_allocation_use_error(user)
            or customer._payment_allocation_autopay_token_error(token)
        )
        if error:
            raise UserError(error)
        # sudo: portal users cannot write on their company; the rules above
        # decided
        customer.sudo().write(
            {
                "payment_allocation_autopay": True,
                "payment_allocation_autopay_token_id": token.id,
                "payment_allocation_autopay_contact_id": user.partner_id.id,
            }
        )

    def _payment_allocation_autopay_opt_out(self, user=None):
        """Turn autopay off for ``user``'s customer at once: the next batch of
        the autopay job reads the flag again.

        :raise UserError: when the user may not.
        """
        user = user or self.env.user
        customer = user.partner_id.commercial_partner_id
        error = customer._payment_allocation_autopay_manage_error(user)
        if error:
            raise UserError(error)
        # sudo: see _payment_allocation_autopay_opt_in
        customer.sudo().payment_allocation_autopay = False

    @api.model
    def _payment_allocation_autopay_token_deleted(self, token):
        """``token`` was deleted (archived): the customers it paid for
        automatically are taken off autopay at once, rather than failing
        charges later; the change is tracked on the customer."""
        # sudo: the contact who deleted its method may not write its company
        customers = (
            self.sudo()
            .with_context(active_test=False)
            .search([("payment_allocation_autopay_token_id", "=", token.id)])
        )
        customers.filtered("payment_allocation_autopay").write(
            {"payment_allocation_autopay": False}
        )

    def action_view_payment_allocation_autopay_attempts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "payment_allocation.payment_allocation_autopay_attempt_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action

    def action_payment_allocation_charge(self):
        """Open the wizard charging a saved method of this customer for a
        custom amount, applied oldest first to the open invoices."""
        self.ensure_one()
        return {
            "name": self.env._("Charge Saved Method"),
            "type": "ir.actions.act_window",
            "res_model": "payment.allocation.charge.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    # ------------------------------------------------------------------
    # Saved methods on /my/payment_method
    # ------------------------------------------------------------------

    def _payment_allocation_usable_tokens(self, user=None, for_payment=True):
        """The saved methods ``user`` (default: the current user) may pay
        with, among those of its customer's contacts (see
        `payment.token._payment_allocation_use_error`), in sudo;
        ``for_payment=False``: those it may see and manage, bank accounts
        still to verify included."""
        user = user or self.env.user
        if user._is_public():
            return self.env["payment.token"].sudo().browse()
        # sudo: portal users cannot read tokens; the rule filters them
        tokens_sudo = (
            self.env["payment.token"]
            .sudo()
            .search(
                [
                    (
                        "partner_id",
                        "child_of",
                        user.partner_id.commercial_partner_id.id,
                    )
                ]
            )
        )
        return tokens_sudo.filtered(
            lambda token: (
                not token._payment_allocation_use_error(user, for_payment=for_payment)
            )
        )

    @api.model
    def _payment_allocation_methods_error(self, user=None):
        """Why ``user`` (default: the current user) may not manage saved
        payment methods (open Payment Methods, save, verify, delete one,
        choose a default or autopay); "" when it may. A portal contact with
        no invoice access gets the one line its other pages show."""
        user = user or self.env.user
        if (
            user._is_portal()
            and not user.partner_id._portal_scope()["may_manage_methods"]
        ):
            return self.env._(
                "Your contact has no access to invoices on this portal; ask your "
                "company's administrator to grant it."
            )
        return ""

    def _payment_allocation_token_manage_error(self, token, user=None):
        """Why ``user`` (default: the current user) may not delete ``token``;
        "" when it may: its own methods, and those saved on its customer
        itself by a contact with access to the whole company. Shared methods
        of other contacts are used, not managed."""
        user = user or self.env.user
        refused = self.env._("You may not change this saved payment method.")
        # sudo: portal users cannot read tokens
        token_sudo = token.sudo()
        if not token_sudo.exists() or user._is_public():
            return refused
        if self._payment_allocation_methods_error(user):
            return refused
        if user._is_internal():
            return ""
        partner = user.partner_id
        if token_sudo.partner_id == partner:
            return ""
        if (
            token_sudo.partner_id == partner.commercial_partner_id
            and partner._portal_scope()["company_wide"]
        ):
            return ""
        return refused

    @api.model
    def _payment_allocation_demo_autopay(self, contact_xmlid):
        """Demo data: the customer of the contact ``contact_xmlid`` pays its
        invoices automatically with a card the contact saved on the Demo
        provider, when payment_demo is installed."""
        provider = self.env.ref("payment.payment_provider_demo", False)
        contact = self.env.ref(contact_xmlid, False)
        if not provider or provider.module_state != "installed" or not contact:
            return
        token = self.env["payment.token"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids[:1].id,
                "partner_id": contact.id,
                "payment_details": "4242",
                "provider_ref": f"demo-autopay-{contact.id}",
                "demo_simulated_state": "done",
            }
        )
        contact.commercial_partner_id.write(
            {
                "payment_allocation_autopay": True,
                "payment_allocation_autopay_token_id": token.id,
                "payment_allocation_autopay_contact_id": contact.id,
            }
        )
