# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from werkzeug.exceptions import BadRequest, Forbidden, InternalServerError, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.account.controllers.download_docs import (
    AccountDocumentDownloadController,
)
from odoo.addons.base.models.ir_qweb import QWebException
from odoo.addons.web.controllers.report import ReportController

from ..parsing import parse_id

# The context a portal or public user may give /report/*: key -> type.
PORTAL_REPORT_CONTEXT = {"lang": str, "tz": str, "force_report_rendering": bool}


def _download_allowed(moves):
    """Whether the user of the request may download ``moves``. Portal
    routes hand documents over as the superuser (_document_check_access):
    ask the rule as the request's user."""
    return moves.with_env(request.env)._portal_download_allowed()


def _posted(moves):
    return bool(moves) and all(move.state == "posted" for move in moves)


class PortalInvoiceAccessMixin:
    """The invoice page's files, in one class (one override of each stock
    method, whatever the import order):

    - the portal download setting on the PDF of the invoice page,
      downloaded (its legal documents, which stock serves without
      _show_report) or shown inline (_show_report). The rule itself is
      ``account.move._portal_check_download``; ir.binary applies it to
      /web/content, the report controller below to /report/*. Who may see
      the document is decided by record rules.
    - a posted invoice is never a pro-forma to its customer. Stock renders
      the invoice of the portal page (HTML, PDF shown inline) as a
      "PROFORMA" until its official PDF was generated (sent or printed from
      the back office), and its download is then a pro-forma PDF. The
      customer gets the invoice itself instead: the same report, without the
      pro-forma title. The official PDF, once generated, is still what the
      download gives."""

    @http.route()
    def portal_my_invoice_detail(
        self, invoice_id, access_token=None, report_type=None, download=False, **kw
    ):
        if report_type in ("pdf", "text"):
            try:
                invoice_sudo = self._document_check_access(
                    "account.move", invoice_id, access_token
                )
            except (AccessError, MissingError):
                return request.redirect("/my")
            if not _download_allowed(invoice_sudo):
                return request.redirect(invoice_sudo.get_portal_url())
            if (
                report_type == "pdf"
                and download
                and _posted(invoice_sudo)
                and not invoice_sudo.invoice_pdf_report_id
            ):
                return self._show_report(
                    model=invoice_sudo,
                    report_type="pdf",
                    report_ref=invoice_sudo._portal_invoice_report_name(),
                    download=True,
                )
        return super().portal_my_invoice_detail(
            invoice_id,
            access_token=access_token,
            report_type=report_type,
            download=download,
            **kw,
        )

    def _show_report(self, model, report_type, report_ref, download=False):
        if model._name == "account.move":
            # The HTML rendering is the document shown on its portal page;
            # any other rendering (PDF) is a file.
            if report_type != "html" and not _download_allowed(model):
                return request.redirect(model.get_portal_url())
            if _posted(model):
                request.update_context(proforma_invoice=False)
        return super()._show_report(model, report_type, report_ref, download=download)


