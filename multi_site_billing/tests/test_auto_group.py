# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import tagged

from .common import MultiSiteCommon


@tagged("post_install", "-at_install")
class TestAutoGroup(MultiSiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.parent_invoice_auto_group = True
        cls.run_day = date(2031, 5, 3)
        due = date(2031, 5, 31)

        def invoice(site, amount, invoice_date, due_date=due):
            move = cls.env["account.move"].create(
                {
                    **cls._site_invoice_values(site, amount, due=due_date),
                    "invoice_date": invoice_date,
                }
            )
            move.action_post()
            return move

        cls.april = (
            invoice(cls.site_north, 10.0, date(2031, 4, 2))
            | invoice(cls.site_south, 20.0, date(2031, 4, 20))
            | invoice(cls.site_east, 30.0, date(2031, 4, 30))
        )
        cls.april_other_due = invoice(
            cls.site_east, 5.0, date(2031, 4, 30), due_date=date(2031, 6, 15)
        )
        cls.may = invoice(cls.site_north, 40.0, date(2031, 5, 2)) | invoice(
            cls.site_south, 50.0, date(2031, 5, 2)
        )
        cls.not_site = invoice(cls.customer, 60.0, date(2031, 4, 5))
        cls.other = invoice(cls.site_other, 70.0, date(2031, 4, 5)) | invoice(
            cls.site_other, 80.0, date(2031, 4, 6)
        )

    def test_groups_closed_months_once(self):
        Parent = self.env["account.parent.invoice"]
        parents = Parent._cron_auto_group(today=self.run_day)
        self.assertEqual(len(parents), 1)
        self.assertEqual(parents.child_invoice_ids, self.april)
        self.assertEqual(parents.billing_period_start, date(2031, 4, 1))
        self.assertEqual(parents.billing_period_end, date(2031, 4, 30))
        self.assertEqual(parents.amount_total, 60.0)
        # alone for its due date, in the open month, without site, of a
        # customer that did not ask: not grouped
        for moves in (self.april_other_due, self.may, self.not_site, self.other):
            self.assertFalse(moves.parent_invoice_id)
        # safe to run twice
        count = Parent.search_count([])
        self.assertFalse(Parent._cron_auto_group(today=self.run_day))
        self.assertEqual(Parent.search_count([]), count)
        self.assertEqual(parents.child_invoice_ids, self.april)

    def test_late_invoice_joins_its_month(self):
        Parent = self.env["account.parent.invoice"]
        parent = Parent._cron_auto_group(today=self.run_day)
        late = self.env["account.move"].create(
            {
                **self._site_invoice_values(
                    self.site_north, 15.0, due=parent.invoice_date_due
                ),
                "invoice_date": date(2031, 4, 28),
            }
        )
        late.action_post()
        self.assertEqual(Parent._cron_auto_group(today=self.run_day), parent)
        self.assertEqual(late.parent_invoice_id, parent)
        self.assertEqual(parent.child_count, 4)

    def test_cron_record(self):
        cron = self.env.ref("multi_site_billing.ir_cron_parent_invoice_auto_group")
        self.assertEqual(cron.code, "model._cron_auto_group()")
