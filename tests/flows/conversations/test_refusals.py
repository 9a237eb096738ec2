"""Refusals answered (flows.refusals): the reason the landlord gave, whether the resident asked for stage 2 in
time (the landlord's own limit; 2022 Code 5.9; Code 6.10), and Code 2.4 when a complaint is refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from memory import Chat
from support.journey import complaint

from flows.case import Case, CaseEvent, EventKind, LandlordPolicy
from flows.contract import parse_case
from flows.conversations.tracking import read_limit
from flows.findings import WarningId
from flows.i18n import translator
from flows.labels import event_label
from flows.refusals import refusal_answer, with_refusal_limit
from flows.timeline import build_timeline

EN = translator("en")
WESTLEA = Path(__file__).resolve().parents[3] / "flows" / "examples" / "westlea-201911525.json"
E = EventKind


def case(*events: tuple[str, EventKind], window: int | None = None) -> Case:
    return Case(
        tuple(CaseEvent(date.fromisoformat(on), kind) for on, kind in events),
        landlord_policy=LandlordPolicy(escalation_window_days=window),
    )


STAGE1_ANSWERED = (
    ("2026-03-02", E.COMPLAINT_MADE),
    ("2026-03-03", E.ACKNOWLEDGED),
    ("2026-03-10", E.STAGE1_RESPONSE),
)


def ids(c: Case, on: date = date(2026, 6, 1)) -> list[WarningId]:
    return [f.id for f in build_timeline(c, on).findings]


def test_a_refusal_at_stage_1_warns_with_code_2_4() -> None:
    timeline = build_timeline(
        case(("2026-03-02", E.COMPLAINT_MADE), ("2026-03-04", E.LANDLORD_DECLINED)), date(2026, 4, 1)
    )
    [refused] = [f for f in timeline.findings if f.id is WarningId.COMPLAINT_REFUSED]
    assert refused.rule == "Code 2.4" and refused.params["stage"] == 1
    answer = refusal_answer(timeline, {"refusal": {"reason": "no_reason"}}, EN)
    assert (
        answer is not None
        and "Code 2.4" in answer
        and "no reason" in answer
        and "Housing Ombudsman" in answer
    )


def test_a_refusal_after_a_stage_2_acknowledgement_warns_with_code_2_4() -> None:
    c = case(
        *STAGE1_ANSWERED,
        ("2026-03-12", E.ESCALATION_REQUESTED),
        ("2026-03-13", E.STAGE2_ACKNOWLEDGED),
        ("2026-03-20", E.LANDLORD_DECLINED),
    )
    assert WarningId.COMPLAINT_REFUSED in ids(c) and WarningId.ESCALATION_REFUSED not in ids(c)


def test_refusing_an_escalation_is_not_also_a_code_2_4_refusal() -> None:
    c = case(*STAGE1_ANSWERED, ("2026-03-12", E.ESCALATION_REQUESTED), ("2026-03-12", E.LANDLORD_DECLINED))
    assert WarningId.ESCALATION_REFUSED in ids(c) and WarningId.COMPLAINT_REFUSED not in ids(c)


def test_asked_within_the_landlords_limit_is_in_time_under_code_6_10() -> None:
    c = case(*STAGE1_ANSWERED, ("2026-03-30", E.ESCALATION_REQUESTED), ("2026-03-31", E.LANDLORD_DECLINED))
    details = {"refusal": {"reason": "out_of_time", "limit_days": 28}}
    answer = refusal_answer(build_timeline(with_refusal_limit(c, details), date(2026, 4, 1)), details, EN)
    assert answer is not None
    assert (
        "you asked in time" in answer and "Code 6.10 (2024)" in answer and "Tuesday, 7 April 2026" in answer
    )


def test_asked_after_the_landlords_limit_is_not_in_time() -> None:
    c = case(*STAGE1_ANSWERED, ("2026-04-30", E.ESCALATION_REQUESTED), ("2026-05-01", E.LANDLORD_DECLINED))
    details = {"refusal": {"reason": "out_of_time", "limit_days": 28}}
    answer = refusal_answer(build_timeline(with_refusal_limit(c, details), date(2026, 5, 4)), details, EN)
    assert answer is not None
    assert "you did not ask in time" in answer and "you asked in time" not in answer
    assert "must tell you why in writing" in answer


def test_a_limit_the_landlord_registered_wins_over_what_the_resident_typed() -> None:
    c = case(
        *STAGE1_ANSWERED,
        ("2026-03-30", E.ESCALATION_REQUESTED),
        ("2026-03-31", E.LANDLORD_DECLINED),
        window=14,
    )
    details = {"refusal": {"reason": "out_of_time", "limit_days": 60}}
    answer = refusal_answer(build_timeline(with_refusal_limit(c, details), date(2026, 4, 1)), details, EN)
    assert answer is not None and "you did not ask in time" in answer


def test_unknown_limit_says_so_rather_than_guess() -> None:
    c = case(*STAGE1_ANSWERED, ("2026-03-30", E.ESCALATION_REQUESTED), ("2026-03-31", E.LANDLORD_DECLINED))
    answer = refusal_answer(build_timeline(c, date(2026, 4, 1)), {"refusal": {"reason": "out_of_time"}}, EN)
    assert answer is not None and "can't tell whether your request was in time" in answer
    assert "you asked in time" not in answer and "did not ask in time" not in answer


def test_westlea_2019_rests_on_the_landlords_own_limit_and_no_code() -> None:
    """Westlea 201911525 (seed 000): asked on 14 December 2019, four weeks after 28 November; refused 29 April
    2020. Before any Code: no "Code 5.9 (2022)" as if it applied."""
    westlea = parse_case(WESTLEA.read_text()).to_case()
    answer = refusal_answer(
        build_timeline(westlea, date(2020, 5, 1)), {"refusal": {"reason": "out_of_time"}}, EN
    )
    assert answer is not None
    assert "you asked in time" in answer and "Thursday, 26 December 2019" in answer
    assert "No Complaint Handling Code applied then" in answer and "5.9" not in answer


def test_the_cli_output_schema_names_the_new_warning() -> None:
    schema = json.loads((WESTLEA.parents[2] / "docs" / "schema" / "timeline-output.schema.json").read_text())
    assert "complaint_refused" in schema["$defs"]["WarningOut"]["properties"]["id"]["description"]


# --- in the chat ------------------------------------------------------------------------------------------


def asked_for_stage2(today: date = date(2026, 3, 2)) -> Chat:
    chat = Chat(today=today)
    chat.send("/start")
    chat.press("English")
    chat.press("I rent my home and want to complain")
    chat.press("OK, let's start")
    chat.press("Start a new complaint")
    chat.play(complaint())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 3, 16)
    chat.send("/status")
    chat.press("They acknowledged it")
    chat.send("04/03/2026")
    chat.press("They replied")
    chat.send("13/03/2026")
    chat.press("That's all my evidence")
    chat.press("No, or only partly")
    chat.press("I'd rather not say")
    chat.press("That's right: write my request")
    chat.press("I've sent it")
    chat.send("today")
    return chat


def test_the_chat_asks_the_reason_and_the_limit_and_answers_in_time() -> None:
    chat = asked_for_stage2()
    chat.send("/status")
    chat.press("They refused to deal with it")
    chat.send("today")
    assert chat.where == ("tracking", "refusal_reason")
    chat.press("Out of time: asked too late")
    assert chat.where == ("tracking", "refusal_limit")
    chat.send("four weeks")
    assert "number of days" in chat.text and chat.where == ("tracking", "refusal_limit")
    chat.send("28 days")
    assert "you asked in time" in chat.text and "Code 6.10" in chat.text
    assert chat.where == ("tracking", "status")
    record = chat.workspace.cases()[0]
    assert record.details["refusal"] == {"reason": "out_of_time", "limit_days": 28}
    assert record.case.events[-1].kind is EventKind.LANDLORD_DECLINED
    # The referral pack carries the answer.
    chat.press("Go to the Housing Ombudsman")
    chat.press("Make my pack")
    chat.press("That's right: make my pack")
    [pdf] = [r for r in chat.replies if r.document and r.document.filename.endswith(".pdf")]
    assert pdf.document is not None
    summary = pdf.document.data.decode()
    assert "Your landlord's refusal" in summary and "The reason they gave: Out of time" in summary
    assert "you asked in time" in summary


def test_no_limit_question_when_the_reason_is_not_time() -> None:
    chat = asked_for_stage2()
    chat.send("/status")
    chat.press("They refused to deal with it")
    chat.send("today")
    chat.press("No reason given")
    assert chat.where == ("tracking", "status")
    assert "no reason" in chat.text and "can't tell whether your request was in time" in chat.text


def test_a_stage_1_refusal_asks_the_reason_but_not_the_limit() -> None:
    chat = Chat(today=date(2026, 3, 2))
    chat.send("/start")
    chat.press("English")
    chat.press("I rent my home and want to complain")
    chat.press("OK, let's start")
    chat.press("Start a new complaint")
    chat.play(complaint())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.send("/status")
    chat.press("They refused to deal with it")
    chat.send("today")
    chat.press("Out of time: asked too late")
    assert chat.where == ("tracking", "status")
    assert "Code 2.4" in chat.text


def test_a_stage_1_refusal_out_of_time_says_whether_the_complaint_was_within_12_months() -> None:
    """Code 2.3: complaints made within 12 months of the problem must be accepted."""
    in_time = case(
        ("2026-01-05", E.ISSUE_STARTED), ("2026-03-02", E.COMPLAINT_MADE), ("2026-03-04", E.LANDLORD_DECLINED)
    )
    answer = refusal_answer(
        build_timeline(in_time, date(2026, 3, 5)), {"refusal": {"reason": "out_of_time"}}, EN
    )
    assert (
        answer is not None
        and "you complained in time" in answer
        and "Code 2.3" in answer
        and "Code 2.4" in answer
    )
    late = case(
        ("2024-12-01", E.ISSUE_STARTED), ("2026-03-02", E.COMPLAINT_MADE), ("2026-03-04", E.LANDLORD_DECLINED)
    )
    answer = refusal_answer(
        build_timeline(late, date(2026, 3, 5)), {"refusal": {"reason": "out_of_time"}}, EN
    )
    assert answer is not None and "more than 12 months after" in answer and "in time" not in answer


def test_i_dont_know_the_limit_is_answered_without_a_guess() -> None:
    chat = asked_for_stage2()
    chat.send("/status")
    chat.press("They refused to deal with it")
    chat.send("today")
    chat.press("Out of time: asked too late")
    chat.press("I don't know")
    assert chat.where == ("tracking", "status")
    assert "can't tell whether your request was in time" in chat.text
    assert chat.workspace.cases()[0].details["refusal"] == {"reason": "out_of_time", "limit_days": None}


def test_a_refusal_dated_before_the_stage_2_request_is_refused() -> None:
    """Dated before the request it refuses, a refusal would be read as refusing stage 1: a slip in the date,
    refused as issue 20's order check refuses one (flows.history.refusal_clash), the event named."""
    chat = asked_for_stage2()
    chat.send("/status")
    chat.press("They refused to deal with it")
    chat.send("14/03/2026")
    assert chat.where == ("tracking", "event_date")
    assert "Monday, 16 March 2026" in chat.text and "That has to come first" in chat.text
    chat.send("today")
    assert chat.where == ("tracking", "refusal_reason")


