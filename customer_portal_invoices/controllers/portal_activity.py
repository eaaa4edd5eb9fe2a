# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


class PortalActivityNotificationMixin:
    """Portal activity notifications: a portal user changes its details."""

    def on_account_update(self, values, partner):
        res = super().on_account_update(values, partner)
        partner._portal_notify_details_change(values)
        return res
