# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class ResPartner(models.Model):
    _inherit = "res.partner"

    site_code = fields.Char(
        index="btree_not_null",
        copy=False,
        help="Code of this site of the customer company, unique within the "
        "company; a contact with a code is a site (usually a delivery "
        "address) and invoices can be billed per site.",
    )
    portal_invoice_access = fields.Selection(
        selection_add=[("site", "Sites")],
        # a site contact losing the level gets no invoice rather than more
        ondelete={
            "site": lambda partners: partners.write({"portal_invoice_access": "none"})
        },
        help="Invoices this contact sees on the customer portal:\n"
        "- None: no invoices at all;\n"
        "- Own documents: the documents addressed to this contact or that it "
        "follows;\n"
        "- Whole company: every document of its company, whoever it was "
        "addressed to;\n"
        "- Sites: the documents of the sites given in Portal Sites only.",
    )
    portal_site_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="res_partner_portal_site_rel",
        column1="partner_id",
        column2="site_id",
        string="Portal Sites",
        domain="[('site_code', '!=', False), "
        "('commercial_partner_id', '=', commercial_partner_id)]",
        help="With the invoice access level Sites: the sites of the company "
        "whose invoices this contact sees and pays on the portal.",
    )

    parent_invoice_auto_group = fields.Boolean(
        string="Group Site Invoices Monthly",
        help="Every day, the posted invoices of this customer's sites of the "
        "months that are over are grouped under one parent invoice per month, "
        "currency, company and due date.",
    )

    @api.constrains("site_code", "parent_id", "is_company")
    def _check_site_code_unique(self):
        sites = self.filtered("site_code")
        if not sites:
            return
        groups = self.with_context(active_test=False)._read_group(
            [
                ("site_code", "in", sites.mapped("site_code")),
                ("commercial_partner_id", "in", sites.commercial_partner_id.ids),
            ],
            groupby=["commercial_partner_id", "site_code"],
            aggregates=["__count"],
        )
        for commercial_partner, code, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "The site code %(code)s is already used by another site "
                        "of %(customer)s.",
                        code=code,
                        customer=commercial_partner.display_name,
                    )
                )

    @api.constrains("portal_site_ids", "parent_id", "is_company")
    def _check_portal_site_ids(self):
        for partner in self.filtered("portal_site_ids"):
            wrong = partner.portal_site_ids.filtered(
                lambda site, p=partner: (
                    not site.site_code
                    or site.commercial_partner_id != p.commercial_partner_id
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "The portal sites of %(contact)s must be sites of its own "
                        "company: %(sites)s are not.",
                        contact=partner.display_name,
                        sites=", ".join(wrong.mapped("display_name")),
                    )
                )

    # the portal invoice record rules read the contact's sites too (see
    # customer_portal_invoices: a change of these clears the rule cache)
    _PORTAL_INVOICE_RULE_FIELDS = (
        "portal_invoice_access",
        "parent_id",
        "is_company",
        "portal_site_ids",
    )

    def _portal_invoice_rule_key(self):
        keys = super()._portal_invoice_rule_key()
        # sudo: only compared, to know whether the rule cache must be cleared
        for partner in self.sudo():
            keys[partner.id] = (*keys[partner.id], tuple(partner.portal_site_ids.ids))
        return keys

    def _portal_scope(self):
        """Level "site": limited to its portal sites (``site_ids``), it sees
        and pays their documents only."""
        scope = super()._portal_scope()
        if scope["level"] == "site":
            scope["sites_only"] = True
            # sudo: the contact's own sites
            scope["site_ids"] = self.sudo().portal_site_ids.ids
        return scope

    def _portal_invoice_rule_domain(self):
        """Level "site": the documents of the contact's company billed to one
        of its portal sites (``account.move.site_id``), nothing else; always
        limited to the document types the portal shows."""
        self.ensure_one()
        if not self._portal_scope()["sites_only"] or self.env.user._is_public():
            return super()._portal_invoice_rule_domain()
        return expression.AND(
            [
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("site_id", "in", self.portal_site_ids.ids),
                ],
                self.env["res.company"]._portal_invoice_move_type_domain(),
            ]
        )

    def _portal_payment_rule_domain(self):
        """Level "site": the payments that paid documents of the contact's
        sites only (as level "own" reads those of its own documents): the
        payments its statement lists, never one that also paid another
        site's document."""
        self.ensure_one()
        if not self._portal_scope()["sites_only"] or self.env.user._is_public():
            return super()._portal_payment_rule_domain()
        site_documents = self._portal_invoice_rule_domain()
        return expression.AND(
            [
                [
                    ("invoice_ids", "any", site_documents),
                    ("invoice_ids", "not any", ["!", *site_documents]),
                ],
                self.env["account.payment"]._portal_payment_domain(),
            ]
        )

    def _portal_parent_invoice_rule_domain(self):
        """Domain on ``account.parent.invoice`` of the parents the current
        (portal) user, whose contact is ``self``, may read: those with a
        child invoice the contact may read."""
        self.ensure_one()
        return [("child_invoice_ids", "any", self._portal_invoice_rule_domain())]
