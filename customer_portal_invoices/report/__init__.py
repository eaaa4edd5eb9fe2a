from . import report_portal_payment_receipt
from . import report_statement
