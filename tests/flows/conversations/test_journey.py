"""The resident's journey through the conversation flows, without a database or Telegram."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from memory import Chat
from support.journey import Answer, complaint

from flows.case import EventKind
from flows.conversations.registry import BY_NAME, FLOWS
from flows.conversations.types import Incoming
from flows.hazards import EMERGENCY_INVESTIGATION
from flows.i18n import translator

LONDON = ZoneInfo("Europe/London")


def onboarded(today: date = date(2026, 3, 2)) -> Chat:
    chat = Chat(today=today)
    chat.send("/start")
    chat.press("English")
    chat.press("I rent my home and want to complain")
    chat.press("OK, let's start")
    assert chat.where == ("home", "menu")
    return chat


def complaint_written(chat: Chat) -> Chat:
    chat.press("Start a new complaint")
    replies = chat.play(complaint())
    assert any("Saved “ceiling.jpg”" in reply.text for reply in replies)
    assert chat.where == ("complaint", "review")
    return chat


def test_first_contact_goes_through_start_and_the_privacy_notice() -> None:
    chat = Chat()
    chat.send("hello")
    assert chat.where == ("onboarding", "language")
    assert "Which language" in chat.text
    chat.press("English")
    chat.press("I rent my home and want to complain")
    assert "/export" in chat.text and "/delete" in chat.text
    chat.press("OK, let's start")
    assert chat.workspace.role == "resident"
    assert chat.where == ("home", "menu")


def test_a_complaint_from_triage_to_sent_starts_the_clocks() -> None:
    chat = complaint_written(onboarded())
    assert "Amina Begum" in chat.text and "Evidence: 1 file" in chat.text
    chat.press("That's right: write my letter")
    letter = chat.replies[0].text
    assert "Dear Riverside Housing," in letter
    assert "Code 1.2" in letter and "Code 6.2" in letter and "ceiling.jpg" in letter
    assert "The kitchen ceiling has leaked since January." in letter
    pdf = next(reply.document for reply in chat.replies if reply.document)
    assert pdf.filename.endswith("stage1.pdf")
    chat.press("I've sent it")
    chat.press("Today")
    assert "Monday, 9 March 2026" in chat.text  # acknowledgement due: 5 working days after Monday 2 March
    assert chat.where == ("home", "menu")
    record = chat.workspace.cases()[0]
    assert [e.kind for e in record.case.events] == [EventKind.ISSUE_STARTED, EventKind.COMPLAINT_MADE]
    assert chat.workspace.profile()["contact_detail"] == "amina@example.com"


def test_review_screen_edits_an_answer_and_comes_back() -> None:
    chat = complaint_written(onboarded())
    chat.press("Change an answer")
    chat.press("What would put it right")
    assert "Your answer so far: Fix the leak" in chat.text
    chat.send("Fix the leak this week.")
    assert chat.where == ("complaint", "review")
    assert "Fix the leak this week." in chat.text
    chat.press("Change an answer")
    chat.press("How to contact me")
    chat.press("By phone")
    assert chat.where == ("complaint", "contact_detail")
    chat.send("12")
    assert "doesn't look like a phone number" in chat.text
    chat.send("0113 496 0000")
    assert chat.where == ("complaint", "review")


def test_details_are_asked_once_and_reused() -> None:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I'll send it later")
    chat.press("Start a new complaint")
    for step in ("England", "The council"):
        chat.press(step)
    chat.send("Leeds City Council")
    chat.press("Anti-social behaviour")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    assert chat.where == ("complaint", "profile_check")
    assert "Amina Begum" in chat.text
    chat.press("Yes, that's right")
    assert chat.where == ("complaint", "what_happened")


def test_back_goes_one_step_and_keeps_answers() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("The council")
    chat.send("/back")
    assert chat.where == ("new_complaint", "landlord_type")
    chat.press("A housing association")
    chat.send("Riverside")
    assert chat.state is not None and chat.state.answers["landlord_type"] == "housing_association"


def test_back_after_help_on_the_menu_stays_on_the_menu() -> None:
    """The menu is where everything starts: /back never reopens onboarding from it."""
    chat = onboarded()
    chat.press("Help")
    chat.send("/back")
    assert chat.where == ("home", "menu")
    assert "There is no earlier question to go back to." in chat.text
    assert "What would you like to do?" in chat.text


def test_back_after_a_question_that_asks_itself_again_goes_to_the_one_before() -> None:
    """“Nothing heard yet” shows the deadlines and asks the status again: /back goes to the question
    before it (the menu), and no further, never into the letter already sent."""
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.press("My complaints")
    chat.press("Nothing heard yet")
    assert chat.where == ("tracking", "status")
    chat.send("/back")
    assert chat.where == ("home", "menu")
    chat.send("/back")
    assert chat.where == ("home", "menu")
    assert "There is no earlier question to go back to." in chat.text


def test_back_after_read_more_goes_to_the_topics() -> None:
    chat = onboarded()
    chat.press("How the Housing Ombudsman works")
    chat.choose("maladministration")
    chat.press("Read more")
    chat.send("/back")
    assert chat.where == ("explainer", "topics")
    chat.send("/back")
    assert chat.where == ("home", "menu")


def test_cancel_keeps_a_draft_to_resume() -> None:
    chat = complaint_written(onboarded())
    chat.send("/cancel")
    assert chat.where == ("home", "menu")
    assert "saved" in chat.text
    chat.press("Start a new complaint")
    chat.press("Carry on where I left off")
    assert chat.where == ("complaint", "review")
    assert "Amina Begum" in chat.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "not a real date"),
        ("next Tuesday", "doesn't look like a date"),
        ("Flat 3, 12 Mill Road, Leeds LS1 4AB", "doesn't look like a date"),  # not "too long ago"
        ("August 2026", "in the future"),  # a month will do, but not one to come
        ("", "Please type your answer"),
        ("01/01/2030", "in the future"),
        ("01/01/1970", "too long ago"),
        ("🙂", "could not read that as a date"),
    ],
)
def test_bad_dates_get_a_clear_reply_and_lose_nothing(typed: str, message: str) -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("Riverside")
    chat.press("Repairs")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    assert chat.where == ("new_complaint", "started")
    chat.send(typed)
    assert message in chat.text
    assert chat.where == ("new_complaint", "started")
    assert chat.state is not None and chat.state.answers["landlord_name"] == "Riverside"


def test_very_long_text_is_refused_politely_and_nothing_is_lost() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("x" * 10_000)
    assert "10,000 characters" in chat.text
    assert chat.where == ("new_complaint", "landlord_name")


@pytest.mark.parametrize("kind", ["sticker", "video", "location"])
def test_unsupported_messages_get_a_clear_reply(kind: str) -> None:
    chat = onboarded()
    chat.send(Incoming(unsupported=kind))
    assert "can't use that" in chat.text
    assert chat.where == ("home", "menu")


def test_a_stale_button_is_recognised() -> None:
    chat = onboarded()
    old = chat.buttons[0].data
    chat.press("Start a new complaint")
    chat.send(Incoming(button=old))
    assert "earlier question" in chat.text
    assert chat.where == ("new_complaint", "nation")


def test_free_text_on_the_menu_recognises_a_complaint() -> None:
    chat = onboarded()
    chat.send("my landlord won't fix the damp and mould in the bedroom")
    assert "Damp and mould" in chat.text
    assert chat.where == ("home", "menu")
    chat.send("2")  # a number picks that menu entry
    assert chat.where in {("tracking", "pick_case"), ("home", "menu")}


def test_crisis_signposting_comes_first() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("The council")
    chat.send("Leeds City Council")
    chat.press("Homelessness or temporary accommodation")
    chat.press("That's all")
    chat.press("I'm homeless, or will be today")
    assert "Shelter" in chat.text and "housing options" in chat.text
    assert "0800 111 999" not in chat.text and "court papers" not in chat.text  # only what was chosen
    chat.press("Show a summary for an adviser")
    assert "Summary for an adviser" in chat.text and "Leeds City Council" in chat.text
    chat.press("Carry on with my complaint")
    assert chat.where == ("new_complaint", "court")


def test_council_allocations_are_routed_to_the_lgsco_first() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("The council")
    chat.send("Leeds City Council")
    chat.press("The housing register or a move")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    assert chat.where == ("new_complaint", "route")
    assert "Local Government and Social Care Ombudsman" in chat.text


def test_a_first_repair_report_is_coached_as_a_service_request() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("Riverside")
    chat.press("Repairs")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    chat.press("No, this is the first time")
    assert "service request" in chat.text and "1.4" in chat.text
    chat.press("I want to complain now")  # never blocked
    assert chat.where[0] == "complaint"


def test_tracking_records_the_landlords_replies_and_offers_stage_2() -> None:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 3, 16)
    chat.send("/status")
    assert "Riverside Housing" in chat.text
    chat.press("They acknowledged it")
    chat.send("04/03/2026")
    assert "Noted" in chat.text
    chat.press("They replied")
    chat.send("today")
    chat.press("That's all my evidence")
    chat.press("No, or only partly")
    assert chat.where == ("stage2", "why")
    chat.press("I'd rather not say")
    assert chat.where == ("stage2", "review")
    chat.press("That's right: write my request")
    assert "escalate my complaint to stage 2" in chat.replies[0].text
    chat.press("I've sent it")
    chat.send("today")
    kinds = [e.kind for e in chat.workspace.cases()[0].case.events]
    assert kinds[-3:] == [EventKind.ACKNOWLEDGED, EventKind.STAGE1_RESPONSE, EventKind.ESCALATION_REQUESTED]


def test_missed_deadline_offers_the_ombudsman_and_a_referral_pack() -> None:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 4, 20)
    chat.send("/status")
    assert "working days late" in chat.text
    chat.press("Go to the Housing Ombudsman")
    chat.press("Make my pack")
    assert chat.where == ("referral", "review")
    chat.press("That's right: make my pack")
    documents = [reply.document for reply in chat.replies if reply.document]
    assert [d.filename.rsplit(".", 1)[1] for d in documents] == ["pdf", "zip"]
    chat.press("I've sent it")
    chat.send("today")
    assert chat.workspace.cases()[0].case.events[-1].kind is EventKind.REFERRED_TO_OMBUDSMAN


def test_explain_menu_shows_topics_with_sources() -> None:
    chat = onboarded()
    chat.send("/explain")
    chat.press("Maladministration and other findings")
    assert "Source:" in chat.text
    chat.press("Read more")
    assert "https://" in chat.text


def test_delete_needs_confirmation() -> None:
    chat = complaint_written(onboarded())
    chat.send("/delete")
    chat.press("No, keep my data")
    assert not chat.workspace.deleted
    chat.send("/delete")
    chat.press("Yes, delete everything")
    assert chat.workspace.deleted


COMMANDS_ANYWHERE = (
    "/help",
    "/back",
    "/cancel",
    "/status",
    "/explain",
    "/language",
    "/menu",
    "/export",
    "/nonsense",
)
STEPS = [(flow.name, step.id) for flow in FLOWS for step in flow.steps]


@pytest.mark.parametrize("command", COMMANDS_ANYWHERE)
@pytest.mark.parametrize(("flow", "step"), STEPS, ids=[f"{flow}.{step}" for flow, step in STEPS])
def test_every_command_works_at_every_step_of_the_flows(flow: str, step: str, command: str) -> None:
    """Each command from each step of each flow answers and leaves a valid state."""
    chat = onboarded()
    assert chat.state is not None
    chat.state.answers.setdefault("case", "FS0001")
    chat.state.flow, chat.state.state = flow, step
    assert chat.send(command), f"{command} at {flow}.{step} gave no reply"
    assert chat.state.state in BY_NAME[chat.state.flow].by_id


def test_damp_and_mould_gets_awaabs_law_timescales_and_tracks_them() -> None:
    chat = onboarded(today=date(2026, 3, 2))
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("Riverside")
    chat.press("Damp and mould")
    chat.press("That's all")
    assert "Which of these is your home?" in chat.text  # a housing association has leaseholders too
    chat.press("A housing association tenancy (assured or starter)")
    chat.press("None of these")
    chat.press("No")
    chat.send("01/01/2026")
    chat.press("Yes, I've reported it")
    chat.press("No")
    chat.press("No, not that I know of")
    chat.press("A small patch")
    assert "When did you first tell your landlord" in chat.text  # no risk now: no emergency offered
    chat.send("02/02/2026")
    assert "Awaab's Law" in chat.text
    assert "Monday, 16 February 2026" in chat.text  # investigate within 10 working days of 2 February
    assert "Not done yet" in chat.text
    record = chat.workspace.cases()[0]
    assert record.details["hazard"] == {"reported_on": "2026-02-02", "level": "significant"}
    assert record.details["tenure"] == "assured"
    chat.send("/status")
    assert "Awaab's Law" in chat.text
    chat.press("They inspected the damp or mould")
    chat.send("13/02/2026")
    assert chat.workspace.cases()[0].details["hazard_investigated"] == "2026-02-13"
    assert "Done on Friday, 13 February 2026: on time." in chat.text


def _damp_case(
    chat: Chat, landlord_type: str, tenure: str | None, *, reported: str = "Yes, I've reported it"
) -> None:
    """Damp and mould, up to the risk-now questions; `tenure` answers the tenure question (None: not asked)."""
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press(landlord_type)
    chat.send("Riverside")
    chat.press("Damp and mould")
    chat.press("That's all")
    if tenure is not None:
        chat.press(tenure)
    chat.press("None of these")
    chat.press("No")
    chat.send("01/01/2026")
    chat.press(reported)


@pytest.mark.parametrize(
    ("landlord_type", "tenure", "instead"),
    [
        ("A private landlord", None, "environmental health (private housing) team"),
        ("A letting agent", None, "environmental health (private housing) team"),
        (
            "A housing association",
            "I own it on a lease (leaseholder)",
            "your lease says who must repair what",
        ),
        ("The council", "Shared ownership", "your lease says who must repair what"),
        ("Another social landlord (co-op, trust)", "I rent it from a private landlord", "private housing"),
        ("The council", "Temporary accommodation while I'm homeless", "temporary accommodation"),
        ("A housing association", "Supported housing", "supported housing"),
        ("I'm not sure", "I'm not sure", "start a new complaint and tell us so"),
    ],
)
def test_damp_where_awaabs_law_does_not_cover_the_home_says_what_applies_and_counts_no_clocks(
    landlord_type: str, tenure: str | None, instead: str
) -> None:
    chat = onboarded(today=date(2026, 3, 2))
    _damp_case(chat, landlord_type, tenure)
    if tenure is None:  # the landlord type settles it: no tenure question
        assert "Which of these is your home?" not in chat.transcript()
    said = chat.transcript()
    assert instead in said and "won't count them" in said
    assert "When did you first tell your landlord" not in said  # no report date: no clocks
    assert "Is anyone in your home more at risk" not in said
    record = chat.workspace.cases()[0] if chat.workspace.cases() else None
    assert record is None or "hazard" not in record.details


@pytest.mark.parametrize(
    ("landlord_type", "tenure"),
    [
        ("A housing association", "A housing association tenancy (assured or starter)"),
        ("The council", "A council tenancy (secure or introductory)"),
        ("Another social landlord (co-op, trust)", "A housing association tenancy (assured or starter)"),
        ("A housing association", "I'm not sure"),  # a social landlord's resident: its tenants are covered
        ("I'm not sure", "A council tenancy (secure or introductory)"),
    ],
)
def test_damp_in_a_social_rented_home_gets_the_clocks(landlord_type: str, tenure: str) -> None:
    chat = onboarded(today=date(2026, 3, 2))
    _damp_case(chat, landlord_type, tenure)
    assert "Is anyone in your home more at risk" in chat.text
    # Not sure of the tenure: told what the clocks rest on, and when they would not apply.
    assert ("do not apply if you own your home on a lease" in chat.text) is (tenure == "I'm not sure")
    chat.press("No")
    chat.press("No, not that I know of")
    chat.press("A small patch")
    chat.send("02/02/2026")
    assert "Monday, 16 February 2026" in chat.text
    assert chat.workspace.cases()[0].details["hazard"]["level"] == "significant"


def test_risk_now_offers_the_emergency_route_with_24_hours_from_the_time_of_the_report() -> None:
    """A 6-year-old with asthma and two hospital visits: the emergency route, not the 10-working-day one."""
    chat = onboarded(today=date(2026, 3, 2))
    chat.now = datetime(2026, 3, 2, 15, 0, tzinfo=LONDON)
    _damp_case(chat, "A housing association", "A housing association tenancy (assured or starter)")
    chat.press("Yes")
    chat.press("Someone needed hospital, A&E or urgent care because of it")
    chat.press("Much of one room")
    assert "this may be an emergency" in chat.text and "24 hours" in chat.text
    chat.press("Yes, treat it as an emergency")
    chat.send("02/03/2026")
    assert "At what time did you tell your landlord?" in chat.text
    chat.send("25:00")
    assert "could not read that as a time" in chat.text
    chat.send("4pm")
    assert "hasn't come yet today" in chat.text  # it is 15:00 now
    chat.send("2.30")
    assert "morning or the afternoon" in chat.text  # 02:30 or 14:30: 12 hours apart on a 24-hour clock
    chat.send("9:15am")
    said = chat.transcript()
    assert "Your landlord must investigate the problem within 24 hours" in said
    assert "09:15 on Tuesday, 3 March 2026" in said  # 24 hours from 09:15 on Monday
    assert "10 working days" not in chat.text
    hazard = chat.workspace.cases()[0].details["hazard"]
    assert hazard == {"reported_on": "2026-03-02", "level": "emergency", "reported_at": "09:15"}


def test_an_unknown_report_time_counts_from_the_end_of_the_day_and_says_so() -> None:
    chat = onboarded(today=date(2026, 3, 2))
    chat.now = datetime(2026, 3, 2, 15, 0, tzinfo=LONDON)
    _damp_case(chat, "The council", "A council tenancy (secure or introductory)")
    chat.press("Yes")
    chat.press("Breathing problems, coughs, infections or worse asthma")
    chat.press("A small patch")
    chat.press("Yes, treat it as an emergency")
    chat.send("01/03/2026")
    chat.press("I don't know the time")
    said = chat.transcript()
    assert "23:59 on Monday, 2 March 2026" in said  # from 23:59 on Sunday 1 March, not 09:00
    assert "count the 24 hours from the end of that day" in said
    assert "Not done yet. There is still time." in said  # at 15:00 on 2 March the 24 hours still run
    assert "reported_at" not in chat.workspace.cases()[0].details["hazard"]


def test_no_risk_now_means_no_emergency_offer_and_declining_it_keeps_the_usual_timescales() -> None:
    chat = onboarded(today=date(2026, 3, 2))
    _damp_case(chat, "The council", "A council tenancy (secure or introductory)")
    chat.press("Yes")
    chat.press("No, not that I know of")
    chat.press("A small patch")
    assert "When did you first tell your landlord" in chat.text
    chat.send("/back")
    chat.press("Several rooms, or it is spreading fast")  # someone vulnerable, widespread: offered
    assert "this may be an emergency" in chat.text
    chat.press("No, the usual timescales")
    chat.send("02/02/2026")
    assert "At what time" not in chat.transcript()
    assert chat.workspace.cases()[0].details["hazard"]["level"] == "significant"


def test_another_unsent_complaint_named_by_case_keeps_its_clocks() -> None:
    """Only the draft this triage opened is left behind: not another complaint "case" may still name (one
    opened from /status before a half-written triage was resumed)."""
    chat = onboarded(today=date(2026, 3, 2))
    other = chat.workspace.open_case(
        nation="england",
        landlord_type="council",
        landlord_name="Leeds City Council",
        subject="damp_mould",
        details={"hazard": {"reported_on": "2026-02-02", "level": "significant"}, "tenure": "secure"},
    )
    _damp_case(chat, "The council", "A council tenancy (secure or introductory)")
    chat.press("No")
    chat.press("No, not that I know of")
    chat.press("A small patch")
    assert chat.state is not None
    chat.state.answers["case"] = other
    chat.send("02/02/2026")
    assert chat.workspace.case(other).details["hazard"] == {
        "reported_on": "2026-02-02",
        "level": "significant",
    }


@pytest.mark.parametrize("landlord_type", ["The council", "A housing association"])
def test_temporary_accommodation_is_told_the_local_government_ombudsman_looks_at_it(
    landlord_type: str,
) -> None:
    """Temporary accommodation is a council housing function (domain 4.1): the LGSCO's, not the Housing
    Ombudsman's, which the rest of the journey names."""
    chat = onboarded(today=date(2026, 3, 2))
    _damp_case(chat, landlord_type, "Temporary accommodation while I'm homeless")
    said = chat.transcript()
    assert "Local Government and Social Care Ombudsman rather than the Housing Ombudsman" in said
    assert "Local_Government_Ombudsman" in said  # its source


