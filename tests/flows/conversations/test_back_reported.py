"""/back, /cancel and the buttons outside the flow, as residents reported them and as a review broke
them: each test failed before its fix."""

from __future__ import annotations

from datetime import date

from memory import Chat
from test_journey import complaint_written, onboarded

from flows.case import EventKind
from flows.conversations.engine import DRAFT, TRAIL, ConversationState, Incoming
from flows.conversations.router import approve_button_data, case_button_data

SORRY = "Sorry, something went wrong"


def sent_and_waiting() -> Chat:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 3, 16)
    chat.send("/status")
    assert chat.where == ("tracking", "status")
    return chat


def events(chat: Chat) -> list[EventKind]:
    return [event.kind for event in chat.workspace.cases()[0].case.events]


def test_back_after_an_acknowledgement_is_noted_does_not_ask_its_date_again() -> None:
    """Reported: "They acknowledged it", a date, /back, "today": "Sorry, something went wrong" every
    time (the date's question asked again without the kind of event it was for)."""
    chat = sent_and_waiting()
    chat.press("They acknowledged it")
    chat.send("04/03/2026")
    assert "Noted" in chat.text and chat.where == ("tracking", "status")
    chat.send("/back")
    assert chat.where == ("tracking", "status")
    assert "There is no earlier question to go back to." in chat.text
    chat.send("today")  # not a choice of the status screen: said so, nothing recorded twice
    assert chat.where == ("tracking", "status")
    assert events(chat).count(EventKind.ACKNOWLEDGED) == 1


def test_back_at_the_acknowledgement_date_then_today_is_understood() -> None:
    chat = sent_and_waiting()
    chat.press("They acknowledged it")
    chat.send("/back")
    assert chat.where == ("tracking", "status")
    chat.press("They acknowledged it")
    chat.send("today")
    assert "Noted" in chat.text
    assert events(chat).count(EventKind.ACKNOWLEDGED) == 1


def test_back_after_a_reply_is_noted_does_not_record_it_again() -> None:
    chat = sent_and_waiting()
    chat.press("They replied")
    chat.send("today")
    assert chat.where == ("tracking", "reply_file")
    chat.send("/back")  # the reply is recorded: its date is not asked again
    assert chat.where == ("tracking", "reply_file")
    chat.press("That's all my evidence")
    assert chat.where == ("tracking", "happy")
    assert events(chat).count(EventKind.STAGE1_RESPONSE) == 1


def test_back_after_an_extension_is_noted_does_not_reopen_its_questions() -> None:
    chat = sent_and_waiting()
    chat.press("They asked for more time")
    chat.send("today")
    chat.press("They didn't give a date")
    chat.press("No")
    assert "Noted" in chat.text and chat.where == ("tracking", "status")
    for _ in range(3):
        chat.send("/back")
        assert chat.where == ("tracking", "status")
    chat.send("1")  # the status screen's first choice still works
    assert chat.state is not None


def test_cancel_new_carry_on_back_goes_to_the_question_before_not_to_carry_on() -> None:
    """Reported: /cancel, /new, "Carry on", /back returned to "carry on?", and a second "Carry on"
    started again from "Where is your home?", asking every answer again."""
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("The council")
    chat.send("Leeds City Council")
    chat.send("/cancel")
    chat.send("/new")
    chat.press("Carry on where I left off")
    assert chat.where == ("new_complaint", "subject")
    chat.send("/back")
    assert chat.where == ("new_complaint", "landlord_name")
    assert "Your answer so far: Leeds City Council" in chat.text
    chat.send("/back")
    assert chat.where == ("new_complaint", "landlord_type")
    assert chat.state is not None
    assert chat.state.answers["landlord_name"] == "Leeds City Council"
    assert chat.state.answers["nation"] == "england"


def test_a_draft_resumes_on_its_own_complaint_after_another_was_looked_at() -> None:
    """Looking at an older complaint mid-way must not turn the draft into a letter for that one."""
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.press("Start a new complaint")
    for label in ("England", "A housing association"):
        chat.press(label)
    chat.send("Riverside Housing")
    chat.press("Repairs")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    chat.press("Yes, I've reported it")
    assert chat.where[0] == "complaint"
    draft = chat.state.answers["case"]  # type: ignore[union-attr]
    assert draft == "FS0002"
    chat.send("/status")
    chat.press("FS0001 · Riverside Housing · stage 1: waiting for the landlord to acknowledge it")
    chat.send("/new")
    chat.press("Carry on where I left off")
    assert chat.state is not None and chat.state.answers["case"] == "FS0002"


def test_a_reminder_button_mid_complaint_keeps_the_draft_and_back_stays_out_of_it() -> None:
    """The buttons under a reminder or a helper's proposal open like a command: the half-written
    complaint is kept to carry on, and /back does not jump into the middle of it."""
    chat = complaint_written(onboarded())
    chat.press("Change an answer")
    chat.press("What would put it right")
    chat.send(Incoming(button=case_button_data("FS0001")))
    assert chat.where == ("tracking", "status")
    chat.send("/back")
    assert chat.where == ("tracking", "status")
    assert "There is no earlier question to go back to." in chat.text
    chat.send("/menu")
    chat.press("Start a new complaint")
    chat.press("Carry on where I left off")
    assert chat.where == ("complaint", "put_right")


