"""A landlord's compliance figures: CH01 and CH02 per stage, the deadlines nearing, the CSV and the
chat message. Dates lean on England's 2026 bank holidays (Good Friday 3 Apr, Easter Monday 6 Apr,
4 May, 25 May; domain.md 5.2)."""

from __future__ import annotations

import csv
import gettext
import io
from datetime import date, timedelta

import pytest
from babel import Locale
from builders import case, ev
from hypothesis import given
from hypothesis import strategies as st

from flows.case import Case, CaseEvent, EventKind
from flows.compliance import (
    Compliance,
    Period,
    Timescales,
    compliance_message,
    compute_compliance,
    financial_year_start,
    per_1000_homes,
)
from flows.compliance_csv import COMPLAINT_STAGE_COLUMNS, SUMMARY_COLUMNS, compliance_csv
from flows.deadlines import DeadlineId
from flows.i18n import Translator, translator

D = date.fromisoformat
ACK1, RESP1 = DeadlineId.STAGE1_ACKNOWLEDGEMENT, DeadlineId.STAGE1_RESPONSE
ACK2, RESP2 = DeadlineId.STAGE2_ACKNOWLEDGEMENT, DeadlineId.STAGE2_RESPONSE
YEAR = Period(D("2026-04-01"), D("2027-03-31"))

# Complaint Wed 25 Mar 2026, acknowledged Wed 1 Apr: the stage 1 response is due Fri 17 Apr (Easter
# skipped). Escalated Wed 22 Apr, acknowledged Wed 29 Apr: the final response is due Fri 29 May.
STAGE1_OPENING = (ev("2026-03-25", "complaint_made"), ev("2026-04-01", "acknowledged"))
STAGE2_OPENING = (
    ev("2026-04-17", "stage1_response"),
    ev("2026-04-22", "escalation_requested"),
    ev("2026-04-29", "stage2_acknowledged"),
)


def figures(
    cases: dict[str, Case], as_of: str, period: Period = YEAR, homes: int | None = 1000
) -> Compliance:
    return compute_compliance(cases.items(), period, homes, D(as_of))


def row(compliance: Compliance, ref: str, stage: int) -> tuple[object, ...]:
    found = next(r for r in compliance.complaint_stages if r.ref == ref and r.stage == stage)
    return (
        found.received_on,
        found.acknowledged_on,
        found.response_due,
        found.responded_on,
        found.within_timescales,
        found.working_days_late,
    )


# --- CH02: met, missed, extended, declined, open ------------------------------------------------------


def test_a_response_on_its_due_date_is_within_timescales() -> None:
    c = figures({"MET00001": case(*STAGE1_OPENING, ev("2026-04-17", "stage1_response"))}, "2026-05-01")
    s1 = c.stage(1)
    assert (s1.responses, s1.responses_within_timescales, s1.share_within_timescales) == (1, 1, 1.0)
    assert row(c, "MET00001", 1) == (
        D("2026-03-25"),
        D("2026-04-01"),
        D("2026-04-17"),
        D("2026-04-17"),
        Timescales.YES,
        0,
    )


def test_a_response_one_working_day_late_is_not() -> None:
    c = figures({"LATE0001": case(*STAGE1_OPENING, ev("2026-04-20", "stage1_response"))}, "2026-05-01")
    assert (c.stage(1).responses, c.stage(1).responses_within_timescales) == (1, 0)
    assert c.stage(1).share_within_timescales == 0.0
    assert row(c, "LATE0001", 1)[4:] == (Timescales.NO, 1)


def test_an_extension_within_the_cap_moves_the_due_date() -> None:
    extended = case(
        *STAGE1_OPENING,
        ev("2026-04-10", "stage1_extension", extra_working_days=10, reasons_given=True),  # due Fri 1 May
        ev("2026-04-30", "stage1_response"),
    )
    c = figures({"EXT00001": extended}, "2026-05-05")
    assert c.stage(1).responses_within_timescales == 1
    assert row(c, "EXT00001", 1)[2:] == (D("2026-05-01"), D("2026-04-30"), Timescales.YES, 0)


