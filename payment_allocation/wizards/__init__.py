from . import payment_allocation_charge_wizard
