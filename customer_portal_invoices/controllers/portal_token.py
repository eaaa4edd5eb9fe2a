# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


class PortalAccessTokenMixin:
    """Share tokens are what Odoo makes of them (uuid4, ASCII): another value
    is no token of any document. Stock's constant-time comparison raises a
    TypeError on a non-ASCII one (a 500 on every document route): it is
    refused as a wrong token is. Mixed into each extension of a stock
    controller that checks document tokens (the portal, the payment
    portal)."""

    def _document_check_access(self, model_name, document_id, access_token=None):
        if access_token is not None and not (
            isinstance(access_token, str) and access_token.isascii()
        ):
            access_token = None
        return super()._document_check_access(
            model_name, document_id, access_token=access_token
        )