def test_an_over_long_extension_without_reasons_only_reaches_the_cap() -> None:
    over_cap = case(
        *STAGE1_OPENING,
        ev("2026-04-10", "stage1_extension", new_due="2026-05-29"),  # capped at Fri 1 May
        ev("2026-05-05", "stage1_response"),  # Mon 4 May is a bank holiday: 1 working day late
    )
    c = figures({"CAP00001": over_cap}, "2026-06-01")
    assert c.stage(1).responses_within_timescales == 0
    assert row(c, "CAP00001", 1)[2:] == (D("2026-05-01"), D("2026-05-05"), Timescales.NO, 1)


def test_a_refusal_in_time_is_received_but_not_a_response() -> None:
    c = figures(
        {"DECL0001": case(ev("2026-04-01", "complaint_made"), ev("2026-04-02", "landlord_declined"))},
        "2026-05-01",
    )
    s1 = c.stage(1)
    assert (s1.received, s1.responses, s1.share_within_timescales) == (1, 0, None)
    assert row(c, "DECL0001", 1) == (D("2026-04-01"), None, None, None, Timescales.NOT_APPLICABLE, None)
    assert c.nearing == ()


def test_a_refusal_after_the_due_date_shows_the_missed_deadline_but_is_not_a_response() -> None:
    late_refusal = case(*STAGE1_OPENING, ev("2026-04-24", "landlord_declined"))
    c = figures({"DECL0002": late_refusal}, "2026-05-01", period=Period(D("2026-03-01"), D("2026-04-30")))
    assert c.stage(1).responses == 0
    assert row(c, "DECL0002", 1)[2:] == (D("2026-04-17"), None, Timescales.NO, 5)
    assert c.nearing == ()  # settled: nothing more is owed


def test_an_open_complaint_is_received_not_answered_and_listed_as_open() -> None:
    c = figures({"OPEN0001": case(ev("2026-05-20", "complaint_made"))}, "2026-06-01")
    assert (c.stage(1).received, c.stage(1).responses) == (1, 0)
    # No acknowledgement: the response clock starts at its due date, Thu 28 May (25 May skipped).
    assert row(c, "OPEN0001", 1) == (D("2026-05-20"), None, D("2026-06-11"), None, Timescales.OPEN, None)
    assert [(n.ref, n.deadline, n.due, n.working_days_left, n.missed) for n in c.nearing] == [
        ("OPEN0001", ACK1, D("2026-05-28"), -2, True)
    ]


def test_a_response_with_no_known_start_counts_but_cannot_be_shown_on_time() -> None:
    c = figures({"PART0001": case(ev("2026-04-20", "stage1_response"))}, "2026-05-01")
    assert (c.stage(1).received, c.stage(1).responses, c.stage(1).responses_within_timescales) == (0, 1, 0)
    assert row(c, "PART0001", 1)[3:] == (D("2026-04-20"), Timescales.NOT_APPLICABLE, None)


def test_events_after_as_of_are_not_counted() -> None:
    c = figures({"FUTR0001": case(*STAGE1_OPENING, ev("2026-04-16", "stage1_response"))}, "2026-04-10")
    assert (c.stage(1).received, c.stage(1).responses) == (0, 0)  # received 25 Mar, before YEAR
    assert row(c, "FUTR0001", 1)[3:] == (None, Timescales.OPEN, None)


# --- period boundaries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("made_on", "counted"),
    [("2026-03-31", False), ("2026-04-01", True), ("2027-03-31", True), ("2027-04-01", False)],
)
def test_received_counts_both_ends_of_the_period_and_nothing_outside(made_on: str, counted: bool) -> None:
    c = figures({"EDGE0001": case(ev(made_on, "complaint_made"))}, "2027-04-30")
    assert c.stage(1).received == int(counted)


@pytest.mark.parametrize(
    ("responded_on", "counted"), [("2026-03-31", False), ("2026-04-01", True), ("2026-04-02", False)]
)
def test_responses_count_by_their_own_date(responded_on: str, counted: bool) -> None:
    one_day = Period(D("2026-04-01"), D("2026-04-01"))
    made = case(ev("2026-03-20", "complaint_made"), ev(responded_on, "stage1_response"))
    c = figures({"EDGE0002": made}, "2026-04-30", period=one_day)
    assert (c.stage(1).received, c.stage(1).responses, c.stage(1).responses_within_timescales) == (
        0,
        int(counted),
        int(counted),
    )


