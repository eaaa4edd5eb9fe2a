# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A small stateful stand-in for the Stripe API, served over HTTP on loopback.

It answers what Odoo's ``payment_stripe`` and ``payment_allocation`` send:
customers, setup intents, payment intents, payment methods and mandates, with
form-encoded parameters like Stripe (``a[b][c]=``, ``a[]=`` and ``a[0]=``).
The test plays Stripe.js and Stripe's back end through its helpers: confirm an
intent as the Payment Element would (a card, or a US bank account with its
mandate accepted online), settle an ACH payment (``processing`` then
``succeeded`` or ``payment_failed``), and deliver a signed webhook event to
the Odoo test server.
"""

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import requests

MICRODEPOSIT_AMOUNTS = [32, 45]
# Stripe's test descriptor code: a single 0.01 deposit whose statement
# descriptor reads "SM11AA"
MICRODEPOSIT_DESCRIPTOR_CODE = "SM11AA"
# failed verifications allowed before Stripe gives up on the bank account
MICRODEPOSIT_ATTEMPTS = 10

# Stripe's test cards, as the Payment Element sends them: the number decides
# the card's fate. "attach": refused when saved (SetupIntent); "charge":
# saved fine, declined when charged.
CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_INSUFFICIENT_FUNDS = "4000000000009995"
CARD_DECLINED_AFTER_ATTACH = "4000000000000341"
DECLINES = {
    CARD_DECLINED: ("attach", "generic_decline", "Your card was declined."),
    CARD_INSUFFICIENT_FUNDS: (
        "attach",
        "insufficient_funds",
        "Your card has insufficient funds.",
    ),
    CARD_DECLINED_AFTER_ATTACH: (
        "charge",
        "generic_decline",
        "Your card was declined.",
    ),
}

# the errors of Stripe's infrastructure, by HTTP status (the SDK retries 409
# and 5xx by itself, 429 only when told to by ``Stripe-Should-Retry``)
INFRASTRUCTURE_ERRORS = {
    429: (
        "invalid_request_error",
        "rate_limit",
        (
            "Too many requests hit the API too quickly. We recommend an "
            "exponential backoff of your requests."
        ),
    ),
    500: ("api_error", None, "Something went wrong on Stripe's end."),
    502: ("api_error", None, "Something went wrong on Stripe's end."),
    503: ("api_error", None, "Stripe is temporarily unavailable."),
}


def decode_form(body):
    """Stripe's form encoding (``a[b][c]=``, ``a[]=``, ``a[0]=``) to nested
    dicts and lists."""
    result = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        path = [key.split("[", 1)[0]] + re.findall(r"\[([^\]]*)\]", key)
        node = result
        for part, nxt in zip(path, path[1:] + [None], strict=True):
            if nxt is None:
                node[part] = value
            elif nxt == "":
                node.setdefault(part, []).append(value)
                break
            else:
                node = node.setdefault(part, {})
    return _lists(result)


def _lists(node):
    """``{"0": a, "1": b}`` (the SDK's list encoding) to ``[a, b]``."""
    if isinstance(node, dict):
        node = {key: _lists(value) for key, value in node.items()}
        if node and all(key.isdigit() for key in node):
            return [node[key] for key in sorted(node, key=int)]
    return node


class StripeError(Exception):
    """An error answer as Stripe gives it: ``{"error": {"type", "code",
    "message", ...}}`` with its HTTP status."""

    def __init__(
        self,
        status,
        message,
        code=None,
        error_type="invalid_request_error",
        headers=None,
        **extra,
    ):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}
        error = {"type": error_type, "message": message, **extra}
        if code:
            error["code"] = code
        self.body = {"error": error}


# Stripe: "You can cancel a PaymentIntent object when it's in one of these
# statuses: requires_payment_method, requires_capture, requires_confirmation,
# requires_action" (and, for some payment methods only, processing: not ACH)
CANCELLABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
)


