"""The proof of a complaint Fair Say emailed, as `fairsay timeline` prints it from the case's events."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.cli.main import timeline_json
from flows.contract import CaseInputError, parse_case

CASE = {
    "events": [
        {
            "date": "2026-03-02",
            "kind": "complaint_made",
            "sent_by_email": {
                "at": "2026-03-02T11:02:00+00:00",
                "to": "complaints@riverside.example",
                "reply": "250 2.0.0 Ok: queued as 4QX00001",
                "queue_id": "4QX00001",
            },
        }
    ]
}


def test_the_timeline_shows_the_proof_of_sending() -> None:
    out = json.loads(timeline_json(json.dumps(CASE), date(2026, 3, 3), "en"))
    assert out["proof_of_sending"] == [
        {
            "event": "complaint_made",
            "message": "Sent by Fair Say on Monday, 2 March 2026 at 11:02 (UK time) to complaints@riverside.example; "
            "Fair Say's mail server accepted it for delivery: “250 2.0.0 Ok: queued as 4QX00001” (queue id 4QX00001).",
        }
    ]
    assert out["deadlines"][0]["clock_start"] == "2026-03-02"


def test_a_time_without_its_offset_is_refused() -> None:
    bad = json.loads(json.dumps(CASE))
    bad["events"][0]["sent_by_email"]["at"] = "2026-03-02T11:02:00"
    with pytest.raises(CaseInputError, match="sent_by_email"):
        parse_case(json.dumps(bad))