def test_a_response_to_an_older_complaint_counts_for_ch02_not_ch01() -> None:
    c = figures({"OLD00001": case(*STAGE1_OPENING, ev("2026-04-17", "stage1_response"))}, "2026-05-01")
    assert (c.stage(1).received, c.stage(1).responses) == (0, 1)
    assert [(r.ref, r.stage) for r in c.complaint_stages] == [("OLD00001", 1)]


def test_the_export_keeps_stages_still_open_from_before_the_period_and_leaves_out_settled_ones() -> None:
    cases = {
        "STUCK001": case(ev("2026-01-05", "complaint_made")),  # never answered
        "DONE0001": case(ev("2026-01-05", "complaint_made"), ev("2026-01-15", "stage1_response")),
        "LATER001": case(ev("2026-06-01", "complaint_made")),  # began after the period
    }
    c = figures(cases, "2026-06-05", period=Period(D("2026-04-01"), D("2026-04-30")))
    assert [(r.ref, r.stage, r.within_timescales) for r in c.complaint_stages] == [
        ("STUCK001", 1, Timescales.NO)
    ]
    assert c.stage(1).received == 0


def test_the_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="starts"):
        Period(D("2026-04-02"), D("2026-04-01"))


@pytest.mark.parametrize(
    ("day", "start"),
    [
        ("2026-03-31", "2025-04-01"),
        ("2026-04-01", "2026-04-01"),
        ("2026-12-31", "2026-04-01"),
        ("2027-01-01", "2026-04-01"),
    ],
)
def test_financial_year_starts_on_1_april(day: str, start: str) -> None:
    assert financial_year_start(D(day)) == D(start)


# --- CH01 and the number of homes ----------------------------------------------------------------------


def test_ch01_is_per_1000_homes() -> None:
    cases = {f"REF{i:05d}": case(ev("2026-04-0" + str(i + 1), "complaint_made")) for i in range(3)}
    assert figures(cases, "2026-04-30", homes=1000).stage(1).received_per_1000_homes == 3.0
    assert figures(cases, "2026-04-30", homes=2500).stage(1).received_per_1000_homes == pytest.approx(1.2)
    assert figures(cases, "2026-04-30", homes=1000).stage(2).received_per_1000_homes == 0.0


@pytest.mark.parametrize("homes", [None, 0, -5])
def test_ch01_is_none_without_a_usable_number_of_homes(homes: int | None) -> None:
    c = figures({"HOME0001": case(ev("2026-04-01", "complaint_made"))}, "2026-04-30", homes=homes)
    assert c.stage(1).received == 1
    assert c.stage(1).received_per_1000_homes is None
    assert per_1000_homes(0, homes) is None


# --- stage 2 -----------------------------------------------------------------------------------------


def test_stage2_counts_escalations_received_and_final_responses_given() -> None:
    cases = {
        "S2MET001": case(*STAGE1_OPENING, *STAGE2_OPENING, ev("2026-05-29", "stage2_response")),
        "S2LATE01": case(*STAGE1_OPENING, *STAGE2_OPENING, ev("2026-06-01", "stage2_response")),
        "S2OPEN01": case(*STAGE1_OPENING, *STAGE2_OPENING),
    }
    c = figures(cases, "2026-06-02", homes=500)
    s1, s2 = c.stages
    assert (s1.received, s1.responses, s1.responses_within_timescales) == (0, 3, 3)
    assert (s2.received, s2.responses, s2.responses_within_timescales) == (3, 2, 1)
    assert s2.received_per_1000_homes == 6.0
    assert s2.share_within_timescales == 0.5
    assert row(c, "S2LATE01", 2) == (
        D("2026-04-22"),
        D("2026-04-29"),
        D("2026-05-29"),
        D("2026-06-01"),
        Timescales.NO,
        1,
    )
    assert row(c, "S2OPEN01", 2)[4] is Timescales.NO  # due 29 May, still unanswered on 2 June
    assert [(n.ref, n.deadline, n.working_days_left) for n in c.nearing] == [("S2OPEN01", RESP2, -2)]


