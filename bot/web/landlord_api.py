"""The landlord API, for a landlord's own complaint systems (mounted at /api/v1 by bot.web.app):

    GET  /api/v1/complaints[?page=N]      the landlord's open complaints, nearest due date first,
                                          50 a page ("next_page": the next one's number, or null)
    GET  /api/v1/complaints/{ref}         the submission document of the complaint's latest stage
    POST /api/v1/complaints/{ref}/actions acknowledge, extend, respond or decline (ActionRequest)

Every call carries `Authorization: Bearer <key>` (`fairsay admin landlords api-key ID`); an unknown
key, or a landlord not approved, gets 401. A reference that is not this landlord's, real or made up,
gets the same 404, byte for byte, so nothing is disclosed. Errors are JSON: {"error": code,
"message": English text} (and "field" when one field is at fault). docs/landlords.md has examples.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.clock import Clock, SystemClock
from bot.delivery.document import build_document
from bot.services.landlord_actions import Outcome, ResponseFile, act, landlord_case, landlord_today
from bot.services.response_reading import read_letter_file_off_loop
from bot.settings import Settings
from bot.storage import case_lists
from bot.storage.access import Landlord, Submission
from bot.storage.records import CaseSummary
from bot.storage.repository import Repository
from bot.storage.unit_of_work import UnitOfWork
from bot.web.paging import page_number
from flows.contract import IsoDate
from flows.i18n import translator
from flows.landlord_actions import PROBLEM_TEXT, ActionKind, LandlordAction, Problem, caution_message

_BODY_OVERHEAD = 64 * 1024  # room for the JSON around a base64-encoded response file
_ROUTE_PREFERENCE = {"webhook": 0, "email": 1, "telegram": 2}  # whose idempotency key GET shows
_PROBLEM_FIELD = {
    Problem.REASON_REQUIRED: "reason",
    Problem.REASON_TOO_LONG: "reason",
    Problem.DATE_REQUIRED: "new_due",
    Problem.DATE_NOT_LATER: "new_due",
    Problem.DATE_IN_FUTURE: "date",
    Problem.DATE_TOO_EARLY: "date",
    Problem.OUT_OF_ORDER: "date",
}


class ResponseUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filename: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(description="The file's bytes in base64: a PDF, a Word document or a photo.")


class ActionRequest(BaseModel):
    """What the landlord did with a complaint: POST /api/v1/complaints/{ref}/actions."""

    model_config = ConfigDict(extra="forbid")

    action: ActionKind
    date: IsoDate | None = Field(
        None, description="The day you did it (YYYY-MM-DD); today in London if left out; never in the future."
    )
    new_due: IsoDate | None = Field(None, description="extend: the new date you will respond by (required).")
    reason: str | None = Field(
        None,
        description="extend and decline: why (required, under 2,000 characters); the resident is told it.",
    )
    response: ResponseUpload | None = Field(None, description="respond: your response letter, optional.")
    confirm: bool = Field(
        False,
        description=(
            "extend and decline: true to go ahead after a 409 confirmation_needed, whose cautions say why the "
            "action may be wrong (declining a stage 2 request, an extension past the Code's cap)."
        ),
    )


def schemas() -> dict[str, dict[str, Any]]:
    return {"landlord-action.schema.json": ActionRequest.model_json_schema()}


def error(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    content = {"error": code, "message": message} | ({"field": field} if field else {})
    return JSONResponse(content, status_code=status)


NOT_FOUND = {"error": "not_found"}  # one answer for "not yours" and "no such complaint"


def _field_path(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "body"


def _problem_of(invalid: ValidationError) -> JSONResponse:
    first = invalid.errors()[0]
    field = _field_path(tuple(first["loc"]))
    described = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
    message = f"{field}: {str(described).removeprefix('Value error, ')}"
    return error(422, "invalid_request", message, field)


@dataclass(frozen=True, slots=True)
class Parsed:
    action: LandlordAction
    response: ResponseFile | None


def parse_action(raw: bytes, today: date) -> Parsed | JSONResponse:
    """The request as the domain's action, or the 422 that says which field is wrong."""
    try:
        data = json.loads(raw)
    except RecursionError:
        return error(422, "invalid_json", "body: JSON nested too deeply", "body")
    except (json.JSONDecodeError, UnicodeDecodeError) as bad:
        return error(422, "invalid_json", f"body: malformed JSON ({type(bad).__name__})", "body")
    except ValueError:  # a number of more than 4,300 digits, which int() refuses to read
        return error(422, "invalid_json", "body: a number in it is too long", "body")
    if not isinstance(data, dict):
        return error(422, "invalid_request", 'body: expected a JSON object with "action"', "body")
    try:
        request = ActionRequest.model_validate(data)
    except ValidationError as invalid:
        return _problem_of(invalid)
    if request.response is not None and request.action is not ActionKind.RESPOND:
        return error(422, "invalid_request", 'response: only with "action": "respond"', "response")
    if request.new_due is not None and request.action is not ActionKind.EXTEND:
        return error(422, "invalid_request", 'new_due: only with "action": "extend"', "new_due")
    response = None
    if request.response is not None:
        try:
            content = base64.b64decode(request.response.content_base64, validate=True)
        except (binascii.Error, ValueError):
            return error(
                422, "invalid_request", "response.content_base64: not base64", "response.content_base64"
            )
        response = ResponseFile(request.response.filename, content)
    action = LandlordAction(
        request.action, request.date or today, request.new_due, request.reason, confirmed=request.confirm
    )
    return Parsed(action, response)


