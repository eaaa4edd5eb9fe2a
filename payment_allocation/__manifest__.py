# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Payment Allocation",
    "summary": "Pay many invoices at once or a custom amount applied oldest-first "
    "from the customer portal",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Portal Team",
    "maintainers": [],
    "depends": ["customer_portal_invoices", "account_payment"],
    "external_dependencies": {"python": ["stripe"]},
    "data": [],
    "demo": ["demo/payment_provider_demo.xml"],
    "installable": True,
}