def test_stage2_under_the_2022_code_counts_from_the_request() -> None:
    # Requested Mon 4 Mar 2024 (2022 Code): 20 working days from the request, due Wed 3 Apr 2024 (Good
    # Friday 29 Mar and Easter Monday 1 Apr skipped).
    old = case(
        ev("2024-01-08", "complaint_made"),
        ev("2024-01-19", "stage1_response"),
        ev("2024-03-04", "escalation_requested"),
        ev("2024-04-02", "stage2_response"),
    )
    c = figures({"CODE2022": old}, "2024-04-30", period=Period(D("2023-04-01"), D("2024-03-31")))
    assert (c.stage(2).received, c.stage(2).responses) == (1, 0)  # answered in the next year
    c = figures({"CODE2022": old}, "2024-04-30", period=Period(D("2024-04-01"), D("2025-03-31")))
    assert (c.stage(2).received, c.stage(2).responses, c.stage(2).responses_within_timescales) == (0, 1, 1)
    assert row(c, "CODE2022", 2)[2:5] == (D("2024-04-03"), D("2024-04-02"), Timescales.YES)


# --- deadlines nearing -------------------------------------------------------------------------------


def test_the_nearing_window_counts_working_days_across_easter() -> None:
    # Made Wed 1 Apr 2026: acknowledgement due Fri 10 Apr, 5 working days on (9 calendar days, Easter).
    made = {"EASTER01": case(ev("2026-04-01", "complaint_made"))}
    c = figures(made, "2026-04-01")
    assert [(n.deadline, n.due, n.working_days_left, n.missed) for n in c.nearing] == [
        (ACK1, D("2026-04-10"), 5, False)
    ]
    narrow = compute_compliance(made.items(), YEAR, 1000, D("2026-04-01"), window_working_days=4)
    assert narrow.nearing == ()


def test_the_nearing_window_uses_the_case_s_own_calendar() -> None:
    # Scotland keeps Good Friday but not Easter Monday: acknowledgement due Thu 9 Apr, 5 working days on
    # (England's calendar would call it 4).
    c = figures({"SCOT0001": case(ev("2026-04-01", "complaint_made"), nation="scotland")}, "2026-04-01")
    assert [(n.due, n.working_days_left) for n in c.nearing] == [(D("2026-04-09"), 5)]


def test_nearing_lists_missed_first_then_by_due_date() -> None:
    cases = {
        "ZPEND001": case(ev("2026-05-27", "complaint_made")),  # ack due Wed 3 Jun: 2 working days left
        "APEND001": case(ev("2026-05-22", "complaint_made")),  # ack due Mon 1 Jun: today
        "BMISS001": case(ev("2026-05-20", "complaint_made")),  # ack due Thu 28 May: missed
        "CMISS001": case(ev("2026-05-12", "complaint_made")),  # ack due Tue 19 May: missed
        "FAR00001": case(ev("2026-06-01", "complaint_made")),  # ack due Mon 8 Jun: 5 left, in the window
        "DONE0001": case(
            ev("2026-05-12", "complaint_made"),
            ev("2026-05-13", "acknowledged"),
            ev("2026-05-14", "stage1_response"),
        ),
    }
    c = figures(cases, "2026-06-01")
    assert [(n.ref, n.deadline, n.due, n.working_days_left, n.missed) for n in c.nearing] == [
        ("CMISS001", ACK1, D("2026-05-19"), -8, True),
        ("BMISS001", ACK1, D("2026-05-28"), -2, True),
        ("APEND001", ACK1, D("2026-06-01"), 0, False),
        ("CMISS001", RESP1, D("2026-06-03"), 2, False),  # counted from the acknowledgement's due date
        ("ZPEND001", ACK1, D("2026-06-03"), 2, False),
        ("FAR00001", ACK1, D("2026-06-08"), 5, False),
    ]


def test_closed_cases_have_nothing_nearing() -> None:
    closed = case(ev("2026-05-20", "complaint_made"), ev("2026-05-21", "withdrawn"))
    assert figures({"GONE0001": closed}, "2026-06-01").nearing == ()


# --- the CSV -----------------------------------------------------------------------------------------