def test_supported_housing_is_not_told_about_the_local_government_ombudsman() -> None:
    chat = onboarded(today=date(2026, 3, 2))
    _damp_case(chat, "A housing association", "Supported housing")
    assert "Local Government and Social Care Ombudsman rather than" not in chat.transcript()


def test_a_report_date_before_the_problem_started_is_checked() -> None:
    """Started (or first noticed) on 1 January, reported on 2 December? Clocks from a date typed in error
    would call the landlord late when it is not."""
    chat = onboarded(today=date(2026, 3, 2))
    _damp_case(chat, "The council", "A council tenancy (secure or introductory)")
    chat.press("No")
    chat.press("No, not that I know of")
    chat.press("A small patch")
    chat.send("02/12/2025")
    assert "before Thursday, 1 January 2026, when you said the problem started" in chat.text
    assert chat.where == ("new_complaint", "hazard_reported")
    assert not chat.workspace.cases()
    chat.send("01/01/2026")  # the same day is fine
    assert chat.workspace.cases()[0].details["hazard"]["reported_on"] == "2026-01-01"


def test_going_back_to_say_it_was_not_reported_after_all_leaves_no_clocks() -> None:
    """The report date given, then /back to "Have you already reported this?" and "No": no clocks from a
    report the resident has taken back."""
    chat = onboarded(today=date(2026, 3, 2))
    _damp_case(chat, "The council", "A council tenancy (secure or introductory)")
    chat.press("No")
    chat.press("No, not that I know of")
    chat.press("A small patch")
    chat.send("02/02/2026")
    assert chat.where[0] == "complaint"
    while chat.where != ("new_complaint", "reported"):
        chat.send("/back")
    chat.press("No, this is the first time")
    chat.press("No")
    chat.press("No, not that I know of")
    chat.press("A small patch")
    chat.press("I want to complain now")
    assert chat.where[0] == "complaint"
    assert "hazard" not in chat.workspace.cases()[-1].details