def test_a_refusal_corrected_to_before_the_request_is_refused() -> None:
    """Issue 20's corrections keep the same order: a refusal's new date must not move before what it refused."""
    chat = asked_for_stage2()
    chat.send("/status")
    chat.press("They refused to deal with it")
    chat.send("today")
    chat.press("No reason given")
    chat.press("Correct or remove something I recorded")
    chat.press(f"{EN.format_date(date(2026, 3, 16))}: {event_label(EventKind.LANDLORD_DECLINED, EN)}")
    chat.press("Change its date")
    chat.send("14/03/2026")
    assert chat.where == ("tracking", "correct_date") and "That has to come first" in chat.text
    events = chat.workspace.cases()[0].case.events
    assert events[-1].kind is EventKind.LANDLORD_DECLINED and events[-1].date == date(2026, 3, 16)


def test_a_stage_1_refusal_under_the_2022_code_cites_no_2024_clause() -> None:
    """Refused in 2023, under the 2022 Code: Code 2.4 and 2.2 are 2024 clauses (statutory from 1 April 2024,
    domain.md 1.1), so the warning rests on the Ombudsman's guidance on exclusions (VERIFIED, domain.md 1.3)."""
    c = case(("2023-06-01", E.COMPLAINT_MADE), ("2023-06-05", E.LANDLORD_DECLINED))
    timeline = build_timeline(c, date(2023, 7, 1))
    [refused] = [f for f in timeline.findings if f.id is WarningId.COMPLAINT_REFUSED]
    assert refused.rule == "Housing Ombudsman guidance on exclusions"
    answer = refusal_answer(timeline, {"refusal": {"reason": "in_court"}}, EN)
    assert answer is not None and "Code 2." not in answer and "Housing Ombudsman guidance" in answer


