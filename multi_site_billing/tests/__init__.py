from . import test_install
from . import test_parent_invoice
from . import test_access_site
