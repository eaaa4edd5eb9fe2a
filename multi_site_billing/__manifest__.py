# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Multi-Site Billing",
    "summary": "Customer sites and parent invoices grouping per-site child invoices",
    "version": "18.0.1.4.1",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Portal Team",
    "maintainers": [],
    "depends": ["payment_allocation"],
    "data": [
        "security/ir.model.access.csv",
        "security/multi_site_billing_security.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "report/parent_invoice_report.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/account_parent_invoice_views.xml",
        "views/account_parent_invoice_group_views.xml",
        "views/portal_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "multi_site_billing/static/src/js/multi_site_payment.esm.js",
            "multi_site_billing/static/src/scss/portal_parent_invoice.scss",
        ],
        "web.assets_tests": [
            "multi_site_billing/static/tests/tours/*.esm.js",
        ],
    },
    "demo": ["demo/multi_site_demo.xml"],
    "installable": True,
}
