from . import payment_allocation_line
from . import account_move
from . import account_payment
from . import payment_token
from . import payment_transaction
from . import res_company
from . import res_config_settings
