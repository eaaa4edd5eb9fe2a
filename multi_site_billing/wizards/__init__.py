from . import account_parent_invoice_group