def test_an_approval_button_mid_flow_leaves_nothing_half_done() -> None:
    chat = sent_and_waiting()
    chat.press("They acknowledged it")
    chat.send(Incoming(button=approve_button_data("stage2", "FS0001")))
    assert chat.where == ("stage2", "why")
    assert chat.state is not None and "pending_kind" not in chat.state.answers
    assert TRAIL not in chat.state.answers


def test_language_first_does_not_skip_the_privacy_notice() -> None:
    chat = Chat()
    chat.send("hello")  # the language question, then /language instead of an answer
    chat.send("/language")
    chat.choose("en")
    assert chat.where == ("onboarding", "role")
    chat.choose("resident")
    assert chat.where == ("onboarding", "privacy")


def test_commands_before_onboarding_do_not_skip_the_privacy_notice() -> None:
    """/new, /status or /cancel at the first question went straight to the menu or a complaint:
    nobody had said who they are or seen what is kept about them."""
    for command in ("/new", "/status", "/cancel", "/menu", "/explain", "/share"):
        chat = Chat()
        chat.send("hello")
        chat.send(command)
        assert chat.where == ("onboarding", "language"), command
        assert "Please choose one of the options below" in chat.text
    chat.choose("en")
    chat.send("/new")
    assert chat.where == ("onboarding", "role")
    chat.send("/help")  # what does not skip anything still works
    assert "Here is what I can do" in chat.text


def test_a_trail_stored_by_an_older_version_naming_removed_steps_is_passed_over() -> None:
    """Conversations stored before the steps that only ran a callback were removed (migration 0007
    moved the conversation, not what its trail and draft name)."""
    chat = sent_and_waiting()
    assert chat.state is not None
    chat.state.answers[TRAIL] = [["tracking", "status"], ["tracking", "act"], ["tracking", "record_event"]]
    chat.state.flow, chat.state.state = "tracking", "status"
    chat.send("/back")
    assert SORRY not in chat.text
    assert chat.where == ("tracking", "status")


def test_a_draft_stored_by_an_older_version_resumes() -> None:
    chat = onboarded()
    assert chat.state is not None
    chat.state.answers.update({"nation": "england", "landlord_type": "council", "landlord_name": "Leeds"})
    chat.state.answers[DRAFT] = ["new_complaint", "subject"]  # as stored before the draft kept its context
    chat.send("/new")
    chat.press("Carry on where I left off")
    assert chat.where == ("new_complaint", "subject")
    chat.send("/back")
    assert chat.where == ("new_complaint", "subject")  # nothing earlier known: asked again
    assert chat.state.answers["landlord_name"] == "Leeds"


def test_a_draft_at_a_removed_step_resumes_at_its_flows_start() -> None:
    chat = onboarded()
    assert chat.state is not None
    chat.state.answers[DRAFT] = ["complaint", "use_profile"]  # a step removed by issue 18
    chat.send("/new")
    chat.press("Carry on where I left off")
    assert chat.state is not None and chat.state.flow == "complaint"
    assert chat.state.state in {"full_name", "profile_check"}


def test_a_callbacks_own_error_is_not_taken_for_no_way_on() -> None:
    """Flow.trigger caught KeyError, so a callback's KeyError read as "no transition" and the real
    fault was hidden (and its half-done work with it)."""
    chat = sent_and_waiting()
    chat.press("They acknowledged it")
    assert chat.state is not None
    del chat.state.answers["pending_kind"]  # as the old /back left it
    state = ConversationState(chat.state.flow, chat.state.state, chat.state.answers)
    chat.state = state
    try:
        chat.send("today")
    except KeyError:
        return
    raise AssertionError("a callback's KeyError was swallowed")


def test_a_stage_1_letter_button_pressed_at_the_stage_2_letter_is_an_earlier_question() -> None:
    """Both questions were "letter": the old stage 1 message's "I've sent it" answered stage 2's."""
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    stage1_sent = next(b.data for b in chat.buttons if b.label == "I've sent it")  # an earlier letter's
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 4, 20)
    chat.send("/status")
    chat.press("Ask for stage 2")
    chat.press("I'd rather not say")
    chat.press("That's right: write my request")
    assert chat.where == ("stage2", "letter")
    chat.send(Incoming(button=stage1_sent))
    assert "That button belongs to an earlier question" in chat.text
    assert chat.where == ("stage2", "letter")


def test_a_status_button_of_another_complaint_records_nothing_on_this_one() -> None:
    """An older status message (complaint FS0001) still has its buttons; pressed while the status of
    FS0002 is shown, it answered for FS0002."""
    chat = sent_and_waiting()
    old_replied = next(b.data for b in chat.buttons if b.label == "They replied")
    second = chat.workspace.open_case(
        nation="england", landlord_type="council", landlord_name="Leeds", subject="repairs", details={}
    )
    chat.workspace.record_event(second, chat.workspace.cases()[0].case.events[-1])
    chat.send("/status")
    chat.press(next(b.label for b in chat.buttons if b.data.endswith(second)))
    assert chat.where == ("tracking", "status") and chat.state is not None
    assert chat.state.answers["case"] == second
    chat.send(Incoming(button=old_replied))
    assert "That button belongs to an earlier question" in chat.text
    assert chat.where == ("tracking", "status")
