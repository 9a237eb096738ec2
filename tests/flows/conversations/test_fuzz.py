"""Hypothesis throws arbitrary text at every free-text and date question of every flow: never a crash,
always a reply, and the conversation stays at a real step with the earlier answers intact."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from memory import Chat, MemoryWorkspace

from flows.conversations.engine import AnswerKind, ConversationState
from flows.conversations.registry import BY_NAME, FLOWS
from flows.conversations.router import respond
from flows.conversations.types import Incoming

TYPED_STEPS = [
    (flow.name, step.id)
    for flow in FLOWS
    for step in flow.steps
    if step.kind in (AnswerKind.TEXT, AnswerKind.DATE)
]

texts = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(categories=("Nd", "Po", "Zs")), max_size=20),  # digits and punctuation
    st.sampled_from(
        [
            "31/02/2026",
            "00/00/0000",
            "29/02/2025",
            "1/1/1",
            "next Tuesday",
            "🙂" * 50,
            "/",
            "//x",
            "\u202e\u2066",
            "9" * 40,
            "x" * 5000,
            "",
            " ",
            "\n\n",
            "today",
            "yesterday",
        ]
    ),
)


def prepared_chat() -> tuple[Chat, str]:
    workspace = MemoryWorkspace(today=date(2026, 3, 2))
    ref = workspace.open_case(
        nation="england",
        landlord_type="council",
        landlord_name="Leeds City Council",
        subject="repairs",
        details={"hazard": {"reported_on": "2026-02-02", "level": "significant"}},
    )
    return Chat(workspace), ref


@pytest.mark.parametrize(("flow_name", "step_id"), TYPED_STEPS)
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_any_text_at_any_typed_question_gets_a_reply(flow_name: str, step_id: str, text: str) -> None:
    chat, ref = prepared_chat()
    answers = {
        "_onboarded": True,
        "case": ref,
        "landlord_name": "Leeds City Council",
        "contact": "email",
        "pending_kind": "acknowledged",
        "nation": "england",
        "subject": "repairs",
    }
    chat.state = ConversationState(flow_name, step_id, dict(answers))
    turn = chat._turn()
    chat.state = respond(chat.state, Incoming(text=text), turn)
    assert turn.replies, f"no reply at {flow_name}.{step_id} for {text!r}"
    assert chat.state.state in BY_NAME[chat.state.flow].by_id
    assert chat.workspace.case(chat.state.answers.get("case", "")) is not None  # may be a newly opened one