class PortalInvoiceReportController(ReportController):
    """Portal download setting on /report/<converter>/<report>/<ids> (PDF,
    HTML, text; /report/download goes through it too): a portal user gets no
    rendering of a report on invoices of a company that turned portal
    downloads off, nor on any document whose model asks the same rule
    (``_portal_check_download``)."""

    @staticmethod
    def _portal_report_docids(reportname, docids):
        """The ids of the documents the URL asks, read once: what no record
        can have is left out as stock leaves out what is no number (non-ASCII
        digits, ids out of the database's range).

        :raise NotFound: when an id names no document of the report (the
            rendering would fail on it).
        """
        ids = [doc_id for doc_id in map(parse_id, docids.split(",")) if doc_id]
        try:
            report = request.env["ir.actions.report"]._get_report(reportname)
        except ValueError:
            report = request.env["ir.actions.report"]
        if ids and report.model in request.env:
            documents = request.env[report.model].browse(ids)
            if len(documents.exists()) != len(documents):
                raise NotFound()
        return ",".join(map(str, ids))

    @staticmethod
    def _portal_report_check_request(reportname, data):
        """The report a URL names exists, and its ``options`` and
        ``context`` are JSON objects.

        :raise NotFound: when no report has that name.
        :raise BadRequest: when the options or the context are no JSON
            object.
        """
        try:
            report = request.env["ir.actions.report"]._get_report(reportname)
        except ValueError:
            raise NotFound() from None
        parsed = {}
        for key in ("options", "context"):
            value = data.get(key)
            if not value:
                continue
            try:
                parsed[key] = json.loads(value)
            except (TypeError, ValueError):
                parsed[key] = None
            if not isinstance(parsed[key], dict):
                raise BadRequest(request.env._("Invalid report %s.", key))
        if request.env.user._is_internal():
            return
        # A portal or public user gives the rendering only what a report of
        # ours reads (``_portal_report_options`` of its report model: the
        # options are values of its template, a ``company_id`` or a nested
        # ``context`` there broke the page), and a language and a time zone
        # as the context (and stock's switch to render again).
        report_model = request.env.get(f"report.{report.report_name}")
        allowed = set(getattr(report_model, "_portal_report_options", ()))
        if set(parsed.get("options", {})) - allowed:
            raise BadRequest(request.env._("Invalid report options."))
        context = parsed.get("context", {})
        if not all(
            isinstance(value, PORTAL_REPORT_CONTEXT.get(key, ()))
            for key, value in context.items()
        ):
            raise BadRequest(request.env._("Invalid report context."))

    @http.route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        self._portal_report_check_request(reportname, data)
        if docids:
            docids = self._portal_report_docids(reportname, docids)
        if docids and not request.env.user._is_internal():
            try:
                # by XML id or report name, as the rendering finds it
                report = request.env["ir.actions.report"]._get_report(reportname)
            except ValueError:
                report = request.env["ir.actions.report"]
            # the documents of any model that knows the download rule
            # (account.move; parent documents of other addons delegate it)
            model = request.env.get(report.model) if report.model else None
            if model is not None and hasattr(model, "_portal_check_download"):
                ids = [int(doc_id) for doc_id in docids.split(",")]
                model.browse(ids).exists()._portal_check_download()
        try:
            return super().report_routes(
                reportname, docids=docids, converter=converter, **data
            )
        except (AccessError, MissingError, QWebException) as error:
            # a document the user may not read (found by the rendering of the
            # template, that wraps the error): refused, nothing to log
            cause = error.__cause__ if isinstance(error, QWebException) else error
            if isinstance(cause, AccessError):
                raise Forbidden() from None
            if isinstance(cause, MissingError):
                raise NotFound() from None
            raise

    @http.route()
    def report_download(self, data, context=None, token=None, readonly=True):
        """Stock answers any error of the rendering with its traceback: a
        portal user asking documents it may not read gets a clean 403 (404
        when they do not exist) instead."""
        if request.env.user._is_internal():
            return super().report_download(
                data, context=context, token=token, readonly=readonly
            )
        try:
            url, report_type = json.loads(data)[:2]
        except (TypeError, ValueError, KeyError):
            raise BadRequest() from None
        pattern = {"qweb-pdf": "/report/pdf/", "qweb-text": "/report/text/"}.get(
            report_type
        )
        if not pattern or not isinstance(url, str) or pattern not in url:
            raise BadRequest()
        # <reportname>[/<docids>], as stock reads it
        reportname, _sep, docids = url.split(pattern)[1].split("?")[0].partition("/")
        if docids:
            self._portal_report_check_request(reportname, {"context": context})
            docids = self._portal_report_docids(reportname, docids)
            report = request.env["ir.actions.report"]._get_report(reportname)
            if docids and report.model in request.env:
                records = request.env[report.model].browse(
                    [int(doc_id) for doc_id in docids.split(",")]
                )
                if not records.has_access("read"):
                    raise Forbidden()
        try:
            return super().report_download(
                data, context=context, token=token, readonly=readonly
            )
        except InternalServerError as error:
            cause = error.__cause__
            if isinstance(cause, (AccessError, Forbidden)):
                raise Forbidden() from None
            if isinstance(cause, (MissingError, NotFound)):
                raise NotFound() from None
            if isinstance(cause, BadRequest):
                raise BadRequest() from None
            raise


class PortalInvoiceDocumentDownloadController(AccountDocumentDownloadController):
    """Portal download setting on the legal documents route (stock already
    refuses it to portal users: they cannot read the attachments)."""

    @http.route()
    def download_invoice_documents_filetype(
        self, invoices, filetype, allow_fallback=True
    ):
        invoices._portal_check_download()
        return super().download_invoice_documents_filetype(
            invoices, filetype, allow_fallback=allow_fallback
        )