def test_westlea_2019_cites_no_code_for_what_a_complaint_is() -> None:
    """Before any Code, the answer says no Code applied: it must not then cite Code 1.2 or Code 2.2."""
    westlea = parse_case(WESTLEA.read_text()).to_case()
    for reason in ("not_a_complaint", "in_court"):
        answer = refusal_answer(
            build_timeline(westlea, date(2020, 5, 1)), {"refusal": {"reason": reason}}, EN
        )
        assert answer is not None and "No Complaint Handling Code applied then" in answer
        assert "Code 1.2" not in answer and "Code 2.2" not in answer


def test_a_2026_refusal_still_cites_code_1_2_and_2_2() -> None:
    c = case(("2026-03-02", E.COMPLAINT_MADE), ("2026-03-04", E.LANDLORD_DECLINED))
    timeline = build_timeline(c, date(2026, 4, 1))
    assert "Code 1.2" in (refusal_answer(timeline, {"refusal": {"reason": "not_a_complaint"}}, EN) or "")
    assert "Code 2.2" in (refusal_answer(timeline, {"refusal": {"reason": "in_court"}}, EN) or "")


def test_a_limit_in_working_days_counts_working_days() -> None:
    """Vivid's policy is 15 working days from the stage 1 letter (domain.md 1.7). Answered Tue 10 March 2026,
    asked Mon 30 March: working day 14, in time (15 calendar days would have ended on 25 March)."""
    c = case(*STAGE1_ANSWERED, ("2026-03-30", E.ESCALATION_REQUESTED), ("2026-03-31", E.LANDLORD_DECLINED))
    details = {"refusal": {"reason": "out_of_time", "limit_days": 15, "working_days": True}}
    answer = refusal_answer(build_timeline(with_refusal_limit(c, details), date(2026, 4, 1)), details, EN)
    assert answer is not None and "you asked in time" in answer and "Tuesday, 31 March 2026" in answer


