from . import payment
from . import portal
from . import stripe
from . import payment_method
