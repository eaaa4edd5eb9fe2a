from . import res_partner
from . import account_parent_invoice
from . import account_move
from . import account_move_line
from . import report_parent_invoice