def test_the_resident_can_type_working_days() -> None:
    assert read_limit(" 15 working days") == (15, True)
    assert read_limit("15 Working Days") == (15, True)
    assert read_limit("10 business days") == (10, True)
    assert read_limit("28 days") == (28, False)
    assert read_limit("28") == (28, False)
    assert read_limit("0") is None and read_limit("100000") is None
    # In the resident's language, as the catalogues say "working days".
    assert read_limit("15 dni roboczych") == (15, True) and read_limit("15 dni") == (15, False)
    assert read_limit("15 diwrnod gwaith") == (15, True) and read_limit("15 zile lucrătoare") == (15, True)
    assert read_limit("15 maalmood oo shaqo") == (15, True) and read_limit("15 কার্যদিবস") == (15, True)
    assert read_limit("15 يوم عمل") == (15, True) and read_limit("کام کے 15 دن") is None
    # Weeks are seven days each ("4 weeks" was read as 4 days); months are asked again in days.
    assert read_limit("4 weeks") == (28, False) and read_limit("4 tygodnie") == (28, False)
    assert read_limit("4 wythnos") == (28, False) and read_limit("4 săptămâni") == (28, False)
    assert (
        read_limit("1 month") is None and read_limit("1 miesiąc") is None and read_limit("60 weeks") is None
    )