def test_correcting_the_report_date_after_going_back_leaves_no_clocks_on_the_first_draft() -> None:
    """The case opens when triage ends; /back into triage and a corrected report date (and time) open it
    again. The first draft must not keep counting from the wrong date: its reminders would say the
    landlord missed a deadline it had not."""
    chat = onboarded(today=date(2026, 3, 2))
    chat.now = datetime(2026, 3, 2, 15, 0, tzinfo=LONDON)
    _damp_case(chat, "The council", "A council tenancy (secure or introductory)")
    chat.press("Yes")
    chat.press("Someone needed hospital, A&E or urgent care because of it")
    chat.press("A small patch")
    chat.press("Yes, treat it as an emergency")
    chat.send("01/02/2026")  # a slip: March was meant
    chat.press("I don't know the time")
    assert chat.where[0] == "complaint"
    while chat.where != ("new_complaint", "hazard_reported"):
        chat.send("/back")
    chat.send("01/03/2026")
    chat.send("23:00")
    first, second = chat.workspace.cases()
    assert not first.details.get("hazard")
    assert second.details["hazard"] == {
        "reported_on": "2026-03-01",
        "level": "emergency",
        "reported_at": "23:00",
    }


def test_status_shows_no_clocks_for_a_case_opened_before_the_scope_was_checked_in_a_home_not_covered() -> (
    None
):
    """A private landlord's damp case opened before issue 21 kept its report date: /status must not count
    Awaab's Law's deadlines for it, as the letters and the portal already do not."""
    chat = onboarded(today=date(2026, 3, 2))
    chat.workspace.open_case(
        nation="england",
        landlord_type="private_landlord",
        landlord_name="Mr Smith",
        subject="damp_mould",
        details={"hazard": {"reported_on": "2026-02-02", "level": "significant"}},
    )
    chat.send("/status")
    said = chat.transcript()
    assert "Mr Smith" in said
    assert "Awaab" not in said and "They inspected the damp or mould" not in said