class FakeStripe:
    """Start with ``start()``, stop with ``stop()``; ``url`` is the API base."""

    def __init__(self):
        self.counter = itertools.count(1)
        self.lock = threading.RLock()
        self.restricted_keys = {}  # rk_ key: {resource: "read" or "write"}
        self.failures = []  # [path prefix or None, status, should_retry]
        self.card_numbers = {}  # payment method id: card number
        self.customers = {}
        self.setup_intents = {}
        self.payment_intents = {}
        self.payment_methods = {}
        self.mandates = {}
        self.idempotent = {}
        self.calls = []  # (method, path, params, headers)
        self.server = None
        self.thread = None

    # === SERVER === #

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                split = urlsplit(self.path)
                # Odoo sends the parameters of a GET in its body
                params = decode_form(body if method == "POST" else split.query)
                if method != "POST" and body:
                    params.update(decode_form(body))
                headers = {key.lower(): value for key, value in self.headers.items()}
                status, payload, extra = fake.handle(
                    method, split.path, params, headers
                )
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{next(fake.counter)}")
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._answer("GET")

            def do_POST(self):
                self._answer("POST")

            def do_DELETE(self):
                self._answer("DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def paths(self, method=None):
        return [path for m, path, _p, _h in self.calls if not method or m == method]

    def count(self, method, path):
        """How many calls reached ``method path`` (refused ones included)."""
        return sum(1 for m, p, _p, _h in self.calls if m == method and p == path)

    # === WHAT THE TEST ASKS OF STRIPE === #

    def forget(self):
        """A new test: no calls recorded, no failure pending, no restricted
        key (the objects stay, as Stripe's)."""
        with self.lock:
            self.calls.clear()
            self.failures.clear()
            self.restricted_keys.clear()

    def fail_next(self, status, times=1, path=None, should_retry=None):
        """The next ``times`` calls (to paths starting with ``path``, any
        when None) answer ``status`` (429, 500, 502 or 503) with Stripe's
        error object, and ``Stripe-Should-Retry`` when ``should_retry`` is
        given. Nothing is done nor remembered for them (idempotency keys
        included), as Stripe when it failed before executing."""
        with self.lock:
            self.failures.extend([path, status, should_retry] for _i in range(times))

    def restrict(self, key, grants):
        """A restricted key (``rk_...``) allowed ``grants``: resource (the
        first path segment after ``/v1/``, e.g. ``payment_intents``) to
        ``"read"`` (GET) or ``"write"`` (anything). Other calls with that key
        answer 403, as Stripe does."""
        assert key.startswith("rk_")
        self.restricted_keys[key] = dict(grants)

    # === API === #

    def _id(self, prefix):
        return f"{prefix}_fake{next(self.counter):06d}"

    def handle(self, method, path, params, headers):
        """The answer to one call: ``(status, body, extra headers)``."""
        with self.lock:
            self.calls.append((method, path, params, headers))
            try:
                self._check_key(method, path, headers.get("authorization", ""))
                failure = self._take_failure(path)
                if failure:
                    raise failure
                key = headers.get("idempotency-key")
                if method != "POST" or not key:
                    return 200, self._route(method, path, params), {}
                return self._idempotent(key, method, path, params)
            except StripeError as error:
                return error.status, error.body, error.headers

    def _check_key(self, method, path, authorization):
        """Secret keys (``sk_``) may do anything, restricted keys (``rk_``)
        what they were granted; any other key is unknown to Stripe."""
        key = authorization.removeprefix("Bearer ").strip()
        if key.startswith(("sk_test_", "sk_live_")):
            return
        if key not in self.restricted_keys:
            masked = key[:8] + "*" * max(len(key) - 12, 0) + key[-4:]
            raise StripeError(
                401,
                f"Invalid API Key provided: {masked}"
                if key
                else "You did not provide an API key.",
            )
        resource = (path.strip("/").split("/") + [""])[1]
        needed = "read" if method == "GET" else "write"
        granted = self.restricted_keys[key].get(resource)
        if granted == "write" or granted == needed:
            return
        singular = resource.rstrip("s")
        raise StripeError(
            403,
            f"The provided key '{key[:12]}***{key[-4:]}' does not have the "
            "required permissions for this endpoint on account "
            f"'acct_fake'. Having the 'rak_{singular}_{needed}' permission "
            "would allow this request to continue.",
            error_type="invalid_request_error",
        )

    def _take_failure(self, path):
        for index, (prefix, status, should_retry) in enumerate(self.failures):
            if prefix is None or path.startswith(prefix):
                del self.failures[index]
                error_type, code, message = INFRASTRUCTURE_ERRORS[status]
                headers = {}
                if should_retry is not None:
                    headers["Stripe-Should-Retry"] = str(bool(should_retry)).lower()
                return StripeError(
                    status, message, code, error_type=error_type, headers=headers
                )
        return None

    def _idempotent(self, key, method, path, params):
        """Stripe's idempotency: the same key with the same request gets the
        first answer again (``Idempotent-Replayed``); with another request,
        an ``idempotency_error``."""
        if key in self.idempotent:
            request, (status, body) = self.idempotent[key]
            if request != (method, path, params):
                raise StripeError(
                    400,
                    "Keys for idempotent requests can only be used with the same "
                    "parameters they were first used with. Try using a key other "
                    f"than '{key}' if you meant to execute a different request.",
                    error_type="idempotency_error",
                )
            return status, body, {"Idempotent-Replayed": "true"}
        try:
            answer = 200, self._route(method, path, params)
        except StripeError as error:
            answer = error.status, error.body
        self.idempotent[key] = ((method, path, params), json.loads(json.dumps(answer)))
        return answer[0], answer[1], {}

    def _route(self, method, path, params):
        parts = path.strip("/").split("/")
        if parts[0] != "v1":
            raise StripeError(404, f"Unrecognized request URL ({method}: {path})")
        parts = parts[1:]
        expand = params.get("expand") or []
        if isinstance(expand, str):
            expand = [expand]
        match (method, parts):
            case ("POST", ["customers"]):
                customer = {"id": self._id("cus"), "object": "customer", **params}
                self.customers[customer["id"]] = customer
                return customer
            case ("POST", ["setup_intents"]):
                return self._create_setup_intent(params)
            case ("GET", ["setup_intents", si_id]):
                return self._expand(self._get(self.setup_intents, si_id), expand)
            case ("POST", ["setup_intents", si_id, "verify_microdeposits"]):
                return self._verify_microdeposits(si_id, params)
            case ("POST", ["payment_intents"]):
                return self._expand(self._create_payment_intent(params), expand)
            case ("GET", ["payment_intents", pi_id]):
                return self._expand(self._get(self.payment_intents, pi_id), expand)
            case ("POST", ["payment_intents", pi_id, "cancel"]):
                return self._cancel_payment_intent(pi_id, params)
            case ("GET", ["payment_methods", pm_id]):
                return self._get(self.payment_methods, pm_id)
            case ("GET", ["customers", cus_id, "payment_methods"]):
                return self._list_methods(cus_id)
            case ("GET", ["payment_methods"]):
                return self._list_methods(params.get("customer"))
            case ("GET", ["mandates", mandate_id]):
                return self._get(self.mandates, mandate_id)
            case ("POST", ["webhook_endpoints"]):
                return {"id": self._id("we"), "secret": "whsec_fake_created"}
        raise StripeError(404, f"Unrecognized request URL ({method}: {path})")

    def _get(self, store, object_id):
        if object_id not in store:
            raise StripeError(404, f"No such object: '{object_id}'", "resource_missing")
        return store[object_id]

    def _expand(self, intent, expand):
        intent = dict(intent)
        if "payment_method" in expand and intent.get("payment_method"):
            intent["payment_method"] = self.payment_methods[intent["payment_method"]]
        return intent

    def _list_methods(self, customer_id):
        data = [
            method
            for method in self.payment_methods.values()
            if method["customer"] == customer_id
        ]
        return {"object": "list", "data": data, "has_more": False}

    def _types(self, params):
        types = params.get("payment_method_types") or ["card"]
        return [types] if isinstance(types, str) else types

    def _create_setup_intent(self, params):
        if params.get("customer") not in self.customers:
            raise StripeError(400, "No such customer", "resource_missing")
        intent_id = self._id("seti")
        intent = {
            "id": intent_id,
            "object": "setup_intent",
            "client_secret": f"{intent_id}_secret_fake",
            "customer": params["customer"],
            "description": params.get("description"),
            "payment_method_types": self._types(params),
            "payment_method_options": params.get("payment_method_options") or {},
            "payment_method": None,
            "mandate": None,
            "next_action": None,
            "status": "requires_payment_method",
        }
        self.setup_intents[intent_id] = intent
        return intent

    def _create_payment_intent(self, params):
        try:
            amount = int(params["amount"])
        except (KeyError, ValueError):
            raise StripeError(400, "Missing required param: amount.") from None
        if not params.get("currency"):
            raise StripeError(400, "Missing required param: currency.")
        intent_id = self._id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "client_secret": f"{intent_id}_secret_fake",
            "amount": amount,
            "currency": params["currency"],
            "customer": params.get("customer"),
            "description": params.get("description"),
            "payment_method_types": self._types(params),
            "payment_method": None,
            "setup_future_usage": params.get("setup_future_usage"),
            "mandate": params.get("mandate"),
            "last_payment_error": None,
            "charges": {"object": "list", "data": []},
            "status": "requires_payment_method",
            "created_with": params,
        }
        self.payment_intents[intent_id] = intent
        if str(params.get("confirm")).lower() == "true":
            method = self._get(self.payment_methods, params.get("payment_method"))
            if method["customer"] != intent["customer"]:
                raise StripeError(400, "The payment method is not the customer's.")
            if method["type"] not in intent["payment_method_types"]:
                raise StripeError(400, "The payment method type is not allowed.")
            if method["type"] == "us_bank_account":
                mandate = self.mandates.get(params.get("mandate"))
                if not mandate or mandate["payment_method"] != method["id"]:
                    raise StripeError(
                        400, "A mandate is required for this bank account."
                    )
            decline = self._confirm_payment_intent(intent, method)
            if decline:
                # Stripe: 402, the card error, the intent left to be paid
                # with another method
                raise StripeError(
                    402,
                    decline["message"],
                    decline["code"],
                    error_type="card_error",
                    decline_code=decline["decline_code"],
                    charge=decline["charge"],
                    doc_url="https://stripe.com/docs/error-codes/card-declined",
                    payment_intent=json.loads(json.dumps(intent)),
                    payment_method=dict(method),
                )
        return intent

    def _cancel_payment_intent(self, pi_id, params):
        """As Stripe: a PaymentIntent not yet paid is cancelled; one that
        succeeded, is processing or was cancelled already is refused (400
        ``payment_intent_unexpected_state``, the intent in the error)."""
        intent = self._get(self.payment_intents, pi_id)
        if intent["status"] not in CANCELLABLE:
            raise StripeError(
                400,
                "You cannot cancel this PaymentIntent because it has a status of "
                f"{intent['status']}. Only a PaymentIntent with one of the "
                f"following statuses may be canceled: {', '.join(CANCELLABLE)}.",
                "payment_intent_unexpected_state",
                payment_intent=dict(intent),
            )
        intent["status"] = "canceled"
        intent["canceled_at"] = int(time.time())
        intent["cancellation_reason"] = params.get("cancellation_reason")
        return intent

    def _verify_microdeposits(self, si_id, params):
        """As Stripe: the two amounts, or the descriptor code, as the
        intent's ``microdeposit_type`` asks; a mismatch counts as a failed
        attempt, and after too many the bank account is dropped."""
        intent = self._get(self.setup_intents, si_id)
        if intent["status"] != "requires_action":
            raise StripeError(
                400,
                "This SetupIntent does not need verification: its status is "
                f"{intent['status']}.",
                "setup_intent_unexpected_state",
            )
        kind = intent["next_action"]["verify_with_microdeposits"]["microdeposit_type"]
        given = [name for name in ("amounts", "descriptor_code") if params.get(name)]
        if len(given) != 1:
            raise StripeError(
                400,
                "You must provide exactly one of these parameters: amounts, "
                "descriptor_code.",
                "parameter_missing",
            )
        if given[0] != kind:
            raise StripeError(
                400,
                f"This bank account must be verified with {kind.replace('_', ' ')}.",
                "parameter_invalid_empty",
                param=given[0],
            )
        if kind == "amounts":
            try:
                amounts = [int(a) for a in params["amounts"]]
            except (TypeError, ValueError):
                amounts = None
            matches = amounts == MICRODEPOSIT_AMOUNTS
        else:
            matches = params["descriptor_code"] == MICRODEPOSIT_DESCRIPTOR_CODE
        if not matches:
            intent["verification_attempts"] = intent.get("verification_attempts", 0) + 1
            if intent["verification_attempts"] >= MICRODEPOSIT_ATTEMPTS:
                intent["status"] = "requires_payment_method"
                intent["next_action"] = None
                intent["payment_method"] = None
                raise StripeError(
                    400,
                    "You have exceeded the number of allowed verification attempts.",
                    "payment_method_microdeposit_verification_attempts_exceeded",
                )
            if kind == "amounts":
                raise StripeError(
                    400,
                    "The amounts provided do not match the amounts that were "
                    "sent to the bank account.",
                    "payment_method_microdeposit_verification_amounts_mismatch",
                )
            raise StripeError(
                400,
                "The verification code provided does not match the code that "
                "was sent to the bank account.",
                "payment_method_microdeposit_verification_descriptor_code_mismatch",
            )
        intent["status"] = "succeeded"
        intent["next_action"] = None
        self.payment_methods[intent["payment_method"]]["us_bank_account"][
            "status_details"
        ] = {}
        return self._expand(intent, ["payment_method"])

    # === WHAT STRIPE.JS AND STRIPE'S BACK END DO === #

    def create_payment_method(
        self, customer_id, kind="card", bank_name="STRIPE TEST BANK", number=None
    ):
        """A payment method as Stripe.js creates it; a card of test ``number``
        (``CARD_OK`` by default, see ``DECLINES``)."""
        method_id = self._id("pm")
        method = {
            "id": method_id,
            "object": "payment_method",
            "type": kind,
            "customer": customer_id,
            "card": None,
            "us_bank_account": None,
        }
        if kind == "card":
            number = number or CARD_OK
            self.card_numbers[method_id] = number
            method["card"] = {"brand": "visa", "last4": number[-4:], "exp_year": 2040}
        else:
            method["us_bank_account"] = {
                "bank_name": bank_name,
                "last4": "6789",
                "account_type": "checking",
                "routing_number": "110000000",
            }
        self.payment_methods[method_id] = method
        return method

    def save_method(self, kind="card", ip="127.0.0.1", agent="Tests", number=None):
        """A customer with a saved payment method (and, for a bank account,
        its mandate), as a validation leaves them; a card of test ``number``
        (one that Stripe lets save: ``CARD_DECLINED_AFTER_ATTACH`` to be
        declined when charged).

        :return: ``(customer id, payment method id, mandate id or None)``
        """
        with self.lock:
            customer_id = self._id("cus")
            self.customers[customer_id] = {"id": customer_id, "object": "customer"}
            if DECLINES.get(number, ("charge",))[0] == "attach":
                raise ValueError(f"Stripe does not save the card {number}.")
            method = self.create_payment_method(customer_id, kind, number=number)
            mandate_id = (
                self._create_mandate(method, ip, agent)
                if kind == "us_bank_account"
                else None
            )
            return customer_id, method["id"], mandate_id

    def _create_mandate(self, method, ip, agent):
        mandate_id = self._id("mandate")
        self.mandates[mandate_id] = {
            "id": mandate_id,
            "object": "mandate",
            "payment_method": method["id"],
            "type": "multi_use",
            "status": "active",
            "customer_acceptance": {
                "type": "online",
                "accepted_at": int(time.time()),
                "online": {"ip_address": ip, "user_agent": agent},
            },
        }
        return mandate_id

    def confirm_setup_intent(
        self,
        si_id,
        kind="card",
        microdeposits=False,
        ip="127.0.0.1",
        agent="Tests",
        number=None,
    ):
        """As ``stripe.confirmSetup`` with the Payment Element (Financial
        Connections for a bank account, or microdeposits when instant
        verification is not available: ``microdeposits`` is True or
        ``"amounts"`` for two deposits, ``"descriptor_code"`` for one deposit
        with a code). A card that Stripe refuses to save leaves the intent
        ``requires_payment_method`` with its ``last_setup_error``."""
        with self.lock:
            intent = self._get(self.setup_intents, si_id)
            decline = DECLINES.get(number)
            if kind == "card" and decline and decline[0] == "attach":
                intent["last_setup_error"] = {
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": decline[1],
                    "message": decline[2],
                }
                intent["status"] = "requires_payment_method"
                return intent
            method = self.create_payment_method(intent["customer"], kind, number=number)
            intent["payment_method"] = method["id"]
            if kind == "us_bank_account":
                intent["mandate"] = self._create_mandate(method, ip, agent)
            if microdeposits:
                intent["status"] = "requires_action"
                intent["next_action"] = {
                    "type": "verify_with_microdeposits",
                    "verify_with_microdeposits": {
                        "microdeposit_type": (
                            "descriptor_code"
                            if microdeposits == "descriptor_code"
                            else "amounts"
                        ),
                    },
                }
                method["us_bank_account"]["status_details"] = {
                    "blocked": None,
                }
            else:
                intent["status"] = "succeeded"
            return intent

    def confirm_payment_intent(
        self, pi_id, kind="card", ip="127.0.0.1", agent="Tests", number=None
    ):
        """As ``stripe.confirmPayment`` with the Payment Element: refused
        (``StripeError``) once the intent was cancelled or paid; a declined
        card (test ``number``) leaves it ``requires_payment_method`` with its
        ``last_payment_error``."""
        with self.lock:
            intent = self._get(self.payment_intents, pi_id)
            if intent["status"] in ("canceled", "succeeded", "processing"):
                raise StripeError(
                    400,
                    "This PaymentIntent's status is "
                    f"{intent['status']}, it cannot be confirmed.",
                    "payment_intent_unexpected_state",
                    payment_intent=dict(intent),
                )
            method = self.create_payment_method(intent["customer"], kind, number=number)
            if kind == "us_bank_account":
                intent["mandate"] = self._create_mandate(method, ip, agent)
            self._confirm_payment_intent(intent, method)
            return intent

    def _confirm_payment_intent(self, intent, method):
        """Charge ``method``: the intent succeeds (a card) or is processing
        (a bank account); a declined card leaves it to be paid with another
        method, and the decline (Stripe's error object) is returned."""
        intent["payment_method"] = method["id"]
        details = {"type": method["type"], method["type"]: {}}
        if intent.get("mandate"):
            details[method["type"]]["mandate"] = intent["mandate"]
        decline = DECLINES.get(self.card_numbers.get(method["id"]))
        charge = {
            "id": self._id("ch"),
            "amount": intent["amount"],
            "payment_method_details": details,
            "status": "failed" if decline else "succeeded",
        }
        intent["charges"] = {"object": "list", "data": [charge]}
        if decline:
            error = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": decline[1],
                "message": decline[2],
                "charge": charge["id"],
                "payment_method": dict(method),
            }
            intent["status"] = "requires_payment_method"
            intent["payment_method"] = None
            intent["last_payment_error"] = error
            return error
        intent["last_payment_error"] = None
        intent["status"] = (
            "processing" if method["type"] == "us_bank_account" else "succeeded"
        )
        return None

    def settle(self, pi_id, succeeded=True):
        """The bank answers: an ACH payment in ``processing`` succeeds or fails."""
        with self.lock:
            intent = self._get(self.payment_intents, pi_id)
            if succeeded:
                intent["status"] = "succeeded"
            else:
                intent["status"] = "requires_payment_method"
                intent["last_payment_error"] = {
                    "code": "insufficient_funds",
                    "message": "The customer's account has insufficient funds.",
                }
            return intent

    def dispute(self, pi_id, reason="debit_not_authorized"):
        """The bank returns a debit that had succeeded (a dispute)."""
        with self.lock:
            intent = self._get(self.payment_intents, pi_id)
            return {
                "id": self._id("dp"),
                "object": "dispute",
                "amount": intent["amount"],
                "currency": intent["currency"],
                "charge": intent["charges"]["data"][0]["id"],
                "payment_intent": pi_id,
                "reason": reason,
                "status": "lost",
            }

    def event(self, event_type, obj):
        return {
            "id": self._id("evt"),
            "object": "event",
            "api_version": "2019-05-16",
            "created": int(time.time()),
            "type": event_type,
            "data": {"object": json.loads(json.dumps(obj))},
        }

    @staticmethod
    def sign(payload, secret, timestamp=None):
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = hmac.new(
            secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
        ).hexdigest()
        return f"t={timestamp},v1={signature}"

    def send_event(self, url, event, secret=None, timestamp=None, header=None):
        """POST ``event`` to the webhook at ``url`` as Stripe does, signed with
        ``secret`` (no signature without one, or ``header`` as given)."""
        payload = json.dumps(event)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if header is None and secret:
            header = self.sign(payload, secret, timestamp)
        if header is not None:
            headers["Stripe-Signature"] = header
        return requests.post(url, data=payload, headers=headers, timeout=30)
