"""The public input/output contract of `fairsay timeline` (pydantic v2 models, JSON Schema in docs/).

Input `{"nation", "code", "landlord_policy", "landlord_type", "subject", "events", "as_of"}`: only
`events` is required and unknown fields are ignored. Bad input raises `CaseInputError` with a message
that names the field (`events[2].date: ...`): malformed JSON, unknown kinds, impossible dates and
dates out of order. Partial histories are normal and never an error.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from flows.case import Case, CaseEvent, CodeChoice, EventKind, LandlordPolicy, first_out_of_order
from flows.deadlines import DeadlineStatus
from flows.findings import WarningId
from flows.i18n import Translator
from flows.messages import finding_message, how_counted, next_step_message
from flows.sent_mail import proof_line
from flows.time_limits import TimeLimitStatus
from flows.timeline import NextStepId, Timeline
from flows.working_days import FIRST_SUPPORTED, LAST_SUPPORTED, Nation, calendar_for

LONDON = ZoneInfo("Europe/London")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class CaseInputError(ValueError):
    """Input the timeline cannot use; the message names the field and says what is wrong."""


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"impossible date {value!r}") from None
    else:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")
    if not FIRST_SUPPORTED <= parsed <= LAST_SUPPORTED:
        raise ValueError(
            f"{parsed.isoformat()} is outside the years {FIRST_SUPPORTED.year}–{LAST_SUPPORTED.year}"
        )
    return parsed


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class SentByEmailIn(BaseModel):
    """The proof that Fair Say emailed the complaint (or stage 2 request) for the resident: the mail
    server's acceptance (bot.delivery.resident_sending keeps it; flows.sent_mail words it)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    at: str = Field(description="When the mail server accepted it: ISO 8601 with its UTC offset.")
    to: str = Field(max_length=320, description="The address it was sent to.")
    reply: str = Field(
        max_length=1000, description="The mail server's whole reply, e.g. “250 2.0.0 Ok: queued as X”."
    )
    queue_id: str | None = Field(
        None, max_length=100, description="The server's queue id, where it gave one."
    )
    bounced_at: str | None = Field(
        None, description="When a bounce came back (ISO 8601): it was never received, so it proves nothing."
    )

    @field_validator("at")
    @classmethod
    def _moment(cls, value: str) -> str:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a time as ISO 8601, got {value!r}") from None
        if moment.utcoffset() is None:
            raise ValueError(f"expected a time with its UTC offset, got {value!r}")
        return value


class EventIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    date: IsoDate
    kind: EventKind = Field(description="What happened.")
    new_due: IsoDate | None = Field(None, description="Extensions: the new date the landlord promised.")
    extra_working_days: int | None = Field(
        None, ge=0, le=260, description="Extensions: working days added to the current due date."
    )
    reasons_given: bool = Field(False, description="Extensions: whether the landlord explained why.")
    sent_by_email: SentByEmailIn | None = Field(
        None, description="complaint_made, escalation_requested: Fair Say emailed it; the proof."
    )

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, value: Any) -> EventKind:
        try:
            return EventKind(value)
        except (ValueError, TypeError):
            known = ", ".join(kind.value for kind in EventKind)
            raise ValueError(f"unknown kind {value!r} (known kinds: {known})") from None


class LandlordPolicyIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    stage1_response_working_days: int | None = Field(None, ge=1, le=260)
    stage2_response_working_days: int | None = Field(None, ge=1, le=260)
    escalation_window_days: int | None = Field(
        None, ge=1, le=3660, description="Calendar days after the stage 1 response to ask for stage 2."
    )
    stage2_when_stage1_late: bool | None = Field(
        None,
        description="Whether the landlord's policy lets the resident ask for stage 2 once the stage 1 "
        "answer is late (matters under the 2022 Code, whose 5.11 escalates only once stage 1 is complete).",
    )


class CaseIn(BaseModel):
    """A complaint's history, as the resident knows it."""

    model_config = ConfigDict(extra="ignore")

    nation: Nation = Nation.ENGLAND
    code: CodeChoice = CodeChoice.AUTO
    landlord_policy: LandlordPolicyIn = Field(default_factory=LandlordPolicyIn)
    landlord_type: str | None = Field(None, max_length=200)
    subject: str | None = Field(None, max_length=2000)
    events: list[EventIn]
    as_of: IsoDate | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _code_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def to_case(self) -> Case:
        policy = self.landlord_policy
        return Case(
            events=tuple(
                CaseEvent(e.date, e.kind, e.new_due, e.extra_working_days, e.reasons_given)
                for e in self.events
            ),
            nation=self.nation,
            code=self.code,
            landlord_policy=LandlordPolicy(
                policy.stage1_response_working_days,
                policy.stage2_response_working_days,
                policy.escalation_window_days,
                policy.stage2_when_stage1_late,
            ),
            landlord_type=self.landlord_type,
            subject=self.subject,
        )


def _field_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.startswith("function-") or part in {"constrained-int", "int", "str", "enum"}:
            continue  # pydantic's inner validator names, not field names
        else:
            path += f".{part}" if path else part
    return path or "body"


def _describe(error: Any) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{_field_path(tuple(error['loc']))}: {message}"