def test_report_it_first_gives_the_timescales_and_the_message_in_english_with_a_preview() -> None:
    chat = onboarded(today=date(2026, 3, 2))
    chat.send("/language")
    chat.press("Polski")
    chat.send("/menu")
    t = translator("pl")
    chat.press(t.gettext("Start a new complaint"))
    chat.press(t.gettext("England"))
    chat.press(t.gettext("The council"))
    chat.send("Leeds City Council")
    chat.press(t.gettext("Damp and mould"))
    chat.press(t.gettext("That's all"))
    chat.press(t.gettext("A council tenancy (secure or introductory)"))
    chat.press(t.gettext("None of these"))
    chat.press(t.gettext("No"))
    chat.send("01/01/2026")
    chat.press(t.gettext("No, this is the first time"))
    chat.press(t.gettext("Yes"))
    chat.press(t.gettext("Someone needed hospital, A&E or urgent care because of it"))
    chat.press(t.gettext("A small patch"))
    chat.press(t.gettext("Yes, treat it as an emergency"))
    chat.press(t.gettext("I'll report it first"))
    said = chat.text
    assert "I am reporting damp and mould at my home" in said  # the message in English, for the landlord
    assert "within 24 hours of this report" in said
    preview = (
        translator("pl")
        .gettext(
            "I am reporting damp and mould at my home: {what}. I believe it is an emergency hazard: it puts my "
            "household's health at risk now. Under Awaab's Law (the Hazards in Social Housing (Prescribed "
            "Requirements) (England) Regulations 2025), please investigate within {investigate_hours} hours of this "
            "report and make my home safe within {safe_hours} hours. Please confirm the date and time you received "
            "this report."
        )
        .split("{what}")[0]
    )
    assert preview in said and preview != "I am reporting damp and mould at my home: "
    assert EMERGENCY_INVESTIGATION.text(t) in said
    assert chat.where == ("home", "menu")


