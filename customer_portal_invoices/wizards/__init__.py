from . import customer_statement_send
