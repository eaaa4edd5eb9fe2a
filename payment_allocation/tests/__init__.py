from . import test_demo_provider
from . import test_allocation_reconcile
from . import test_portal_payment
from . import test_portal_tour
from . import test_pay_setting
from . import test_portal_checks
from . import test_payment_rules
from . import test_payment_records
