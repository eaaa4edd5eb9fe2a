from . import portal
from . import portal_invoice_access
from . import portal_invoice_comment
from . import portal_statement
from . import portal_invoice_viewed
from . import portal_activity
from . import portal_payments
from . import portal_invoice_query
