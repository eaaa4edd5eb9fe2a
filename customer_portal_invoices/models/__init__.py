from . import res_company
from . import account_move
from . import res_partner
from . import res_config_settings
from . import portal_wizard_user
from . import ir_binary
from . import account_payment
from . import ir_rule