def _latest_submission(submissions: list[Submission], landlord_id: int) -> Submission | None:
    mine = [s for s in submissions if s.landlord_id == landlord_id]
    if not mine:
        return None
    stage = max(s.stage for s in mine)
    return min(
        (s for s in mine if s.stage == stage), key=lambda s: (_ROUTE_PREFERENCE.get(s.channel, 9), s.id)
    )


def open_complaints(uow: UnitOfWork, landlord_id: int, today: date, page: int = 1) -> dict[str, Any]:
    """A page of the landlord's open complaints, the nearest deadline first, from the kept clocks."""
    found = case_lists.landlord_open_cases(uow.session.connection(), landlord_id, today, page)
    complaints = [
        {
            "ref": listed.summary.public_ref,
            "stage": listed.stage,
            "state": listed.summary.lifecycle_state,
            "next_due": listed.clocks[0].due.isoformat() if listed.clocks else None,
            "overdue": any(clock.missed for clock in listed.clocks),
        }
        for listed in found.cases
    ]
    return {
        "complaints": complaints,
        "total": found.total,
        "next_page": found.page + 1 if found.page < found.pages else None,
    }


def complaint_document(uow: UnitOfWork, landlord_id: int, ref: str, now: datetime) -> dict[str, Any] | None:
    summary = landlord_case(uow, landlord_id, ref)
    if summary is None:
        return None
    latest = _latest_submission(uow.access.submissions_of_case(summary.id), landlord_id)
    if latest is None:
        return None
    return build_document(uow, latest, now).model_dump(mode="json")


def body_limit(settings: Settings) -> int:
    """The largest request body: a base64-encoded response file and the JSON around it (bot.web
    answers 413 past it, as the body streams in)."""
    return settings.evidence_max_bytes * 4 // 3 + _BODY_OVERHEAD