def test_report_it_first_for_a_repair_keeps_the_english_message_without_awaabs_law() -> None:
    chat = onboarded(today=date(2026, 3, 2))
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A private landlord")
    chat.send("Mr Smith")
    chat.press("Damp and mould")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.send("01/01/2026")
    chat.press("No, this is the first time")
    chat.press("I'll report it first")
    assert "I am reporting a repair at my home" in chat.text
    assert "Awaab's Law, once your landlord" not in chat.text


def test_the_letters_and_the_referral_pack_state_awaabs_law_and_its_clocks() -> None:
    """Reported on Monday 5 January, the investigation due on 19 January: the resident has not said whether
    it happened, so the letters ask the landlord rather than call it missed, and the pack says nothing is
    recorded."""
    chat = onboarded(today=date(2026, 3, 2))
    chat.press("Start a new complaint")
    chat.play(complaint(subject="damp_mould", started="01/12/2025", hazard_reported="05/01/2026"))
    chat.press("That's right: write my letter")
    letter = chat.replies[0].text
    assert (
        "Awaab's Law (the Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025)"
        in letter
    )
    assert "Damp and mould first reported to the landlord: Monday, 5 January 2026." in letter
    assert (
        "- Investigate the hazard (10 working days): due Monday, 19 January 2026, the date has passed: please "
        "tell me whether and when you did this." in letter
    )
    assert "safe alternative accommodation" in letter
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 3, 16)
    chat.send("/status")
    chat.press("They acknowledged it")
    chat.send("04/03/2026")
    chat.press("They replied")
    chat.send("today")
    chat.press("That's all my evidence")
    chat.press("No, or only partly")
    chat.press("I'd rather not say")
    chat.press("That's right: write my request")
    stage2 = chat.replies[0].text
    assert "escalate my complaint to stage 2" in stage2
    assert "due Monday, 19 January 2026, the date has passed: please tell me whether" in stage2
    assert "missed" not in stage2
    chat.press("I've sent it")
    chat.send("today")
    chat.today = date(2026, 5, 20)
    chat.send("/status")
    chat.press("Go to the Housing Ombudsman")
    chat.press("Make my pack")
    chat.press("That's right: make my pack")
    summary = next(reply.document for reply in chat.replies if reply.document).data.decode()
    assert "Your landlord's deadlines under Awaab's Law" in summary
    assert (
        "Investigate the hazard (10 working days): due Monday, 19 January 2026, the date has passed, not "
        "recorded as done." in summary
    )