def parse_case(raw: str | bytes) -> CaseIn:
    """Validate a case from JSON text, or raise `CaseInputError` naming the field."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise CaseInputError(
            f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except UnicodeDecodeError:
        raise CaseInputError("malformed JSON: the input is not UTF-8 text") from None
    return validate_case(data)


def validate_case(data: Any) -> CaseIn:
    if not isinstance(data, dict):
        raise CaseInputError('body: expected a JSON object with an "events" list')
    try:
        case = CaseIn.model_validate(data)
    except ValidationError as error:
        raise CaseInputError("; ".join(_describe(e) for e in error.errors()[:5])) from None
    problem = first_out_of_order(case.to_case().events)
    if problem is not None:
        raise CaseInputError(
            f"events[{problem.index}].date: {problem.event.date.isoformat()} is earlier than the event before "
            f"it (events[{problem.index - 1}], {problem.previous.date.isoformat()}); list events in date order"
        )
    return case


def london_date(moment: datetime) -> date:
    """The day it is in England at `moment` (timezone-aware): the clock is the caller's, not read here."""
    return moment.astimezone(LONDON).date()


# --- output ---------------------------------------------------------------------------------------


class DeadlineOut(BaseModel):
    id: str
    code_version: Literal["2022", "2024"] | None
    rule: str | None
    rule_standing: Literal["verified", "secondary", "unverified"] | None
    clock_start: date | None
    due: date | None
    done_on: date | None
    status: DeadlineStatus
    working_days_late: int | None
    landlord_due: date | None = Field(
        None, description="The landlord's own policy date, shown beside the Code's."
    )
    latest_from_request: date | None = Field(
        None,
        description="2024 Code: the latest date counted from the request itself (acknowledgement and "
        "response times added: 15 working days at stage 1, 25 at stage 2). When it is earlier than the "
        "date counted from a late acknowledgement, it is the one used (`due`).",
    )
    code_limit_due: date | None = Field(
        None,
        description="Set when an extension with reasons went beyond the Code's limit: the Code's own latest "
        "date (its date plus the most it allows without good reason).",
    )
    working_days_beyond_code_limit: int | None = Field(
        None,
        description="Working days from `code_limit_due` to the answer (or to as_of while none came), when "
        "after it. With status `met_extension_over_limit` the landlord's own date was met; whether its "
        "reason was good is for the Housing Ombudsman to judge.",
    )
    how_counted: str | None


class TimeLimitOut(BaseModel):
    id: str
    rule: str
    starts: date | None
    ends: date | None
    days_left: int | None
    status: TimeLimitStatus


class WarningOut(BaseModel):
    id: str = Field(
        description="What was found, one of: "
        + ", ".join(w.value for w in WarningId)
        + ". Ids are only ever added: show an unknown one by its message."
    )
    rule: str | None
    message: str


class NextStepOut(BaseModel):
    id: str = Field(
        description="What the resident can do, one of: "
        + ", ".join(s.value for s in NextStepId)
        + ". Ids are only ever added: show an unknown one by its message."
    )
    message: str


class ProofOut(BaseModel):
    event: str = Field(description="The event the proof is for (complaint_made, escalation_requested).")
    message: str = Field(
        description="“Sent by Fair Say on DATE at TIME (UK time) to ADDRESS; the mail server …”"
    )


class TimelineOut(BaseModel):
    """What `fairsay timeline` prints."""

    code_version: Literal["2022", "2024"]
    state: str
    as_of: date
    deadlines: list[DeadlineOut]
    time_limits: list[TimeLimitOut]
    warnings: list[WarningOut]
    next_steps: list[NextStepOut]
    proof_of_sending: list[ProofOut] = Field(
        default_factory=list,
        description="Events Fair Say emailed for the resident, with the mail server's acceptance.",
    )


def proofs_out(case_in: CaseIn, t: Translator) -> list[ProofOut]:
    return [
        ProofOut(event=e.kind.value, message=proof_line(e.sent_by_email.model_dump(), t))
        for e in case_in.events
        if e.sent_by_email is not None
    ]


def timeline_out(timeline: Timeline, t: Translator) -> TimelineOut:
    # One validation of plain dicts at the edge: pydantic builds the nested models in one call into
    # its core, where a model per item built in Python (`DeadlineOut(...)`, eleven a case) cost a third
    # of rendering. `._value_` reads an enum's value without the `.value` property's call.
    facts = timeline.facts
    calendar = calendar_for(facts.case.nation, facts.case.extra_holidays)
    return TimelineOut.model_validate(
        {
            "code_version": facts.code_version._value_,
            "state": timeline.state._value_,
            "as_of": facts.as_of,
            "deadlines": [
                {
                    "id": d.id._value_,
                    "code_version": d.code_version._value_ if d.code_version else None,
                    "rule": d.rule.citation if d.rule else None,
                    "rule_standing": d.rule.standing._value_ if d.rule else None,
                    "clock_start": d.clock_start,
                    "due": d.due,
                    "done_on": d.done_on,
                    "status": d.status,
                    "working_days_late": d.working_days_late,
                    "landlord_due": d.landlord_due,
                    "latest_from_request": d.max_from_request_due,
                    "code_limit_due": d.code_limit_due,
                    "working_days_beyond_code_limit": d.working_days_beyond_code_limit,
                    "how_counted": how_counted(d, calendar, t),
                }
                for d in facts.deadlines
            ],
            "time_limits": [
                {
                    "id": limit.id._value_,
                    "rule": limit.rule,
                    "starts": limit.starts,
                    "ends": limit.ends,
                    "days_left": limit.days_left,
                    "status": limit.status,
                }
                for limit in facts.time_limits
            ],
            "warnings": [
                {"id": f.id._value_, "rule": f.rule, "message": finding_message(f, t)}
                for f in timeline.findings
            ],
            "next_steps": [
                {"id": s.id._value_, "message": next_step_message(s, t)} for s in timeline.next_steps
            ],
        }
    )


def json_schemas() -> dict[str, dict[str, Any]]:
    """The published schemas (docs/schema/), generated from these models."""
    return {
        "timeline-input.schema.json": CaseIn.model_json_schema(),
        "timeline-output.schema.json": TimelineOut.model_json_schema(mode="serialization"),
    }
