from . import payment
from . import portal
from . import payment_method