def test_a_letter_for_a_home_awaabs_law_does_not_cover_says_nothing_of_it() -> None:
    chat = onboarded(today=date(2026, 3, 2))
    chat.press("Start a new complaint")
    answers = complaint(subject="damp_mould", hazard_reported="05/01/2026", tenure="leaseholder")
    awaab_only = ("risk_people", "risk_health", "risk_extent", "hazard_reported")  # not covered: not asked
    chat.play([answer for answer in answers if answer.step not in awaab_only])
    chat.press("That's right: write my letter")
    assert "Awaab" not in chat.replies[0].text
    assert "hazard" not in chat.workspace.cases()[0].details


def test_a_late_stage2_acknowledgement_does_not_move_the_final_answer_date() -> None:
    # Issue 22: stage 2 asked for on Mon 16 Mar 2026; acknowledged late, on Thu 2 Apr (due Mon 23 Mar).
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 3, 16)
    chat.send("/status")
    chat.press("They acknowledged it")
    chat.send("04/03/2026")
    chat.press("They replied")
    chat.send("today")
    chat.press("That's all my evidence")
    chat.press("No, or only partly")
    chat.press("I'd rather not say")
    chat.press("That's right: write my request")
    chat.press("I've sent it")
    chat.send("today")
    chat.today = date(2026, 4, 10)
    chat.send("/status")
    chat.press("They acknowledged it")
    chat.send("02/04/2026")
    chat.send("/status")
    # 25 working days after 16 March (Good Friday and Easter Monday skipped): Wed 22 April, not the
    # 20 working days after the acknowledgement (Tue 5 May).
    assert "Final answer (stage 2): due Wednesday, 22 April 2026" in chat.text
    assert "5 May" not in chat.text


