"""The timeline's input contract: what is accepted, and a clear message naming the field for the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.contract import CaseInputError, json_schemas, parse_case, timeline_out
from flows.i18n import translator
from flows.timeline import build_timeline

DOCS = Path(__file__).resolve().parents[2] / "docs"


def body(**fields: object) -> str:
    return json.dumps({"events": [{"date": "2026-04-01", "kind": "complaint_made"}], **fields})


def test_only_events_is_required_and_unknown_fields_are_ignored() -> None:
    case_in = parse_case(json.dumps({"events": [], "colour": "blue", "_about": "x"}))
    case = case_in.to_case()
    assert case.events == ()
    assert (case.nation, case.code) == ("england", "auto")


def test_full_input_is_read() -> None:
    case_in = parse_case(
        json.dumps(
            {
                "nation": "wales",
                "code": 2024,
                "landlord_policy": {"stage1_response_working_days": 15, "escalation_window_days": 28},
                "landlord_type": "council",
                "subject": "repairs",
                "as_of": "2026-05-01",
                "events": [
                    {"date": "2026-04-01", "kind": "complaint_made"},
                    {
                        "date": "2026-04-02",
                        "kind": "stage1_extension",
                        "extra_working_days": 5,
                        "reasons_given": True,
                        "note": "ignored",
                    },
                ],
            }
        )
    )
    case = case_in.to_case()
    assert (case.nation, case.code, case.landlord_type, case.subject) == (
        "wales",
        "2024",
        "council",
        "repairs",
    )
    assert case.landlord_policy.stage1_response_working_days == 15
    assert case.events[1].extra_working_days == 5 and case.events[1].reasons_given is True
    assert str(case_in.as_of) == "2026-05-01"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "malformed JSON at line 1, column 2"),
        ("[]", "body: expected a JSON object"),
        ("{}", "events: Field required"),
        ('{"events": {}}', "events: Input should be a valid list"),
        (
            body(events=[{"date": "2026-04-01", "kind": "complained"}]),
            "events[0].kind: unknown kind 'complained'",
        ),
        (
            body(events=[{"date": "2023-02-30", "kind": "complaint_made"}]),
            "events[0].date: impossible date '2023-02-30'",
        ),
        (
            body(events=[{"date": "31/02/2024", "kind": "complaint_made"}]),
            "events[0].date: expected a date as YYYY-MM-DD",
        ),
        (
            body(events=[{"date": 20240101, "kind": "complaint_made"}]),
            "events[0].date: expected a date as YYYY-MM-DD",
        ),
        (body(events=[{"kind": "complaint_made"}]), "events[0].date: Field required"),
        (
            body(events=[{"date": "1850-01-01", "kind": "complaint_made"}]),
            "events[0].date: 1850-01-01 is outside",
        ),
        (
            body(
                events=[
                    {"date": "2026-04-02", "kind": "complaint_made"},
                    {"date": "2026-04-01", "kind": "acknowledged"},
                ]
            ),
            "events[1].date: 2026-04-01 is earlier than the event before it (events[0], 2026-04-02)",
        ),
        (body(nation="france"), "nation: Input should be"),
        (body(code="2019"), "code: Input should be"),
        (body(as_of="tomorrow"), "as_of: expected a date as YYYY-MM-DD"),
        (
            body(events=[{"date": "2026-04-01", "kind": "stage1_extension", "extra_working_days": -3}]),
            "events[0].extra_working_days: Input should be greater than or equal to 0",
        ),
        (
            body(events=[{"date": "2026-04-01", "kind": "stage1_extension", "reasons_given": "yes"}]),
            "events[0].reasons_given: Input should be a valid boolean",
        ),
        (body(landlord_policy={"escalation_window_days": "28"}), "landlord_policy.escalation_window_days"),
        (b"\xff\xfe", "malformed JSON"),
    ],
)
def test_bad_input_names_the_field(raw: str | bytes, message: str) -> None:
    with pytest.raises(CaseInputError) as error:
        parse_case(raw)
    assert message in str(error.value)


def test_equal_dates_keep_list_order() -> None:
    case = parse_case(
        body(
            events=[
                {"date": "2026-04-01", "kind": "complaint_made"},
                {"date": "2026-04-01", "kind": "acknowledged"},
            ]
        )
    ).to_case()
    assert [e.kind for e in case.events] == ["complaint_made", "acknowledged"]


def test_output_has_the_contract_fields() -> None:
    case_in = parse_case(body(as_of="2026-04-20"))
    assert case_in.as_of is not None
    out = timeline_out(build_timeline(case_in.to_case(), case_in.as_of), translator("en")).model_dump(
        mode="json"
    )
    assert set(out) >= {"code_version", "state", "deadlines", "time_limits", "warnings", "next_steps"}
    assert [d["id"] for d in out["deadlines"]] == [
        "stage1_acknowledgement",
        "stage1_response",
        "stage2_acknowledgement",
        "stage2_response",
    ]
    for d in out["deadlines"]:
        assert set(d) >= {
            "id",
            "code_version",
            "rule",
            "clock_start",
            "due",
            "done_on",
            "status",
            "working_days_late",
            "how_counted",
        }
    assert [x["id"] for x in out["time_limits"]] == [
        "complaint_window",
        "stage2_request_window",
        "ombudsman_referral",
    ]
    ack = out["deadlines"][0]
    assert (ack["due"], ack["status"], ack["working_days_late"]) == ("2026-04-10", "missed", 6)
    assert "Good Friday" in ack["how_counted"] and "Easter Monday" in ack["how_counted"]
    assert "Code 6.2 (2024)" in ack["how_counted"]
    assert out["state"] == "stage1_waiting_acknowledgement"
    assert [s["id"] for s in out["next_steps"]] == [
        "chase_landlord",
        "complain_about_delay",
        "ask_ombudsman_to_intervene",
    ]


@pytest.mark.parametrize("name", sorted(json_schemas()))
def test_published_schemas_are_current(name: str) -> None:
    committed = json.loads((DOCS / "schema" / name).read_text(encoding="utf-8"))
    assert committed == json_schemas()[name]


@pytest.mark.parametrize("language", ["en", "ar", "cy"])
def test_output_built_without_validation_is_what_validation_would_build(language: str) -> None:
    """timeline_out constructs its models without validating them again: every value must already be
    what the model's validation would have made of it (types, enums, dates), for every kind of case."""
    from flows.contract import TimelineOut

    examples = sorted((Path(__file__).resolve().parents[2] / "flows" / "examples").glob("*.json"))
    cases = [parse_case(path.read_text()) for path in examples]
    kinds = ["acknowledged", "stage1_response", "escalation_requested", "stage2_response"]
    for length in range(len(kinds) + 1):  # each step of a plain history, and a late one of each
        events = [{"date": "2024-05-01", "kind": "complaint_made"}]
        events += [{"date": f"2024-0{6 + i}-03", "kind": kind} for i, kind in enumerate(kinds[:length])]
        cases.append(parse_case(json.dumps({"events": events, "as_of": "2025-03-01"})))
    for case_in in cases:
        out = timeline_out(build_timeline(case_in.to_case(), case_in.as_of), translator(language))
        assert TimelineOut.model_validate(out.model_dump()) == out
        assert TimelineOut.model_validate_json(out.model_dump_json()).model_dump() == out.model_dump()
