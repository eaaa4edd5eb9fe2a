from . import payment
from . import portal
from . import stripe
