"""Crisis help on every typed message, before anything else, and "I need to talk to a person"."""

from __future__ import annotations

from datetime import date

from memory import Chat
from test_journey import onboarded

from flows.conversations.diagrams import flow_diagram
from flows.conversations.engine import TO_HELD
from flows.conversations.safety import HELD_FLOW
from flows.conversations.types import Incoming, IncomingFile
from flows.conversations.workspace import Advocate

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
ISSUE_MESSAGE = (
    "I can't take this anymore, I want to kill myself. My partner hits me and the council won't move me"
)


def at_what_happened(nation: str = "England") -> Chat:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press(nation)
    chat.press("A housing association")
    chat.send("Riverside Housing")
    chat.press("Repairs")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.send("01/02/2026")
    chat.press("Yes, I've reported it")
    if chat.where == ("new_complaint", "route"):  # Wales: a word on the Welsh ombudsman first
        chat.press("Write to my landlord")
    chat.send("Amina Begum")
    chat.send("Flat 3, 12 Mill Road, Leeds LS1 4AB")
    chat.send("T-123456")
    chat.press("By email")
    chat.send("amina@example.com")
    assert chat.where == ("complaint", "what_happened")
    return chat


def test_a_crisis_on_the_menu_gets_help_first_not_a_complaint_topic() -> None:
    chat = onboarded()
    chat.send(ISSUE_MESSAGE)
    assert chat.replies[0].text.startswith("I'm so sorry. Your safety comes first.")
    assert "Samaritans" in chat.text and "116 123" in chat.text
    assert "National Domestic Abuse Helpline" in chat.text and "0808 2000 247" in chat.text
    assert "I'm not sure I understood" not in chat.text and "It sounds like your complaint" not in chat.text
    assert chat.where == ("home", "menu")
    assert "What would you like to do?" in chat.replies[-1].text  # and then the menu again


def test_one_word_and_homeless_tonight_are_answered_too() -> None:
    chat = onboarded()
    chat.send("suicidal")
    assert "116 123" in chat.text and chat.where == ("home", "menu")
    chat.send("I'm going to be homeless tonight")
    assert "0808 800 4444" in chat.text and "housing options" in chat.text
    assert "116 123" not in chat.text  # the help is for what was said
    assert "It sounds like your complaint" not in chat.text


def test_a_disclosure_typed_as_an_answer_is_not_put_in_the_letter_without_asking() -> None:
    chat = at_what_happened()
    chat.send("I feel suicidal and I want to end my life")
    assert "116 123" in chat.text
    assert chat.where == ("held", "keep")
    assert "what_happened" not in chat.state.answers  # type: ignore[union-attr]
    chat.press("Leave it out")
    assert chat.where == ("complaint", "what_happened")
    assert "what_happened" not in chat.state.answers and "_held" not in chat.state.answers  # type: ignore[union-attr]
    assert chat.state.answers["full_name"] == "Amina Begum"  # type: ignore[union-attr]  # nothing else lost
    assert "What happened?" in chat.replies[-1].text
    chat.send("The kitchen ceiling has leaked since January.")
    assert chat.state.answers["what_happened"] == "The kitchen ceiling has leaked since January."  # type: ignore[union-attr]


def test_the_resident_may_keep_it_as_their_answer() -> None:
    chat = at_what_happened()
    words = "Since the ceiling fell my partner hits me more and I want the landlord to know"
    chat.send(words)
    assert "0808 2000 247" in chat.text and chat.where == ("held", "keep")
    chat.send("I'm not sure")  # not one of the choices: asked again, nothing lost
    assert chat.where == ("held", "keep")
    chat.press("Use it in my complaint")
    assert chat.state.answers["what_happened"] == words  # type: ignore[union-attr]
    assert chat.where == ("complaint", "dates")


def test_a_command_while_held_leaves_the_message_out_and_keeps_the_draft() -> None:
    chat = at_what_happened()
    chat.send("I want to die")
    chat.send("/cancel")
    assert chat.where == ("home", "menu")
    assert chat.state.answers["_draft"][:2] == ["complaint", "what_happened"]  # type: ignore[union-attr]
    assert "_held" not in chat.state.answers  # type: ignore[union-attr]


def test_back_while_held_returns_to_the_question_it_was_typed_at() -> None:
    chat = at_what_happened()
    chat.send("I want to die")
    chat.send("/back")
    assert chat.where == ("complaint", "what_happened")
    assert "_held" not in chat.state.answers  # type: ignore[union-attr]


def test_help_and_export_while_held_still_ask_about_it() -> None:
    for command in ("/help", "/export"):
        chat = at_what_happened()
        chat.send("I want to die")
        chat.send(command)
        assert chat.where == ("held", "keep"), command
        assert "Shall I use it in your complaint?" in chat.replies[-1].text
        chat.press("Use it in my complaint")
        assert chat.state.answers["what_happened"] == "I want to die"  # type: ignore[union-attr]