def test_an_unanswered_2022_code_stage1_offers_the_ombudsman_but_not_stage2() -> None:
    # Sent Thu 1 Jun 2023: acknowledgement due Thu 8 Jun, answer due 10 working days later, Thu 22 Jun.
    chat = onboarded(today=date(2023, 6, 1))
    chat.press("Start a new complaint")
    chat.play(complaint(started="01/02/2023"))
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2023, 7, 3)
    chat.send("/status")
    labels = [button.label for button in chat.buttons]
    assert "Go to the Housing Ombudsman" in labels
    assert "Ask for stage 2" not in labels  # 2022 Code 5.11: stage 2 once stage 1 is complete


def test_a_stage2_request_under_the_2022_code_is_not_told_code_6_12() -> None:
    # Sent Thu 1 Jun 2023, answered Tue 20 Jun 2023: a stage 2 request then is under the 2022 Code, which
    # has no "no reasons needed" paragraph (6.12 is the 2024 Code's); its 5.9 and 5.10 are cited instead.
    chat = onboarded(today=date(2023, 6, 1))
    chat.press("Start a new complaint")
    chat.play(complaint(started="01/02/2023"))
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2023, 6, 20)
    chat.send("/status")
    chat.press("They replied")
    chat.send("today")
    chat.press("That's all my evidence")
    chat.press("No, or only partly")
    assert chat.where == ("stage2", "why")
    assert "6.12" not in chat.text and "without giving reasons" not in chat.text
    assert "(2022 Code 5.9)" in chat.text and "(2022 Code 5.10)" in chat.text
    chat.press("I'd rather not say")
    assert chat.where == ("stage2", "review")
    assert "No reasons given." in chat.text and "6.12" not in chat.text


