# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Payment Allocation",
    "summary": "Pay many invoices at once or a custom amount applied oldest-first "
    "from the customer portal",
    "version": "18.0.1.5.2",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Portal Team",
    "maintainers": [],
    "depends": ["customer_portal_invoices", "account_payment", "payment_stripe"],
    "external_dependencies": {"python": ["stripe"]},
    "data": [
        "security/ir.model.access.csv",
        "security/payment_allocation_security.xml",
        "data/mail_template_data.xml",
        "views/payment_allocation_line_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/payment_provider_views.xml",
        "views/payment_token_views.xml",
        "views/portal_templates.xml",
        "views/portal_query_templates.xml",
        "data/payment_allocation_autopay_data.xml",
        "views/payment_allocation_autopay_views.xml",
        "views/payment_allocation_charge_wizard_views.xml",
        "views/payment_method_templates.xml",
        "views/payment_a11y_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "web/static/src/views/fields/parsers.js",
            "payment_allocation/static/src/js/payment_allocation_page.esm.js",
            "payment_allocation/static/src/scss/portal_payment_allocation.scss",
        ],
        "web.assets_tests": [
            "payment_allocation/static/tests/tours/payment_allocation_tour.esm.js",
            (
                "payment_allocation/static/tests/tours/"
                "payment_allocation_saved_method_tour.esm.js"
            ),
        ],
    },
    "demo": [
        "demo/payment_provider_demo.xml",
        "demo/payment_allocation_autopay_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