def routes(settings: Settings, repository: Repository, clock: Clock | None = None) -> list[Route]:
    clock = clock or SystemClock()

    def in_transaction(work: Callable[[UnitOfWork], Any]) -> Any:
        return asyncio.to_thread(repository.run_with_retry, work)

    async def authenticate(request: Request) -> Landlord | None:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            return None
        landlord: Landlord | None = await in_transaction(
            lambda uow: uow.access.landlord_by_api_key(key.strip())
        )
        return landlord

    def unauthorised() -> JSONResponse:
        response = error(401, "unauthorized", "Send your API key as: Authorization: Bearer <key>.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="fairsay"'
        return response

    async def list_complaints(request: Request) -> Response:
        landlord = await authenticate(request)
        if landlord is None:
            return unauthorised()
        today = landlord_today(clock.now())
        page = page_number(request.query_params.get("page"))
        listed = await in_transaction(lambda uow: open_complaints(uow, landlord.id, today, page))
        return JSONResponse(listed)

    async def get_complaint(request: Request) -> Response:
        landlord = await authenticate(request)
        if landlord is None:
            return unauthorised()
        ref, now = request.path_params["ref"], clock.now()
        document = await in_transaction(lambda uow: complaint_document(uow, landlord.id, ref, now))
        return JSONResponse(document) if document is not None else JSONResponse(NOT_FOUND, 404)

    async def post_action(request: Request) -> Response:
        landlord = await authenticate(request)
        if landlord is None:
            return unauthorised()
        now = clock.now()
        parsed = parse_action(await request.body(), landlord_today(now))
        if isinstance(parsed, Response):
            return parsed
        ref = request.path_params["ref"]
        if parsed.response is not None:  # read before the transaction: OCR takes seconds
            letter = await read_letter_file_off_loop(parsed.response.data, settings.evidence_max_bytes)
            parsed = replace(parsed, response=replace(parsed.response, letter=letter))

        def work(uow: UnitOfWork) -> tuple[Outcome, CaseSummary | None]:
            outcome = act(uow, landlord.id, None, ref, parsed.action, now, parsed.response)
            return outcome, uow.case_by_ref(ref) if outcome.event is not None else None

        outcome, summary = await in_transaction(work)
        return _answer(outcome, summary, parsed, settings)

    return [
        Route("/complaints", list_complaints, methods=["GET"]),
        Route("/complaints/{ref}", get_complaint, methods=["GET"]),
        Route("/complaints/{ref}/actions", post_action, methods=["POST"]),
    ]


def _answer(outcome: Outcome, summary: CaseSummary | None, parsed: Parsed, settings: Settings) -> Response:
    if outcome.not_found:
        return JSONResponse(NOT_FOUND, 404)
    if outcome.problem is Problem.CONFIRMATION_NEEDED:
        english = translator("en")
        content = {
            "error": Problem.CONFIRMATION_NEEDED.value,
            "message": 'Send the action again with "confirm": true to go ahead.',
            "field": "confirm",
            "cautions": [
                {"id": c.id.value, "rule": c.rule, "message": caution_message(c, english)}
                for c in outcome.cautions
            ],
        }
        return JSONResponse(content, status_code=409)
    if outcome.problem is not None:
        problem = outcome.problem
        return error(422, problem.value, PROBLEM_TEXT[problem], _PROBLEM_FIELD.get(problem))
    if outcome.file_problem == "too_large":
        return error(
            413, "too_large", f"The response file is larger than {settings.evidence_max_bytes} bytes."
        )
    if outcome.file_problem is not None:
        message = (
            "response.content_base64: accepted files are PDF, Word (DOCX) and photos (JPEG, PNG, WebP, HEIC)."
        )
        return error(422, outcome.file_problem, message, "response.content_base64")
    event = outcome.event
    assert event is not None and summary is not None
    recorded = {
        "date": event.date.isoformat(),
        "kind": event.kind.value,
        "new_due": event.new_due.isoformat() if event.new_due else None,
        "reasons_given": event.reasons_given,
    }
    answer: dict[str, Any] = {
        "case_ref": summary.public_ref,
        "event": recorded,
        "state": summary.lifecycle_state,
    }
    if parsed.response is not None:
        answer["response_sha256"] = hashlib.sha256(parsed.response.data).hexdigest()
    return JSONResponse(answer)
