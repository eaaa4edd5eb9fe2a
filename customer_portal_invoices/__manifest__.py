# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Portal Invoices",
    "summary": "Company-wide invoices, per-contact access, invoice status and "
    "account overview on the customer portal",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Portal Team",
    "maintainers": [],
    "depends": ["account", "portal"],
    "external_dependencies": {"python": ["num2words", "qrcode"]},
    "data": [],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/account_move_demo.xml",
    ],
    "installable": True,
}
