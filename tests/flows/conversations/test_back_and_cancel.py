"""/back and /cancel at every step of every flow, each step reached the way a person reaches it.

The steps are found by walking the flows from a few people (someone new, a resident whose complaint
is late, a helper and a landlord's team member, an organisation not yet registered): every button
shown is pressed and a few typical answers typed, until every step of every flow in the registry has
been reached. Then, at each step, `/back` and `/cancel`: never an error, no answer already given
lost, `/back` never past the menu, and nothing half-done left behind; the question `/back` lands on
is answered again, which must work too.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import pytest
from memory import Chat, MemoryPeople
from script import WRITTEN
from support import letter_files
from support.journey import split_at

from flows.case import CaseEvent, EventKind
from flows.conversations.commands import DRAFT_FLOWS, scratch_keys
from flows.conversations.engine import DRAFT, HELD, RETURN_TO, TRAIL, AnswerKind
from flows.conversations.registry import BY_NAME, FLOWS
from flows.conversations.types import Incoming, IncomingFile
from flows.conversations.workspace import Advocate, Organisation, Redemption

STEPS = [(flow.name, step.id) for flow in FLOWS for step in flow.steps]
OPENING_COMMANDS = (
    "/start",
    "/new",
    "/status",
    "/explain",
    "/language",
    "/delete",
    "/person",
    "/share",
    "/helpers",
    "/code",
    "/cases",
    "/landlord",
    "/inbox",
    "/invite",
)
TYPED = (
    "The ceiling leaks.",
    "amina@example.com",
    "0113 496 0000",
    "L1234",
    "12500",
    "10",
    "LINK234567",
    "JOIN234567",
    "My partner hits me",  # a message held for "use it?"
)
DATES = ("today", "02/03/2026")
PHOTO = IncomingFile("reply.jpg", "image/jpeg", b"\xff\xd8\xff fake jpeg", "photo")
# A landlord's dated reply: /status reads it and offers its date (a photo it cannot read does not).
LETTER = IncomingFile(
    "reply.pdf",
    "application/pdf",
    letter_files.text_pdf("Riverside Housing\n12 March 2026\n\nDear Ms Begum,\n\nStage 1 response.\n"),
    "document",
)
# Kept between questions by the flows while a step is under way; none may be left after /cancel.
HALF_DONE = ("pending_kind", "action", "ll_action", "ll_case", "_language_only", HELD, RETURN_TO, TRAIL)


@dataclass
class CodesPeople(MemoryPeople):
    """Codes that link a helper to a complaint, or join a landlord's team, so /code's later steps show."""

    def redeem_code(self, code: str) -> Redemption:
        if code.startswith("LINK"):
            return Redemption("linked", ref="FS0001")
        if code.startswith("JOIN"):
            return Redemption("joined", landlord="Riverside Housing")
        return Redemption("unknown")


def _chat(today: date = date(2026, 3, 2)) -> Chat:
    chat = Chat(today=today)
    chat.people = CodesPeople(chat.workspace)
    chat.people.emailing = True  # "Email it for me" and its questions are walked too
    return chat


def _onboarded(chat: Chat) -> Chat:
    chat.send("/start")
    chat.choose("en")
    chat.choose("resident")
    chat.choose("ok")
    return chat


def _resident_with_a_late_complaint() -> Chat:
    """Damp and mould, sent on 2 March and not answered: every way on from the status is open."""
    chat = _onboarded(_chat())
    chat.choose("new")
    chat.play(WRITTEN)
    chat.choose("letter")
    chat.choose("sent")
    chat.choose("today")
    chat.today = date(2026, 5, 20)
    people = chat.people
    assert isinstance(people, MemoryPeople)
    people.role_names |= {"advocate", "landlord_staff"}
    people.org = Organisation("Riverside Housing", approved=True, admin=True)
    record = chat.workspace.records["FS0001"]
    people.received = {"LL0001": replace(record, ref="LL0001")}  # another resident's, sent to this team
    people.helping = {"FS0001": record}
    people.linked = [Advocate(1, "FS0001", "Sam", "act", date(2026, 3, 2))]
    return chat


def _with_two_complaints() -> Chat:
    """A second complaint, not sent yet: /status and /share ask which."""
    chat = _resident_with_a_late_complaint()
    chat.workspace.open_case(
        nation="england", landlord_type="council", landlord_name="Leeds", subject="repairs", details={}
    )
    chat.send("/menu")
    return chat


def _second_complaint_about_damp() -> Chat:
    """Triage for a second complaint about damp already reported: Awaab's Law's question, then the
    details kept from the first complaint to check."""
    chat = _resident_with_a_late_complaint()
    chat.send("/new")
    return chat


def _stage2_asked() -> Chat:
    """Answered at stage 1 and stage 2 asked for: a refusal "out of time" asks the landlord's limit."""
    chat = _resident_with_a_late_complaint()
    chat.workspace.record_event("FS0001", CaseEvent(date(2026, 3, 16), EventKind.STAGE1_RESPONSE))
    chat.workspace.record_event("FS0001", CaseEvent(date(2026, 4, 1), EventKind.ESCALATION_REQUESTED))
    chat.send("/menu")
    return chat


