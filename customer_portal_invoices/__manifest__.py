# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Portal Invoices",
    "summary": "Company-wide invoices, per-contact access, invoice status and "
    "account overview on the customer portal",
    "version": "18.0.1.6.1",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Portal Team",
    "maintainers": [],
    "depends": ["account", "portal"],
    "external_dependencies": {"python": ["num2words", "qrcode"]},
    "data": [
        "security/customer_portal_invoices_security.xml",
        "security/ir.model.access.csv",
        "data/account_move_query_data.xml",
        "views/account_move_query_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_wizard_views.xml",
        "views/account_portal_query_list_templates.xml",
        "views/account_portal_templates.xml",
        "report/report_statement.xml",
        "report/report_invoice_pay_qr.xml",
        "views/portal_statement_templates.xml",
        "views/res_partner_statement_views.xml",
        "views/account_move_viewed_views.xml",
        "views/res_config_settings_notify_views.xml",
        "wizards/customer_statement_send_views.xml",
        "data/mail_template_statement.xml",
        "data/ir_cron_data.xml",
        "views/portal_payment_templates.xml",
        "report/report_portal_payment_receipt.xml",
        "views/account_portal_query_templates.xml",
        "views/portal_a11y_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "customer_portal_invoices/static/src/js/portal_home_overview.esm.js",
            "customer_portal_invoices/static/src/scss/portal_invoice_list.scss",
            "customer_portal_invoices/static/src/scss/portal_statement.scss",
            "customer_portal_invoices/static/src/scss/portal_a11y.scss",
        ],
        "portal.assets_chatter": [
            "customer_portal_invoices/static/src/chatter/message_a11y.xml",
        ],
        "portal.assets_chatter_style": [
            "customer_portal_invoices/static/src/scss/portal_chatter_a11y.scss",
        ],
        "web.report_assets_common": [
            "customer_portal_invoices/static/src/scss/report_statement.scss",
        ],
        "web.assets_tests": [
            "customer_portal_invoices/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/account_move_demo.xml",
        "demo/res_partner_access_demo.xml",
        "demo/account_move_query_demo.xml",
    ],
    "installable": True,
}