def test_the_chat_keeps_working_days_the_resident_typed() -> None:
    chat = asked_for_stage2()
    chat.send("/status")
    chat.press("They refused to deal with it")
    chat.send("today")
    chat.press("Out of time: asked too late")
    chat.send("15 working days")
    # Good Friday and Easter Monday skipped
    assert "you asked in time" in chat.text and "Tuesday, 7 April 2026" in chat.text
    record = chat.workspace.cases()[0]
    assert record.details["refusal"] == {"reason": "out_of_time", "limit_days": 15, "working_days": True}


def test_asked_in_time_but_refused_because_of_court_is_not_called_a_failure() -> None:
    """Court proceedings are an exclusion ground (Code 2.2; 2022 Code 5.9 "unless an exclusion ground now
    applies", domain.md 1.3 and 1.7): asking in time does not make that refusal a failure."""
    c = case(*STAGE1_ANSWERED, ("2026-03-30", E.ESCALATION_REQUESTED), ("2026-03-31", E.LANDLORD_DECLINED))
    details = {"refusal": {"reason": "in_court", "limit_days": 28}}
    answer = refusal_answer(build_timeline(with_refusal_limit(c, details), date(2026, 4, 1)), details, EN)
    assert answer is not None and "you asked in time" in answer and "failure" not in answer
    assert "unless your landlord has a valid reason" in answer and "Code 2.2" in answer


def test_not_in_time_under_the_2024_code_cites_the_guidance_for_reasons_in_writing() -> None:
    """Code 6.10 says a complaint not resolved at stage 1 must go to stage 2; it says nothing of reasons in
    writing or the Ombudsman (the 2024 clause on refusing to escalate is UNVERIFIED, domain.md 1.7). The
    Ombudsman's guidance on exclusions says both (VERIFIED, domain.md 1.3); 2022 Code 5.9 says both too."""
    c = case(*STAGE1_ANSWERED, ("2026-04-30", E.ESCALATION_REQUESTED), ("2026-05-01", E.LANDLORD_DECLINED))
    details = {"refusal": {"reason": "out_of_time", "limit_days": 28}}
    answer = refusal_answer(build_timeline(with_refusal_limit(c, details), date(2026, 5, 4)), details, EN)
    assert answer is not None and "you did not ask in time" in answer
    assert "Housing Ombudsman (Housing Ombudsman guidance on exclusions)" in answer and "6.10" not in answer
    old = case(
        ("2023-03-01", E.COMPLAINT_MADE),
        ("2023-03-10", E.STAGE1_RESPONSE),
        ("2023-05-30", E.ESCALATION_REQUESTED),
        ("2023-06-01", E.LANDLORD_DECLINED),
    )
    answer = refusal_answer(build_timeline(with_refusal_limit(old, details), date(2023, 6, 5)), details, EN)
    assert answer is not None and "Housing Ombudsman (Code 5.9 (2022))" in answer