def _team_not_registered() -> Chat:
    chat = _onboarded(_chat())
    people = chat.people
    assert isinstance(people, MemoryPeople)
    people.role_names.add("landlord_staff")
    return chat


def _moves(chat: Chat) -> Iterator[Incoming]:
    yield from (Incoming(button=button.data) for button in chat.buttons)
    if chat.state is None:
        yield Incoming(text="/start")
        return
    step = BY_NAME[chat.state.flow].by_id.get(chat.state.state)
    if step is not None and step.kind is AnswerKind.TEXT:
        yield from (Incoming(text=text) for text in TYPED)
    if step is not None and step.kind is AnswerKind.DATE:
        yield from (Incoming(text=text) for text in DATES)
    if step is not None and step.kind is AnswerKind.FILES:
        yield Incoming(file=PHOTO)
        yield Incoming(file=LETTER)
    if chat.where == ("home", "menu"):  # a command opens the same flow from anywhere
        yield from (Incoming(text=command) for command in OPENING_COMMANDS)
    else:
        yield Incoming(text="/cancel")  # a draft kept, to carry on


def _seen_as(chat: Chat) -> tuple[object, ...]:
    """Two chats at one step are walked on from both when they offer other buttons, or when the step
    will record something else (a reply rather than an acknowledgement); at the menu, when the person
    has a draft, other complaints or an organisation (what the menu's ways on depend on)."""
    assert chat.state is not None
    answers = chat.state.answers
    others = sorted({b.data.split(":")[0] for b in chat.buttons} - {chat.where[1]})  # e.g. a team's "ll:"
    # A complaint's subject leads to questions of its own (damp: the tenure, the risk now, Awaab's Law).
    subject = answers.get("subject") if chat.where[0] == "new_complaint" else None
    read = bool(answers.get("reply_letter_date"))  # a landlord's letter read: its date is offered
    # Stage 2 asked for: a refusal then asks the landlord's time limit.
    stage2 = any(
        event.kind is EventKind.ESCALATION_REQUESTED
        for record in chat.workspace.records.values()
        for event in record.case.events
    )
    key = (chat.where, answers.get("pending_kind"), answers.get("ll_action"), subject, read, stage2, *others)
    if chat.where != ("home", "menu"):
        return key
    people = chat.people
    assert isinstance(people, MemoryPeople)
    return (*key, DRAFT in answers, min(len(chat.workspace.records), 2), people.org is not None)


FAILURES: list[str] = []


@cache
def reached() -> dict[tuple[str, str], Chat]:
    """A chat at each step reached, the first way it was found (breadth first: the shortest)."""
    found: dict[tuple[str, str], Chat] = {}
    seen: set[tuple[object, ...]] = set()
    first = _chat()
    first.send("hello")
    damp = _second_complaint_about_damp()
    triage, _ = split_at(WRITTEN, "new_complaint", "tenure")
    damp.play(triage)
    queue = [
        first,
        _resident_with_a_late_complaint(),
        _with_two_complaints(),
        _team_not_registered(),
        damp,
        _stage2_asked(),
    ]
    while queue:
        chat = queue.pop(0)
        if _seen_as(chat) in seen:
            continue
        seen.add(_seen_as(chat))
        found.setdefault(chat.where, chat)
        for move in _moves(chat):
            after = copy.deepcopy(chat)
            try:
                after.send(move)
            except Exception as error:  # the walk goes on; the test below lists them
                FAILURES.append(f"{chat.where} {move}: {type(error).__name__}: {error}")
                continue
            if after.state is not None and _seen_as(after) not in seen:
                queue.append(after)
    return found


