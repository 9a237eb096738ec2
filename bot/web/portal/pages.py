"""The portal's routes (mounted at /portal by bot.web.app). Handlers stay thin: read the request, call
bot.web.portal.views or bot.services.landlord_actions in one unit of work, render a template.

    GET  /                         where the signed-in person works (inbox, caseload, admin)
    GET  /sign-in                  how to sign in; POST: a link by email
    GET  /sign-in/{token}          "Sign in" button; POST: uses the one-time link, sets the cookie
    POST /sign-out
    GET  /inbox                    landlord staff: open complaints, the nearest deadline first
    GET  /compliance, /compliance.csv
    GET  /caseload                 advocates: the cases residents shared with them
    GET  /cases/{ref}              the case page; POST /cases/{ref}/{action} (landlord staff),
                                   POST /cases/{ref}/propose/{what} (advocates who may act)
    GET  /cases/{ref}/evidence/{sha256}, /cases/{ref}/letter-{stage}.pdf
    GET  /admin                    operators: landlords to approve, invitations for staff
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import date
from email.message import EmailMessage
from typing import Any, TypeVar
from urllib.parse import quote

from starlette.background import BackgroundTask
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.catalogues import compile_catalogues
from bot.clock import Clock, SystemClock
from bot.delivery.email import send as send_email
from bot.services import documents
from bot.services.compliance_report import landlord_compliance
from bot.services.landlord_actions import Outcome, ResponseFile, act, landlord_today
from bot.services.notices import tell_staff_of_approval
from bot.services.people import ask_resident, may_use_portal
from bot.services.response_reading import read_letter_file_off_loop
from bot.settings import Settings
from bot.storage.access import CodeKind
from bot.storage.repository import Repository
from bot.storage.unit_of_work import UnitOfWork
from bot.web import paging
from bot.web.guards import RateLimit, client_address
from bot.web.portal import views
from bot.web.portal.rendering import SECURITY_HEADERS, render
from bot.web.portal.sessions import COOKIE_NAME, CSRF_FIELD, CookieSigner, csrf_matches
from flows.access_times import LINK_LIFETIME, SESSION_LIFETIME, whole_minutes
from flows.compliance import financial_year_start
from flows.compliance_csv import compliance_csv_chunks
from flows.conversations.parsing import date_problem_message, read_date
from flows.i18n import Translator, normalise_language, translator
from flows.landlord_actions import PROBLEM_TEXT, ActionKind, LandlordAction, Problem, caution_message
from flows.response_check import check_response, landlord_check_lines, stage_and_code
from flows.submissions import DETAIL_LABELS

log = logging.getLogger(__name__)
T = TypeVar("T")
PRE_COOKIE = "fairsay_portal_pre"  # before signing in: the CSRF token of the sign-in forms
_MAX_FIELDS = 20
EMAIL_REQUESTS_PER_HOUR = 20  # from one address (an office behind one NAT shares it)
FORM_OVERHEAD = 64 * 1024  # a form's fields and multipart framing around its one file
# A text field: a 2,000-character reason in any script, percent-encoded (up to 12 bytes a character).
TEXT_FIELD_MAX_BYTES = 24 * 1024
_PROPOSALS = ("stage2", "referral")
_STAFF_ROLES = ("member", "admin")


class Portal:
    def __init__(self, settings: Settings, repository: Repository, clock: Clock | None = None) -> None:
        self.settings = settings
        self.repository = repository
        self.clock = clock or SystemClock()
        if settings.portal_secret is None:
            log.warning("PORTAL_SECRET is not set: portal sessions end when this process stops")
            secret = secrets.token_urlsafe(32)
        else:
            secret = settings.portal_secret.get_secret_value()
        self.signer = CookieSigner(secret)
        self.pre_signer = CookieSigner(secret + ":pre")
        self.email_requests = RateLimit(EMAIL_REQUESTS_PER_HOUR, 3600)  # per client address
        compile_catalogues()  # the pages' languages, whoever built this app (not only `fairsay`)

    # --- plumbing -------------------------------------------------------------------------------------

    def run(self, work: Callable[[UnitOfWork], T]) -> Awaitable[T]:
        return asyncio.to_thread(self.repository.run_with_retry, work)

    def secure(self, request: Request) -> bool:
        base = self.settings.portal_base_url or ""
        return request.url.scheme == "https" or base.startswith("https://")

    def set_cookie(self, response: Response, request: Request, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/portal",
            httponly=True,
            secure=self.secure(request),
            samesite="lax",
        )

    @staticmethod
    def reader_language(request: Request) -> Translator:
        wanted = request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip()
        return translator(normalise_language(wanted))

    async def visitor(self, request: Request) -> views.Visitor | None:
        cookie = self.signer.read(request.cookies.get(COOKIE_NAME))
        if cookie is None:
            return None
        now = self.clock.now()
        return await self.run(lambda uow: views.load_visitor(uow, cookie, now))

    def page(self, template: str, visitor: views.Visitor, *, status: int = 200, **context: Any) -> Response:
        t = translator(visitor.user.language)
        return render(template, t, status=status, visitor=visitor, csrf=visitor.cookie.csrf, **context)

    def not_found(self, visitor: views.Visitor | None, request: Request) -> Response:
        """One answer for "not yours" and "no such thing", so nothing is disclosed."""
        if visitor is None:
            return render(
                "message.html", self.reader_language(request), status=404, visitor=None, kind="not_found"
            )
        return self.page("message.html", visitor, status=404, kind="not_found")

    def forbidden(
        self, request: Request, visitor: views.Visitor | None, *, signed_in: bool = False
    ) -> Response:
        """A form refused: its CSRF token is wrong, or (`signed_in` expected) the session has ended."""
        if visitor is not None:
            return self.page("message.html", visitor, status=403, kind="form_expired")
        kind = "session_ended" if signed_in else "form_expired"
        return render("message.html", self.reader_language(request), status=403, visitor=None, kind=kind)

    async def read_form(self, request: Request) -> FormData | None:
        """The form, or None when a text field or the file in it is too large (the whole body is
        limited by bot.web.app as it streams in)."""
        try:
            form = await request.form(max_files=1, max_fields=_MAX_FIELDS, max_part_size=TEXT_FIELD_MAX_BYTES)
        except HTTPException:
            return None
        files = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
        if any((upload.size or 0) > self.settings.evidence_max_bytes for upload in files):
            await form.close()
            return None
        return form

    async def signed_in_post(self, request: Request) -> tuple[views.Visitor, FormData] | Response:
        """A form from a signed-in person, with the right CSRF token; otherwise the page that says no.
        Who is signed in is known before a byte of the form is read."""
        visitor = await self.visitor(request)
        if visitor is None:
            return self.forbidden(request, None, signed_in=True)
        form = await self.read_form(request)
        if form is None:
            return self.page("message.html", visitor, status=413, kind="too_large")
        if not csrf_matches(visitor.cookie, form.get(CSRF_FIELD)):
            return self.forbidden(request, visitor, signed_in=True)
        return visitor, form

    # --- signing in and out ---------------------------------------------------------------------------

    def anonymous_page(
        self, request: Request, template: str, *, status: int = 200, **context: Any
    ) -> Response:
        """A page before signing in: its forms carry a token also set in a cookie (double submit)."""
        cookie, signed = self.pre_signer.new(0, 0)
        t = self.reader_language(request)
        response = render(template, t, status=status, visitor=None, csrf=cookie.csrf, **context)
        self.set_cookie(response, request, PRE_COOKIE, signed, int(LINK_LIFETIME.total_seconds()) * 4)
        return response

    def pre_csrf_ok(self, request: Request, form: FormData) -> bool:
        cookie = self.pre_signer.read(request.cookies.get(PRE_COOKIE))
        return cookie is not None and csrf_matches(cookie, form.get(CSRF_FIELD))

    async def home(self, request: Request) -> Response:
        visitor = await self.visitor(request)
        if visitor is None:
            return to_sign_in()
        if visitor.home == "nothing":
            return self.page("message.html", visitor, kind="no_role")
        if visitor.home == "awaiting_approval":
            return self.page("message.html", visitor, kind="awaiting_approval")
        return RedirectResponse(f"/portal/{visitor.home}", status_code=303, headers=SECURITY_HEADERS)

    async def sign_in_page(self, request: Request) -> Response:
        return self.anonymous_page(
            request, "sign_in.html", sent=False, email_on=bool(self.settings.smtp_host)
        )

    async def email_link(self, request: Request) -> Response:
        form = await self.read_form(request)
        if form is None or not self.pre_csrf_ok(request, form):
            return self.forbidden(request, None)
        address = str(form.get("email", "")).strip()
        t = self.reader_language(request)
        if not self.email_requests.allow(client_address(request, self.settings.trusted_proxy_networks)):
            return self.anonymous_page(
                request,
                "sign_in.html",
                status=429,
                sent=False,
                email_on=bool(self.settings.smtp_host),
                email=address,
                error=t.gettext(
                    "Too many links were asked for from your network. Please wait an hour, or send /portal "
                    "to the Fair Say bot."
                ),
            )
        # Not printable: NUL (which PostgreSQL refuses to compare), controls, bidi and zero-width marks.
        if "@" not in address or len(address) > 320 or not address.isprintable():
            return self.anonymous_page(
                request,
                "sign_in.html",
                status=422,
                sent=False,
                email_on=bool(self.settings.smtp_host),
                email=address,
                error=t.gettext("Please enter your email address, like name@example.org."),
            )
        now, base = self.clock.now(), self.settings.portal_base_url

        def issue(uow: UnitOfWork) -> tuple[str, str] | None:
            user = uow.user_with_email(address)
            if user is None or not may_use_portal(user) or base is None:
                return None
            if uow.sign_ins.holds_fresh_link(user.id, now):
                return None  # the one they hold works for 10 more minutes at least
            return user.language, f"{base}/sign-in/{uow.sign_ins.new_link(user.id, now)}"

        # No link is made that cannot be sent. The same answer whether or not the address is known;
        # the email goes after the response.
        issued = await self.run(issue) if self.settings.smtp_host else None
        response = self.anonymous_page(request, "sign_in.html", sent=True, email_on=True)
        response.background = BackgroundTask(self.send_link, address, *issued) if issued else None
        return response

    async def send_link(self, address: str, language: str, link: str) -> None:
        t = translator(language)
        message = EmailMessage()
        message["From"], message["To"] = self.settings.mail_from, address
        message["Subject"] = t.gettext("Your sign-in link for Fair Say")
        message.set_content(
            t.gettext(
                "Here is your link to the Fair Say web portal. It works once, within {minutes} minutes, and signs "
                "you in as you, so please don't share it:\n\n{link}\n\nIf you did not ask for it, you can ignore "
                "this email."
            ).format(link=link, minutes=t.format_number(whole_minutes(LINK_LIFETIME)))
        )
        try:
            await send_email(message, self.settings)
        except Exception as error:  # the person can ask again; the address is never logged
            log.warning("sign-in email not sent: %s", type(error).__name__)

    async def confirm_page(self, request: Request) -> Response:
        return self.anonymous_page(request, "confirm.html", token=request.path_params["token"])

    async def use_link(self, request: Request) -> Response:
        form = await self.read_form(request)
        if form is None or not self.pre_csrf_ok(request, form):
            return self.forbidden(request, None)
        token, now = request.path_params["token"], self.clock.now()
        opened = await self.run(lambda uow: uow.sign_ins.use_link(token, now))
        if opened is None:
            return render(
                "message.html", self.reader_language(request), status=410, visitor=None, kind="link_used"
            )
        _, value = self.signer.new(opened.id, opened.user_id)
        response = RedirectResponse("/portal/", status_code=303, headers=SECURITY_HEADERS)
        self.set_cookie(response, request, COOKIE_NAME, value, int(SESSION_LIFETIME.total_seconds()))
        response.delete_cookie(PRE_COOKIE, path="/portal")
        return response

    async def sign_out(self, request: Request) -> Response:
        checked = await self.signed_in_post(request)
        if isinstance(checked, Response):
            return checked
        visitor, now = checked[0], self.clock.now()
        await self.run(lambda uow: uow.sign_ins.end(visitor.cookie.session_id, now))
        response = render("message.html", translator(visitor.user.language), visitor=None, kind="signed_out")
        response.delete_cookie(COOKIE_NAME, path="/portal")
        return response

    # --- landlord staff -------------------------------------------------------------------------------

    async def staff(self, request: Request) -> views.Visitor | Response:
        visitor = await self.visitor(request)
        if visitor is None:
            return to_sign_in()
        if visitor.landlord is None:
            return self.not_found(visitor, request)
        return visitor

    async def inbox(self, request: Request) -> Response:
        visitor = await self.staff(request)
        if isinstance(visitor, Response):
            return visitor
        assert visitor.landlord is not None
        landlord_id, today = visitor.landlord.id, landlord_today(self.clock.now())
        number = page_number(request)
        found = await self.run(lambda uow: views.inbox(uow, landlord_id, today, number))
        return self.page("inbox.html", visitor, found=found, items=found.items, today=today)

    async def compliance(self, request: Request) -> Response:
        visitor = await self.staff(request)
        if isinstance(visitor, Response):
            return visitor
        assert visitor.landlord is not None
        landlord_id, today = visitor.landlord.id, landlord_today(self.clock.now())
        as_csv = request.url.path.endswith(".csv")  # the page shows the figures, the CSV every stage too
        figures = await self.run(
            lambda uow: landlord_compliance(
                uow, landlord_id, financial_year_start(today), today, today, with_stages=as_csv
            )
        )
        if as_csv:
            return StreamingResponse(
                (chunk.encode("utf-8") for chunk in compliance_csv_chunks(figures)),
                media_type="text/csv; charset=utf-8",
                headers={**SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="complaints.csv"'},
            )
        return self.page("compliance.html", visitor, figures=figures)

    # --- cases ----------------------------------------------------------------------------------------

    async def case_page(
        self,
        request: Request,
        visitor: views.Visitor | None = None,
        *,
        status: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        letter_check: list[str] | None = None,
        confirming: dict[str, bool] | None = None,
    ) -> Response:
        visitor = visitor or await self.visitor(request)
        if visitor is None:
            return to_sign_in()
        now = self.clock.now()
        ref, today = request.path_params["ref"], landlord_today(now)
        view = await self.run(lambda uow: views.case_view(uow, visitor, ref, today, now))
        if view is None:
            return self.not_found(visitor, request)
        done = request.query_params.get("done", "")
        return self.page(
            "case.html",
            visitor,
            status=status,
            view=view,
            today=today,
            done=done if done in {*ActionKind, *_PROPOSALS} else "",
            errors=errors or {},
            values=values or {},
            confirming=confirming or {},
            details_shown=DETAIL_LABELS,
            letter_check=letter_check or [],
        )

    async def case_action(self, request: Request) -> Response:
        checked = await self.signed_in_post(request)
        if isinstance(checked, Response):
            return checked
        visitor, form = checked
        ref = request.path_params["ref"]
        try:
            kind = ActionKind(request.path_params["action"])
        except ValueError:
            return self.not_found(visitor, request)
        if visitor.landlord is None:
            return self.not_found(visitor, request)
        t, now = translator(visitor.user.language), self.clock.now()
        values = {
            key: str(value) for key, value in form.items() if isinstance(value, str) and key != CSRF_FIELD
        }
        action = read_action(kind, form, t, landlord_today(now))
        if isinstance(action, str):
            return await self.case_page(request, visitor, status=422, errors={kind: action}, values=values)
        upload = form.get("response")
        response_file = None
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read()
            response_file = ResponseFile(upload.filename, data)
            if kind is ActionKind.RESPOND and not form.get("check"):  # read now: OCR takes seconds
                letter = await read_letter_file_off_loop(data, self.settings.evidence_max_bytes)
                response_file = ResponseFile(upload.filename, data, letter)
        if kind is ActionKind.RESPOND and form.get("check"):
            return await self.check_letter(request, visitor, response_file, t, values)
        landlord_id, user_id = visitor.landlord.id, visitor.user.id
        outcome: Outcome = await self.run(
            lambda uow: act(uow, landlord_id, user_id, ref, action, now, response_file)
        )
        if outcome.not_found:
            return self.not_found(visitor, request)
        if outcome.event is None:
            message = outcome_problem(outcome, t, self.settings.evidence_max_bytes)
            return await self.case_page(
                request,
                visitor,
                status=422,
                errors={kind: message},
                values=values,
                confirming={kind: outcome.problem is Problem.CONFIRMATION_NEEDED},
            )
        return RedirectResponse(
            f"/portal/cases/{ref}?done={kind.value}", status_code=303, headers=SECURITY_HEADERS
        )

    async def check_letter(
        self,
        request: Request,
        visitor: views.Visitor,
        response_file: ResponseFile | None,
        t: Translator,
        values: dict[str, str],
    ) -> Response:
        """ "Check the letter first": the response read and checked against the Code's list
        (flows.response_check), shown on the case page; nothing recorded, nothing kept."""
        if response_file is None:
            problem = t.gettext("Choose the letter to check.")
            return await self.case_page(
                request, visitor, status=422, errors={"respond": problem}, values=values
            )
        ref, today = request.path_params["ref"], landlord_today(self.clock.now())
        case = await self.run(lambda uow: views.case_for_check(uow, visitor, ref))
        if case is None:
            return self.not_found(visitor, request)
        # OCR takes seconds: off the event loop, and outside any transaction.
        letter = await read_letter_file_off_loop(response_file.data, self.settings.evidence_max_bytes)
        if letter.text is None:
            lines = [t.gettext("The words in this file could not be read, so it was not checked.")]
        else:
            stage, code = stage_and_code(case, today)
            check = check_response(letter.text, today, stage=stage, code=code)
            lines = landlord_check_lines(check, stage, t)
        return await self.case_page(request, visitor, values=values, letter_check=lines)

    async def propose(self, request: Request) -> Response:
        checked = await self.signed_in_post(request)
        if isinstance(checked, Response):
            return checked
        visitor, _ = checked
        ref, what, now = request.path_params["ref"], request.path_params["what"], self.clock.now()
        if what not in _PROPOSALS:
            return self.not_found(visitor, request)
        user_id = visitor.user.id
        asked = await self.run(lambda uow: ask_resident(uow, user_id, ref, what, now))
        if not asked:
            return self.not_found(visitor, request)
        return RedirectResponse(f"/portal/cases/{ref}?done={what}", status_code=303, headers=SECURITY_HEADERS)

    async def evidence(self, request: Request) -> Response:
        visitor = await self.visitor(request)
        if visitor is None:
            return self.not_found(None, request)
        ref, sha256 = request.path_params["ref"], request.path_params["sha256"]
        found = await self.run(lambda uow: views.evidence_bytes(uow, visitor, ref, sha256))
        if found is None:
            return self.not_found(visitor, request)
        item, data = found
        name = item.original_name or f"evidence-{item.sha256[:12]}"
        return Response(
            data,
            media_type=item.mime_type,
            headers={
                **SECURITY_HEADERS,
                "Content-Disposition": f"attachment; filename*=UTF-8''{_quoted(name)}",
                "Digest": f"sha-256={item.sha256}",
            },
        )

    async def letter_pdf(self, request: Request) -> Response:
        visitor = await self.visitor(request)
        if visitor is None:
            return self.not_found(None, request)
        ref, stage = request.path_params["ref"], request.path_params["stage"]
        letter = await self.run(lambda uow: views.stage_letter(uow, visitor, ref, stage))
        if letter is None:
            return self.not_found(visitor, request)
        pdf = await asyncio.to_thread(documents.render_pdf, letter)
        return Response(
            pdf.data,
            media_type="application/pdf",
            headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{pdf.filename}"'},
        )

    # --- advocates ------------------------------------------------------------------------------------

    async def caseload(self, request: Request) -> Response:
        visitor = await self.visitor(request)
        if visitor is None:
            return to_sign_in()
        if not visitor.advocate:
            return self.not_found(visitor, request)
        user_id, today = visitor.user.id, landlord_today(self.clock.now())
        number = page_number(request)
        found = await self.run(lambda uow: views.caseload(uow, user_id, today, number))
        return self.page("caseload.html", visitor, found=found, items=found.items, today=today)

    # --- operators ------------------------------------------------------------------------------------

    async def admin(self, request: Request, visitor: views.Visitor | None = None, **context: Any) -> Response:
        visitor = visitor or await self.visitor(request)
        if visitor is None:
            return to_sign_in()
        if not visitor.operator:
            return self.not_found(visitor, request)
        landlords = await self.run(lambda uow: uow.access.landlords())
        return self.page("admin.html", visitor, landlords=landlords, **context)

    async def approve(self, request: Request) -> Response:
        checked = await self.signed_in_post(request)
        if isinstance(checked, Response):
            return checked
        visitor, _ = checked
        if not visitor.operator:
            return self.not_found(visitor, request)
        landlord_id, now, user_id = int(request.path_params["id"]), self.clock.now(), visitor.user.id

        def approve(uow: UnitOfWork) -> bool:
            approved = uow.access.approve_landlord(landlord_id, now)
            if approved:
                uow.audit("landlord_approved", actor_user_id=user_id, landlord_id=landlord_id)
                tell_staff_of_approval(uow, landlord_id, now)
            return approved

        if not await self.run(approve):
            return self.not_found(visitor, request)
        return await self.admin(request, visitor, approved=landlord_id)

    async def invite(self, request: Request) -> Response:
        checked = await self.signed_in_post(request)
        if isinstance(checked, Response):
            return checked
        visitor, form = checked
        role = str(form.get("role", "member"))
        if not visitor.operator or role not in _STAFF_ROLES:
            return self.not_found(visitor, request)
        landlord_id, now, user_id = int(request.path_params["id"]), self.clock.now(), visitor.user.id

        def invite(uow: UnitOfWork) -> str | None:
            landlord = uow.access.landlord(landlord_id)
            if landlord is None:
                return None
            code = uow.access.create_code(
                CodeKind.STAFF, user_id, landlord_id=landlord_id, scope=role, now=now
            )
            uow.audit("staff_invited", actor_user_id=user_id, landlord_id=landlord_id, scope=role)
            return code

        code = await self.run(invite)
        if code is None:
            return self.not_found(visitor, request)
        return await self.admin(request, visitor, invited=(landlord_id, code, role))

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/", self.home, methods=["GET"]),
            Route("/sign-in", self.sign_in_page, methods=["GET"]),
            Route("/sign-in", self.email_link, methods=["POST"]),
            Route("/sign-in/{token}", self.confirm_page, methods=["GET"]),
            Route("/sign-in/{token}", self.use_link, methods=["POST"]),
            Route("/sign-out", self.sign_out, methods=["POST"]),
            Route("/inbox", self.inbox, methods=["GET"]),
            Route("/compliance", self.compliance, methods=["GET"]),
            Route("/compliance.csv", self.compliance, methods=["GET"]),
            Route("/caseload", self.caseload, methods=["GET"]),
            Route("/cases/{ref}", self.case_page, methods=["GET"]),
            Route("/cases/{ref}/evidence/{sha256}", self.evidence, methods=["GET"]),
            Route("/cases/{ref}/letter-{stage:int}.pdf", self.letter_pdf, methods=["GET"]),
            Route("/cases/{ref}/propose/{what}", self.propose, methods=["POST"]),
            Route("/cases/{ref}/{action}", self.case_action, methods=["POST"]),
            Route("/admin", self.admin, methods=["GET"]),
            Route("/admin/landlords/{id:int}/approve", self.approve, methods=["POST"]),
            Route("/admin/landlords/{id:int}/invite", self.invite, methods=["POST"]),
            Mount("/static", StaticFiles(packages=[("bot.web.portal", "static")]), name="static"),
        ]


def page_number(request: Request) -> int:
    """`?page=N` of a list (from 1); anything else is the first page (past the last: the last)."""
    return paging.page_number(request.query_params.get("page"))


def too_large_page(request: Request) -> Response:
    """The answer to a body past its limit, before anyone is known (bot.web.guards' BodyLimit)."""
    return render("message.html", Portal.reader_language(request), status=413, visitor=None, kind="too_large")


def to_sign_in() -> Response:
    return RedirectResponse("/portal/sign-in", status_code=303, headers=SECURITY_HEADERS)


def read_action(kind: ActionKind, form: FormData, t: Translator, today: date) -> LandlordAction | str:
    """The action the form describes, or what is wrong with a date in it (the domain checks the rest)."""
    on = today
    typed_on = str(form.get("date", "")).strip()
    if typed_on:
        reading = read_date(typed_on, t, today, allow_future=True)
        if reading.value is None:
            assert reading.problem is not None
            return date_problem_message(reading.problem, typed_on, t, today)
        on = reading.value
    new_due = None
    typed_due = str(form.get("new_due", "")).strip()
    if kind is ActionKind.EXTEND and typed_due:
        reading = read_date(typed_due, t, today, allow_future=True)
        if reading.value is None:
            assert reading.problem is not None
            return date_problem_message(reading.problem, typed_due, t, today)
        new_due = reading.value
    reason = str(form.get("reason", "")) if kind in (ActionKind.EXTEND, ActionKind.DECLINE) else None
    return LandlordAction(kind, on, new_due, reason, confirmed=form.get("confirm") == "yes")


def outcome_problem(outcome: Outcome, t: Translator, max_bytes: int) -> str:
    if outcome.problem is Problem.CONFIRMATION_NEEDED:
        return " ".join(
            [*(caution_message(c, t) for c in outcome.cautions), t.gettext(PROBLEM_TEXT[outcome.problem])]
        )
    if outcome.problem is not None:
        return t.gettext(PROBLEM_TEXT[outcome.problem])
    if outcome.file_problem == "too_large":
        megabytes = max_bytes // (1024 * 1024)
        return t.gettext("That file is too large: files can be up to {n} MB.").format(
            n=t.format_number(megabytes)
        )
    return t.gettext(
        "Please upload the response as a PDF, a Word document (DOCX) or a photo (JPEG, PNG, WebP, HEIC)."
    )


def _quoted(name: str) -> str:
    return quote(name, safe="")


def routes(settings: Settings, repository: Repository, clock: Clock | None = None) -> list[BaseRoute]:
    return Portal(settings, repository, clock).routes()
