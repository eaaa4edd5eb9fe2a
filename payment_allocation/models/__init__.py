from . import payment_allocation_line
from . import account_move
from . import account_payment
from . import payment_transaction
