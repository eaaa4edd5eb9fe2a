from . import test_install
from . import test_parent_invoice
from . import test_access_site
from . import test_portal_pay_parent
from . import test_portal_query_count
from . import test_demo_data
from . import test_tour
from . import test_auto_group
