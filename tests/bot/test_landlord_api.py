"""The landlord API: each action moves the case and tells the resident; keys are checked; another
landlord's complaint is exactly as unknown as a made-up reference; refused actions and bad requests
say which field and why."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlmodel import col, select
from starlette.testclient import TestClient
from support.databases import make_settings
from support.landlords import DETAILS, Delivered, add_landlord, deliver_complaint, sample_pdf

from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage.models import CaseEventRow, ReminderRow
from bot.storage.repository import Repository
from bot.web.app import create_web_app
from flows.case import EventKind
from flows.landlord_actions import PROBLEM_TEXT, Problem

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # Tuesday; the complaint was made on Monday 9 March


@dataclass
class Api:
    client: TestClient
    repo: Repository
    key: str
    complaint: Delivered
    others: Delivered  # another landlord's complaint

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.key}"}

    def act(self, ref: str, body: dict[str, Any] | bytes, key: str | None = None) -> Any:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.client.post(
            f"/api/v1/complaints/{ref}/actions", content=content, headers=self.headers(key)
        )


def api_key(repo: Repository, landlord_id: int) -> str:
    with repo.unit_of_work() as uow:
        return uow.access.set_api_key(landlord_id)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Evidence files up to 100 kB here, so the size limits are quick to reach."""
    return make_settings(database_url, tmp_path, evidence_max_bytes=100_000)


@pytest.fixture
def api(repo: Repository, settings: Settings) -> Iterator[Api]:
    westlea = add_landlord(repo, "Westlea Housing")
    other = add_landlord(repo, "Riverside Homes", staff_telegram_id=2002)
    complaint = deliver_complaint(repo, westlea, NOW)
    others = deliver_complaint(repo, other, NOW, owner_telegram_id=1002, landlord_name="Riverside Homes")
    app = create_web_app(settings, repo, clock=ManualClock(NOW))
    with TestClient(app) as client:
        yield Api(client, repo, api_key(repo, westlea), complaint, others)


def events_of(repo: Repository, case_id: int) -> list[tuple[str, str, str | None]]:
    with repo.unit_of_work() as uow:
        rows = uow.session.exec(
            select(CaseEventRow)
            .where(col(CaseEventRow.case_id) == case_id)
            .order_by(col(CaseEventRow.position))
        )
        return [(row.kind, row.source, row.note) for row in rows]


def resident_notices(repo: Repository, user_id: int) -> list[dict[str, Any]]:
    with repo.unit_of_work() as uow:
        rows = uow.session.exec(
            select(ReminderRow).where(
                col(ReminderRow.user_id) == user_id, col(ReminderRow.kind) == "notice_landlord_update"
            )
        )
        return [row.payload for row in rows]


def test_the_landlord_lists_its_open_complaints(api: Api) -> None:
    answer = api.client.get("/api/v1/complaints", headers=api.headers())
    assert answer.status_code == 200
    assert answer.json() == {
        "complaints": [
            {
                "ref": api.complaint.ref,
                "stage": 1,
                "state": "stage1_waiting_acknowledgement",
                "next_due": "2026-03-16",
                "overdue": False,
            }
        ],
        "total": 1,
        "next_page": None,
    }