def test_csv_has_the_summary_then_one_row_per_complaint_stage() -> None:
    cases = {
        "S2MET001": case(*STAGE1_OPENING, *STAGE2_OPENING, ev("2026-05-29", "stage2_response")),
        "OPEN0001": case(ev("2026-05-20", "complaint_made")),
    }
    text = compliance_csv(figures(cases, "2026-06-01", homes=400))
    summary_text, stages_text = text.split("\r\n\r\n")
    summary = list(csv.DictReader(io.StringIO(summary_text)))
    assert tuple(summary[0]) == SUMMARY_COLUMNS
    assert summary == [
        {
            "period_start": "2026-04-01",
            "period_end": "2027-03-31",
            "as_of": "2026-06-01",
            "homes": "400",
            "stage": "1",
            "received": "1",
            "ch01_received_per_1000_homes": "2.50",
            "responses": "1",
            "responses_within_timescales": "1",
            "ch02_percent_within_timescales": "100.00",
        },
        {
            "period_start": "2026-04-01",
            "period_end": "2027-03-31",
            "as_of": "2026-06-01",
            "homes": "400",
            "stage": "2",
            "received": "1",
            "ch01_received_per_1000_homes": "2.50",
            "responses": "1",
            "responses_within_timescales": "1",
            "ch02_percent_within_timescales": "100.00",
        },
    ]
    rows = list(csv.reader(io.StringIO(stages_text)))
    assert tuple(rows[0]) == COMPLAINT_STAGE_COLUMNS
    assert rows[1:] == [
        ["S2MET001", "1", "2026-03-25", "2026-04-01", "2026-04-17", "2026-04-17", "yes", "0", ""],
        ["S2MET001", "2", "2026-04-22", "2026-04-29", "2026-05-29", "2026-05-29", "yes", "0", ""],
        ["OPEN0001", "1", "2026-05-20", "", "2026-06-11", "", "open", "", ""],
    ]


def test_csv_leaves_unknown_figures_empty() -> None:
    text = compliance_csv(figures({}, "2026-06-01", homes=None))
    summary = list(csv.DictReader(io.StringIO(text.split("\r\n\r\n")[0])))
    assert [
        (s["homes"], s["ch01_received_per_1000_homes"], s["ch02_percent_within_timescales"]) for s in summary
    ] == [
        ("", "", ""),
        ("", "", ""),
    ]


# --- the chat message --------------------------------------------------------------------------------


def test_message_in_english() -> None:
    cases = {
        "S2MET001": case(*STAGE1_OPENING, *STAGE2_OPENING, ev("2026-05-29", "stage2_response")),
        "LATE0001": case(*STAGE1_OPENING, ev("2026-04-20", "stage1_response")),
        "OPEN0001": case(ev("2026-05-20", "complaint_made")),
        "TODAY001": case(ev("2026-05-22", "complaint_made")),
    }
    text = compliance_message(figures(cases, "2026-06-01", homes=1200), translator("en"))
    assert text.startswith(
        "Complaints from Wednesday, 1 April 2026 to Wednesday, 31 March 2027, counted on Monday, 1 June 2026.\n"
        "Homes on record: 1,200.\n"
    )
    for line in [
        "Stage 1: 2 complaints received.",
        "CH01, stage 1 complaints per 1,000 homes: 1.67.",
        "CH02: 1 of 2 stage 1 responses were within the Complaint Handling Code's timescales (50%).",
        "Stage 2: 1 complaint received.",
        "CH02: 1 of 1 stage 2 response was within the Complaint Handling Code's timescales (100%).",
        "Open deadlines missed, or due within 5 working days:",
        "OPEN0001: stage 1 acknowledgement was due on Thursday, 28 May 2026; missed, 2 working days late.",
        "TODAY001: stage 1 acknowledgement is due today, Monday, 1 June 2026.",
    ]:
        assert line in text.split("\n"), line


def test_message_without_homes_responses_or_anything_nearing() -> None:
    text = compliance_message(figures({}, "2026-06-01", homes=None), translator("en"))
    assert "Homes on record" not in text
    assert "CH01: not worked out, as we do not know how many homes you have." in text
    assert "CH02: no stage 2 responses in this period." in text
    assert "No open deadline has been missed, and none is due within 5 working days." in text


def test_message_lists_at_most_the_limit_and_counts_the_rest() -> None:
    cases = {f"OPEN{i:04d}": case(ev("2026-05-20", "complaint_made")) for i in range(5)}
    text = compliance_message(figures(cases, "2026-06-01"), translator("en"), limit=3)
    assert sum(line.startswith("OPEN") for line in text.split("\n")) == 3
    assert text.split("\n")[-3] == "And 2 more."
    assert "working day late." not in text
    one = compliance_message(
        figures({"OPEN0001": case(ev("2026-05-20", "complaint_made"))}, "2026-05-29"), translator("en")
    )
    assert "missed, 1 working day late." in one


