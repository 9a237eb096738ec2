"""Each conversation's diagram in docs/flows/ is the one its machine draws today."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.conversations.diagrams import flow_diagram
from flows.conversations.engine import Flow
from flows.conversations.registry import FLOWS

DOCS = Path(__file__).resolve().parents[3] / "docs" / "flows"


@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
def test_committed_diagram_is_current(flow: Flow) -> None:
    committed = DOCS / f"{flow.name}.mmd"
    assert committed.read_text(encoding="utf-8") == flow_diagram(flow) + "\n", (
        f"refresh with: fairsay diagram --flows docs/flows ({flow.name})"
    )


def test_no_diagram_of_a_flow_that_is_gone() -> None:
    assert {path.stem for path in DOCS.glob("*.mmd")} == {flow.name for flow in FLOWS}