def test_the_landlord_reads_the_submission_document(api: Api) -> None:
    answer = api.client.get(f"/api/v1/complaints/{api.complaint.ref.lower()}", headers=api.headers())
    assert answer.status_code == 200
    document = answer.json()
    schema = json.loads((ROOT / "docs" / "schema" / "submission.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert document["case_ref"] == api.complaint.ref
    assert document["complaint"]["what_happened"] == DETAILS["what_happened"]


def test_each_action_moves_the_case_and_tells_the_resident(api: Api) -> None:
    ref, case_id, owner = api.complaint.ref, api.complaint.case_id, api.complaint.owner_id

    acknowledged = api.act(ref, {"action": "acknowledge"})
    assert acknowledged.status_code == 200, acknowledged.text
    assert acknowledged.json() == {
        "case_ref": ref,
        "event": {"date": "2026-03-10", "kind": "acknowledged", "new_due": None, "reasons_given": False},
        "state": "stage1_waiting_response",
    }

    extended = api.act(
        ref, {"action": "extend", "new_due": "2026-04-09", "reason": "We are waiting for a roofer's survey."}
    )
    assert extended.status_code == 200, extended.text
    assert extended.json()["event"] == {
        "date": "2026-03-10",
        "kind": "stage1_extension",
        "new_due": "2026-04-09",
        "reasons_given": True,
    }

    letter = sample_pdf(b"our stage 1 response")
    upload = {"filename": "stage1-response.pdf", "content_base64": base64.b64encode(letter).decode()}
    responded = api.act(ref, {"action": "respond", "date": "2026-03-10", "response": upload})
    assert responded.status_code == 200, responded.text
    assert responded.json()["state"] == "stage1_answered"
    assert responded.json()["response_sha256"] == hashlib.sha256(letter).hexdigest()

    assert events_of(api.repo, case_id) == [
        ("complaint_made", "resident", None),
        ("acknowledged", "landlord", None),
        ("stage1_extension", "landlord", "We are waiting for a roofer's survey."),
        ("stage1_response", "landlord", None),
    ]
    with api.repo.unit_of_work() as uow:
        kinds = [event.kind for event in uow.load_case(case_id).events]
        [evidence] = uow.evidence_of(case_id)
    assert kinds[-1] is EventKind.STAGE1_RESPONSE
    assert (evidence.original_name, evidence.sha256) == (
        "stage1-response.pdf",
        hashlib.sha256(letter).hexdigest(),
    )
    notices = resident_notices(api.repo, owner)
    assert [notice["event"] for notice in notices] == ["acknowledged", "stage1_extension", "stage1_response"]
    assert (
        notices[1]["reason"] == "We are waiting for a roofer's survey."
        and notices[2]["sha256"] == evidence.sha256
    )


def test_a_decline_is_recorded_with_its_reason(api: Api) -> None:
    answer = api.act(
        api.complaint.ref, {"action": "decline", "reason": "This is a first report of a repair."}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["event"]["kind"] == "landlord_declined"
    assert answer.json()["state"] == "declined"
    [notice] = resident_notices(api.repo, api.complaint.owner_id)
    assert notice["reason"] == "This is a first report of a repair."


@pytest.mark.parametrize(
    "key",
    [None, "", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer fs_not-a-key"],
)
def test_a_missing_or_unknown_key_is_refused(api: Api, key: str | None) -> None:
    headers = {"Authorization": key} if key is not None else {}
    for answer in (
        api.client.get("/api/v1/complaints", headers=headers),
        api.client.get(f"/api/v1/complaints/{api.complaint.ref}", headers=headers),
        api.client.post(
            f"/api/v1/complaints/{api.complaint.ref}/actions", json={"action": "acknowledge"}, headers=headers
        ),
    ):
        assert answer.status_code == 401
        assert answer.json()["error"] == "unauthorized"
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert events_of(api.repo, api.complaint.case_id) == [("complaint_made", "resident", None)]


def test_a_landlord_not_approved_is_refused(api: Api) -> None:
    waiting = add_landlord(api.repo, "Newbuild Homes", staff_telegram_id=2003, approved=False)
    answer = api.client.get("/api/v1/complaints", headers=api.headers(api_key(api.repo, waiting)))
    assert answer.status_code == 401


def test_another_landlords_complaint_is_as_unknown_as_a_made_up_one(api: Api) -> None:
    theirs, made_up, malformed = api.others.ref, "ZZZZ2345", "not-a-reference"
    reads = [
        api.client.get(f"/api/v1/complaints/{ref}", headers=api.headers())
        for ref in (theirs, made_up, malformed)
    ]
    actions = [api.act(ref, {"action": "acknowledge"}) for ref in (theirs, made_up)]
    for answers in (reads, actions):
        first = answers[0]
        assert first.status_code == 404 and first.json() == {"error": "not_found"}
        for other in answers[1:]:
            assert (other.status_code, other.content, dict(other.headers)) == (
                first.status_code,
                first.content,
                dict(first.headers),
            )
    assert events_of(api.repo, api.others.case_id) == [("complaint_made", "resident", None)]


@pytest.mark.parametrize(
    ("body", "problem", "field"),
    [
        ({"action": "extend", "new_due": "2026-04-10"}, Problem.REASON_REQUIRED, "reason"),
        ({"action": "extend", "new_due": "2026-04-10", "reason": "   "}, Problem.REASON_REQUIRED, "reason"),
        ({"action": "extend", "reason": "Survey"}, Problem.DATE_REQUIRED, "new_due"),
        (
            {"action": "extend", "new_due": "2026-03-12", "reason": "Survey"},
            Problem.DATE_NOT_LATER,
            "new_due",
        ),
        ({"action": "decline"}, Problem.REASON_REQUIRED, "reason"),
        ({"action": "acknowledge", "date": "2026-03-11"}, Problem.DATE_IN_FUTURE, "date"),
        ({"action": "acknowledge", "date": "2026-03-06"}, Problem.DATE_TOO_EARLY, "date"),
        ({"action": "decline", "reason": "x" * 2001}, Problem.REASON_TOO_LONG, "reason"),
    ],
)
def test_a_refused_action_says_why_in_english(
    api: Api, body: dict[str, Any], problem: Problem, field: str
) -> None:
    answer = api.act(api.complaint.ref, body)
    assert answer.status_code == 422
    assert answer.json() == {"error": problem.value, "message": PROBLEM_TEXT[problem], "field": field}
    assert events_of(api.repo, api.complaint.case_id) == [("complaint_made", "resident", None)]
    assert resident_notices(api.repo, api.complaint.owner_id) == []


def test_acknowledging_twice_is_refused(api: Api) -> None:
    assert api.act(api.complaint.ref, {"action": "acknowledge"}).status_code == 200
    again = api.act(api.complaint.ref, {"action": "acknowledge"})
    assert (again.status_code, again.json()["error"]) == (422, "already_acknowledged")


@pytest.mark.parametrize(
    ("body", "error", "field"),
    [
        (b"{not json", "invalid_json", "body"),
        (b"\xff\xfe", "invalid_json", "body"),
        (b'["acknowledge"]', "invalid_request", "body"),
        (b"{}", "invalid_request", "action"),
        (b'{"action": "approve"}', "invalid_request", "action"),
        (b'{"action": "acknowledge", "date": "10/03/2026"}', "invalid_request", "date"),
        (b'{"action": "acknowledge", "date": "2026-02-30"}', "invalid_request", "date"),
        (b'{"action": "extend", "new_date": "2026-04-10", "reason": "x"}', "invalid_request", "new_date"),
        (b'{"action": "acknowledge", "new_due": "2026-04-10"}', "invalid_request", "new_due"),
        (
            b'{"action": "acknowledge", "response": {"filename": "a.pdf", "content_base64": ""}}',
            "invalid_request",
            "response",
        ),
        (
            b'{"action": "respond", "response": {"filename": "a.pdf"}}',
            "invalid_request",
            "response.content_base64",
        ),
        (
            b'{"action": "respond", "response": {"filename": "a.pdf", "content_base64": "%%%"}}',
            "invalid_request",
            "response.content_base64",
        ),
    ],
)
def test_a_bad_request_names_the_field(api: Api, body: bytes, error: str, field: str) -> None:
    answer = api.act(api.complaint.ref, body)
    assert answer.status_code == 422
    assert answer.json()["error"] == error and answer.json()["field"] == field
    assert answer.json()["message"].startswith(f"{field}: ")


def test_an_unsupported_response_file_is_refused(api: Api) -> None:
    upload = {"filename": "reply.txt", "content_base64": base64.b64encode(b"plain text").decode()}
    answer = api.act(api.complaint.ref, {"action": "respond", "response": upload})
    assert (answer.status_code, answer.json()["error"]) == (422, "unsupported_type")
    assert events_of(api.repo, api.complaint.case_id) == [("complaint_made", "resident", None)]


def test_a_body_too_large_is_refused_unread(api: Api) -> None:
    upload = {"filename": "big.pdf", "content_base64": base64.b64encode(sample_pdf(b"x" * 300_000)).decode()}
    answer = api.act(api.complaint.ref, {"action": "respond", "response": upload})
    assert (answer.status_code, answer.json()["error"]) == (413, "too_large")
    within_body_limit = {
        "filename": "big.pdf",
        "content_base64": base64.b64encode(sample_pdf(b"x" * 110_000)).decode(),
    }
    answer = api.act(api.complaint.ref, {"action": "respond", "response": within_body_limit})
    assert (answer.status_code, answer.json()["error"]) == (413, "too_large")  # the evidence limit
    assert events_of(api.repo, api.complaint.case_id) == [("complaint_made", "resident", None)]


def test_the_action_schema_describes_the_request() -> None:
    schema = json.loads((ROOT / "docs" / "schema" / "landlord-action.schema.json").read_text())
    jsonschema.validate({"action": "extend", "new_due": "2026-04-10", "reason": "Survey"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"action": "approve"}, schema)
    assert date.fromisoformat("2026-04-10")  # the format the schema names


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"[" * 50_000 + b"]" * 50_000, "body"),
        (b'{"action": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "body"),
        (b'{"action": "decline", "reason": ' + b'{"a": ' * 900 + b"1" + b"}" * 900 + b"}", "reason"),
        (b'{"action": ["acknowledge"]}', "action"),
        (b'{"action": 5}', "action"),
        (b'{"action": "acknowledge", "date": 20260310}', "date"),
        (b'{"action": "acknowledge", "date": {"y": 2026}}', "date"),
        (b'{"action": "decline", "reason": ["x"]}', "reason"),
        (b'{"action": "respond", "response": 5}', "response"),
        (
            b'{"action": "respond", "response": {"filename": ["a"], "content_base64": ""}}',
            "response.filename",
        ),
        (b'{"action": "acknowledge", "\\ud800": 1}', None),
        (b'{"action": "decline", "reason": ' + b"9" * 5000 + b"}", "body"),  # past int()'s 4,300 digits
        (b"\xef\xbb\xbf{}", "action"),
    ],
)
def test_hostile_json_is_a_422_naming_the_problem_never_a_500(
    api: Api, body: bytes, field: str | None
) -> None:
    api.client.raise_server_exceptions = False  # a 500 must show as one, not as the test's error
    answer = api.act(api.complaint.ref, body)
    assert answer.status_code == 422, answer.text[:200]
    if field is not None:
        assert answer.json()["field"] == field
    if field == "body" and b"[[" in body:
        assert answer.json()["message"] == "body: JSON nested too deeply"


def test_a_reason_reaches_the_resident_without_hidden_controls(api: Api) -> None:
    reason = "We fixed it on \u202e01/04\u202c. No fault\u200b found \u2066here\u2069."
    answer = api.act(api.complaint.ref, {"action": "decline", "reason": reason})
    assert answer.status_code == 200, answer.text
    [notice] = resident_notices(api.repo, api.complaint.owner_id)
    assert notice["reason"] == "We fixed it on 01/04. No fault found here."


@pytest.mark.parametrize(
    ("reason", "told"),
    [
        ("Fixed\\u0000 on Monday", "Fixed on Monday"),  # PostgreSQL refuses NUL in text
        ("Fixed\\ud800 on Monday\\udc00", "Fixed on Monday"),  # a lone surrogate cannot be stored
        ("Fixed\\u001b[31m on\\u0085 Monday", "Fixed[31m on Monday"),  # terminal and C1 controls
    ],
)
def test_a_reason_with_unstorable_characters_is_stored_without_them(api: Api, reason: str, told: str) -> None:
    api.client.raise_server_exceptions = False
    body = b'{"action": "decline", "reason": "' + reason.encode() + b'"}'
    answer = api.act(api.complaint.ref, body)
    assert answer.status_code == 200, answer.text[:200]
    [notice] = resident_notices(api.repo, api.complaint.owner_id)
    assert notice["reason"] == told


def test_an_extension_past_the_codes_cap_is_held_until_confirmed(api: Api) -> None:
    ref = api.complaint.ref
    body = {"action": "extend", "new_due": "2026-05-29", "reason": "We are waiting for a roofer's survey."}
    held = api.act(ref, body)
    assert held.status_code == 409, held.text
    assert held.json()["error"] == "confirmation_needed" and held.json()["field"] == "confirm"
    [caution] = held.json()["cautions"]
    assert caution["id"] == "extension_over_cap" and "Code 6.4" in caution["rule"]
    assert "working days after the Code's date" in caution["message"]
    assert [kind for kind, _, _ in events_of(api.repo, api.complaint.case_id)] == ["complaint_made"]
    confirmed = api.act(ref, body | {"confirm": True})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["event"]["new_due"] == "2026-05-29"


def test_declining_a_stage_2_request_is_held_until_confirmed(api: Api) -> None:
    from bot.storage.records import EventSource
    from flows.case import CaseEvent

    with api.repo.unit_of_work() as uow:
        for on, kind in (
            (date(2026, 3, 9), EventKind.ACKNOWLEDGED),
            (date(2026, 3, 10), EventKind.STAGE1_RESPONSE),
            (date(2026, 3, 10), EventKind.ESCALATION_REQUESTED),
        ):
            uow.append_event(
                api.complaint.case_id, CaseEvent(on, kind), EventSource.RESIDENT, api.complaint.owner_id
            )
    body = {"action": "decline", "reason": "Out of time."}
    held = api.act(api.complaint.ref, body)
    assert held.status_code == 409, held.text
    assert [c["id"] for c in held.json()["cautions"]] == ["decline_escalation"]
    assert "Code 6.10" in held.json()["cautions"][0]["rule"]
    assert api.act(api.complaint.ref, body | {"confirm": True}).status_code == 200


def test_a_response_through_the_api_is_checked_against_the_code(api: Api) -> None:
    from support.letter_files import text_pdf

    from bot.services.case_records import case_record

    ref, case_id, owner = api.complaint.ref, api.complaint.case_id, api.complaint.owner_id
    api.act(ref, {"action": "acknowledge"})
    letter = text_pdf(
        "Date: 10 March 2026\n\nDear Ms Okafor\n\nStage 1 response\n\nYou complained about the damp. "
        "We uphold your complaint because the survey was late. If you are unhappy you can ask for stage 2 "
        "by emailing complaints@westlea.example.\n\nYours sincerely"
    )
    upload = {"filename": "response.pdf", "content_base64": base64.b64encode(letter).decode()}
    assert api.act(ref, {"action": "respond", "response": upload}).status_code == 200
    with api.repo.unit_of_work() as uow:
        gap = case_record(uow, case_id).details["response_gaps"]["1"]
    assert gap["missing"] == ["remedy", "outstanding_actions"] and gap["rule"] == "Code 6.9 (2024)"
    assert resident_notices(api.repo, owner)[-1]["gaps_stage"] == 1


@pytest.mark.parametrize("page", ["²", "¹²", "٣", "1e3", " 2", "0x2", "9" * 40])
def test_a_page_that_is_not_a_plain_number_is_the_first_not_a_crash(api: Api, page: str) -> None:
    """`str.isdigit` holds for "²", which `int` refuses: the list answered 500 to `?page=²`."""
    answer = api.client.get("/api/v1/complaints", params={"page": page}, headers=api.headers())
    assert answer.status_code == 200
    assert answer.json()["total"] == 1 and len(answer.json()["complaints"]) == 1