class _Marked(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


def test_every_line_of_the_message_goes_through_gettext() -> None:
    marked = Translator("xx", _Marked(), Locale.parse("en_GB"))
    cases = {
        "S2MET001": case(*STAGE1_OPENING, *STAGE2_OPENING, ev("2026-05-29", "stage2_response")),
        "OPEN0001": case(ev("2026-05-20", "complaint_made")),
        "SOON0001": case(ev("2026-05-28", "complaint_made")),
    }
    for homes in (None, 1000):
        text = compliance_message(figures(cases, "2026-06-01", homes=homes), marked, limit=1)
        for line in text.split("\n"):
            assert not line or (line.startswith("⟦") and line.endswith("⟧")), line


def test_message_in_welsh_and_arabic_formats_dates_and_numbers_for_the_language() -> None:
    cases = {"LATE0001": case(*STAGE1_OPENING, ev("2026-04-20", "stage1_response"))}
    arabic = compliance_message(figures(cases, "2026-06-01"), translator("ar"))
    assert "\u2068" in arabic  # values isolated in right-to-left text
    welsh = compliance_message(figures(cases, "2026-06-01"), translator("cy"))
    assert "2026" in welsh and "CH02" in welsh


# --- properties --------------------------------------------------------------------------------------

_KINDS = [EventKind.ACKNOWLEDGED, EventKind.STAGE1_EXTENSION, EventKind.STAGE1_RESPONSE]
_KINDS += [EventKind.ESCALATION_REQUESTED, EventKind.STAGE2_ACKNOWLEDGED, EventKind.STAGE2_EXTENSION]
_KINDS += [EventKind.STAGE2_RESPONSE, EventKind.LANDLORD_DECLINED, EventKind.WITHDRAWN]
_FIRST_DAY = date(2023, 6, 1)


@st.composite
def histories(draw: st.DrawFn) -> Case:
    """A complaint, then a few later events in date order (any order of kinds: partial or odd)."""
    day = _FIRST_DAY + timedelta(days=draw(st.integers(0, 900)))
    events = [CaseEvent(day, EventKind.COMPLAINT_MADE)]
    for kind in draw(st.lists(st.sampled_from(_KINDS), max_size=6)):
        day += timedelta(days=draw(st.integers(0, 40)))
        extra = (
            draw(st.integers(1, 25))
            if kind in (EventKind.STAGE1_EXTENSION, EventKind.STAGE2_EXTENSION)
            else None
        )
        events.append(CaseEvent(day, kind, extra_working_days=extra, reasons_given=draw(st.booleans())))
    return Case(tuple(events))


@given(
    cases=st.lists(histories(), max_size=8),
    start=st.integers(0, 1200),
    length=st.integers(0, 500),
    as_of=st.integers(0, 1500),
    homes=st.one_of(st.none(), st.integers(0, 10_000)),
)
def test_counts_stay_within_what_was_received_and_shares_within_0_and_1(
    cases: list[Case], start: int, length: int, as_of: int, homes: int | None
) -> None:
    period = Period(_FIRST_DAY + timedelta(days=start), _FIRST_DAY + timedelta(days=start + length))
    refs = [(f"R{i:07d}", c) for i, c in enumerate(cases)]
    c = compute_compliance(refs, period, homes, _FIRST_DAY + timedelta(days=as_of))
    for s in c.stages:
        assert 0 <= s.responses_within_timescales <= s.responses <= len(cases)
        assert 0 <= s.received <= len(cases)
        share = s.share_within_timescales
        assert (share is None) == (s.responses == 0)
        assert share is None or 0.0 <= share <= 1.0
        assert (s.received_per_1000_homes is None) == (not homes)
    assert all(n.missed or 0 <= n.working_days_left <= c.window_working_days for n in c.nearing)
    assert all(n.working_days_left <= 0 for n in c.nearing if n.missed)
    # Over all time, a response cannot outnumber the complaints it answers (every history here has one).
    whole = compute_compliance(refs, Period(date(1990, 1, 1), date(2100, 12, 31)), homes, date(2100, 1, 1))
    assert whole.stage(1).responses <= whole.stage(1).received == len(cases)
    lines = compliance_csv(c).split("\r\n")
    assert len(lines) == 1 + 2 + 1 + 1 + len(c.complaint_stages) + 1  # headers, rows, blank, final newline