def test_words_typed_with_a_file_are_read_and_the_file_is_still_taken() -> None:
    chat = at_what_happened()
    chat.send("The kitchen ceiling has leaked since January.")
    chat.press("Skip")
    chat.send("We cannot cook.")
    chat.send("Fix it.")
    chat.press("None needed")
    assert chat.where == ("complaint", "evidence")
    chat.send(Incoming(file=IncomingFile("ceiling.jpg", "image/jpeg", JPEG, "photo"), caption="he hits me"))
    assert "0808 2000 247" in chat.text
    assert chat.where == ("complaint", "evidence")
    [record] = chat.workspace.records.values()
    assert len(record.evidence) == 1 and "he hits me" not in str(
        record
    )  # the photo is kept, the words are not


def test_an_idiom_gets_a_gentle_word_and_the_answer_is_taken() -> None:
    chat = at_what_happened()
    chat.send("The damp is killing me and the children are ill")
    assert "Are you safe right now?" in chat.text and "116 123" in chat.text
    assert "Your safety comes first" not in chat.text
    assert chat.where == ("complaint", "dates")
    assert chat.state.answers["what_happened"] == "The damp is killing me and the children are ill"  # type: ignore[union-attr]


def test_the_help_is_for_the_nation_the_resident_lives_in() -> None:
    chat = at_what_happened("Wales")
    chat.send("my husband beats me")
    assert "Live Fear Free" in chat.text and "0808 80 10 800" in chat.text
    assert "0808 2000 247" not in chat.text


def test_before_this_complaint_says_where_the_home_is_the_last_complaint_does() -> None:
    chat = onboarded()
    chat.workspace.open_case(
        nation="wales", landlord_type="council", landlord_name="Cardiff Council", subject=None, details={}
    )
    chat.press("Start a new complaint")
    chat.send("my husband beats me")
    assert "Live Fear Free" in chat.text and "0808 2000 247" not in chat.text


def test_at_a_question_with_buttons_the_same_question_is_asked_again() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.send("I can smell gas")
    assert "0800 111 999" in chat.text and "emergency repairs line" in chat.text
    assert chat.where == ("new_complaint", "nation")
    assert "Where is your home?" in chat.replies[-1].text


def test_the_very_first_message_can_be_a_crisis() -> None:
    chat = Chat(today=date(2026, 3, 2))
    chat.send("I want to kill myself")
    assert "116 123" in chat.text
    assert chat.where == ("onboarding", "language")


def test_a_crisis_in_another_language_than_the_bots_is_answered() -> None:
    chat = onboarded()
    chat.send("Chcę się zabić")
    assert "116 123" in chat.text and chat.where == ("home", "menu")


def test_the_urgent_buttons_show_only_the_chosen_help() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("Riverside Housing")
    chat.press("Repairs")
    chat.press("That's all")
    chat.press("Someone is in danger at home (gas, electrics, no heat, collapse)")
    assert "Riverside Housing's emergency repairs line" in chat.text and "0800 111 999" in chat.text
    assert "Shelter" not in chat.text and "court papers" not in chat.text


def test_talking_to_a_person_from_the_menu_and_help() -> None:
    chat = onboarded()
    chat.send("/help")
    assert "/person" in chat.text
    chat.press("I need to talk to a person")
    assert "Citizens Advice" in chat.text and "0300 111 3000" in chat.text
    assert chat.where == ("person", "services")
    chat.press("Back to the menu")
    assert chat.where == ("home", "menu")


def test_a_helper_is_told_only_with_the_residents_consent() -> None:
    chat = onboarded()
    chat.people.linked.append(Advocate(7, "FS0001", "Sam Patel", "act", date(2026, 3, 1)))
    chat.send("/person")
    assert "let someone who helps you know" in chat.text
    assert chat.people.calls_asked == []  # nothing until the resident says so
    chat.press("Yes, tell Sam Patel")
    assert chat.people.calls_asked == [7]
    assert "I've let them know" in chat.text and chat.where == ("home", "menu")


def test_the_landlords_team_gets_no_crisis_help_for_what_it_writes_about_residents() -> None:
    chat = onboarded()
    chat.people.role_names.add("landlord_staff")
    chat.send("/landlord")
    chat.send(Incoming(text="Safe Homes: domestic abuse refuges"))
    assert "0808 2000 247" not in chat.text


def test_use_it_and_leave_it_out_are_transitions_of_the_held_flow() -> None:
    """Where "Use it in my complaint" and "Leave it out" lead is declared, so the diagram shows it."""
    diagram = flow_diagram(HELD_FLOW)
    assert "keep is use" in diagram and "keep is leave" in diagram
    assert {t["dest"] for t in HELD_FLOW.transitions} == {TO_HELD}


def test_after_using_a_held_message_back_goes_to_the_question_it_answered() -> None:
    chat = at_what_happened()
    chat.send("My partner hits me and the leak makes it worse")
    chat.press("Use it in my complaint")
    assert chat.where == ("complaint", "dates")
    chat.send("/back")
    assert chat.where == ("complaint", "what_happened")
    assert "Your answer so far: My partner hits me" in chat.text
    chat.send("/back")
    assert chat.where == ("complaint", "contact_detail")