def test_a_stage2_request_under_the_2024_code_is_told_no_reasons_are_needed() -> None:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 3, 13)
    chat.send("/status")
    chat.press("They replied")
    chat.send("today")
    chat.press("That's all my evidence")
    chat.press("No, or only partly")
    assert chat.where == ("stage2", "why")
    assert "You can ask for stage 2 without giving reasons (Complaint Handling Code 6.12)." in chat.text
    chat.press("I'd rather not say")
    assert "No reasons given: you don't have to give any (Code 6.12)." in chat.text


def welsh_complaint_sent() -> Chat:
    """A complaint about a home in Wales, sent on Mon 2 Mar 2026."""
    chat = onboarded()
    chat.press("Start a new complaint")
    answers = complaint()
    answers[0] = Answer("new_complaint", "nation", "wales")
    first_complaint_step = next(n for n, answer in enumerate(answers) if answer.flow == "complaint")
    chat.play(answers[:first_complaint_step])
    assert "then the Public Services Ombudsman for Wales" in chat.text
    chat.press("Write to my landlord")
    chat.play(answers[first_complaint_step:])
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    return chat


def test_an_overdue_complaint_in_wales_is_not_offered_the_housing_ombudsman() -> None:
    chat = welsh_complaint_sent()
    chat.today = date(2026, 5, 1)  # stage 1 long overdue
    chat.send("/status")
    labels = [button.label for button in chat.buttons]
    assert "Go to the Housing Ombudsman" not in labels and "Ask for stage 2" not in labels
    assert "Public Services Ombudsman for Wales" in chat.text


def test_a_stage2_request_in_wales_cites_no_housing_ombudsman_code() -> None:
    """The Code does not apply in Wales (the Public Services Ombudsman for Wales handles these), so
    neither its 6.12 nor the 2022 Code is cited when asking why."""
    chat = welsh_complaint_sent()
    chat.today = date(2026, 3, 13)
    chat.send("/status")
    chat.press("They replied")
    chat.send("today")
    chat.press("That's all my evidence")
    chat.press("No, or only partly")
    assert chat.where == ("stage2", "why")
    assert "Code" not in chat.text and "without giving reasons" not in chat.text
    assert "tell me what is still wrong or what you disagree with" in chat.text
    chat.press("I'd rather not say")
    assert chat.where == ("stage2", "review")
    assert "No reasons given." in chat.text and "Code" not in chat.text
    chat.press("That's right: write my request")
    letter = chat.replies[0].text
    assert "escalate my complaint" in letter
    # The acknowledgement was overtaken late (due Mon 9 Mar, answered Fri 13 Mar), but the Code that would
    # make that a failure does not bind a Welsh landlord: the letter lists no Code failures.
    assert "Code" not in letter and "How my complaint has been handled so far" not in letter


def test_a_stage2_letter_under_the_2022_code_cites_that_code() -> None:
    # Sent Thu 1 Jun 2023 and answered Tue 20 Jun 2023: the request is under the 2022 Code, whose stage 2
    # runs 20 working days from the request; 6.10-6.14 are the 2024 Code's.
    chat = onboarded(today=date(2023, 6, 1))
    chat.press("Start a new complaint")
    chat.play(complaint(started="01/02/2023"))
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2023, 6, 20)
    chat.send("/status")
    chat.press("They replied")
    chat.send("today")
    chat.press("That's all my evidence")
    chat.press("No, or only partly")
    chat.press("I'd rather not say")
    chat.press("That's right: write my request")
    letter = chat.replies[0].text
    assert "(Complaint Handling Code 2022, 5.9)" in letter
    assert "within 20 working days of this request (Complaint Handling Code 2022)" in letter
    assert not any(f"Code 6.{n}" in letter for n in (10, 11, 12, 14))
