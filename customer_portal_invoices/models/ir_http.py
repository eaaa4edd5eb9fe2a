# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from werkzeug.exceptions import abort

from odoo import models
from odoo.http import Response, request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        """A JSON-RPC request whose body Odoo cannot read as a call is
        answered 400, as Odoo answers a body that is no JSON at all: nested
        too deep, or ``params`` that are no object (Odoo would fail with an
        internal error and a traceback in the log)."""
        if request.dispatcher.routing_type == "json":
            cls._portal_check_json_rpc_body()
        return super()._pre_dispatch(rule, args)

    @classmethod
    def _portal_check_json_rpc_body(cls):
        try:
            data = json.loads(request.httprequest.get_data(as_text=True))
        except (ValueError, RecursionError):
            # must use abort+Response to bypass handle_error, as Odoo does
            abort(Response("Invalid JSON data", status=400))
        if not isinstance(data, dict) or not isinstance(data.get("params", {}), dict):
            abort(Response("Invalid JSON-RPC data", status=400))