def at(flow: str, step: str) -> Chat:
    chats = reached()
    assert (flow, step) in chats, f"{flow}.{step} was never reached by pressing buttons and answering"
    return copy.deepcopy(chats[(flow, step)])


def given_answers(chat: Chat) -> dict[str, object]:
    """The answers a person gave, without the engine's own bookkeeping."""
    assert chat.state is not None
    return {key: value for key, value in chat.state.answers.items() if not key.startswith("_")}


def answer_again(chat: Chat) -> None:
    """Answer the question we are at as a person would: its first button, or a typical answer."""
    assert chat.state is not None
    step = BY_NAME[chat.state.flow].by_id[chat.state.state]
    if step.kind is AnswerKind.DATE:
        chat.send("today")
    elif step.kind is AnswerKind.TEXT:
        chat.send("amina@example.com" if step.id in ("contact_detail", "org_email") else "10")
    elif chat.buttons:
        chat.send(Incoming(button=chat.buttons[0].data))


IDS = [f"{flow}.{step}" for flow, step in STEPS]


def test_every_button_and_typical_answer_on_the_way_is_answered_without_an_error() -> None:
    reached()
    assert not FAILURES, "\n".join(FAILURES[:20])


@pytest.mark.parametrize(("flow", "step"), STEPS, ids=IDS)
def test_back_at_every_step_keeps_the_answers_and_the_question_it_lands_on_still_works(
    flow: str, step: str
) -> None:
    chat = at(flow, step)
    before = given_answers(chat)
    replies = chat.send("/back")
    assert replies, f"/back at {flow}.{step} gave no reply"
    assert chat.state is not None and chat.state.state in BY_NAME[chat.state.flow].by_id
    after = given_answers(chat)
    assert {k: v for k, v in before.items() if k in after} == {k: after[k] for k in before if k in after}
    lost = set(before) - set(after)
    assert not lost, f"/back at {flow}.{step} lost {lost}"
    if chat.where == ("home", "menu"):
        return  # where everything starts: nothing before it
    answer_again(chat)  # the question /back went to must still take an answer
    assert chat.state is not None and chat.state.state in BY_NAME[chat.state.flow].by_id
    answer_again(chat)


@pytest.mark.parametrize(("flow", "step"), STEPS, ids=IDS)
def test_back_again_and_again_stops_at_the_menu(flow: str, step: str) -> None:
    """/back until there is no earlier question: never an error, and once at the menu, never further
    (into onboarding, or a flow already finished)."""
    chat = at(flow, step)
    went = [chat.where]
    for _ in range(40):
        chat.send("/back")
        went.append(chat.where)
        if "There is no earlier question to go back to." in chat.text:
            break
    else:
        raise AssertionError(f"/back from {flow}.{step} never ends: {went}")
    if ("home", "menu") in went:
        assert went[went.index(("home", "menu")) :] == [("home", "menu")] * (
            len(went) - went.index(("home", "menu"))
        )


@pytest.mark.parametrize(("flow", "step"), STEPS, ids=IDS)
def test_cancel_at_every_step_leaves_no_half_state_and_keeps_a_draft(flow: str, step: str) -> None:
    chat = at(flow, step)
    before = given_answers(chat)
    onboarded = bool(chat.state and chat.state.answers.get("_onboarded"))
    replies = chat.send("/cancel")
    assert replies, f"/cancel at {flow}.{step} gave no reply"
    assert chat.where == (("home", "menu") if onboarded else (flow, step))  # the privacy notice first
    assert chat.state is not None
    left = [key for key in HALF_DONE if key in chat.state.answers]
    assert not left or not onboarded, f"/cancel at {flow}.{step} left {left}"
    lost = {key for key in before if key not in chat.state.answers} - scratch_keys()
    assert not lost, f"/cancel at {flow}.{step} lost {lost}"
    if flow in DRAFT_FLOWS and BY_NAME[flow].by_id[step].kind is not AnswerKind.NONE:
        assert chat.state.answers[DRAFT][:2] == [flow, step]
    chat.send("/back")  # nothing before the menu
    assert chat.where == ("home", "menu") or chat.where[0] == "onboarding"
    chat.send("/new")  # and a complaint can be started or carried on from there
    assert chat.state is not None and chat.state.state in BY_NAME[chat.state.flow].by_id
