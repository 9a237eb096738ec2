"""Each conversation's Mermaid state diagram, drawn by `transitions` from the flow's own machine
(as `flows.lifecycle.mermaid_diagram` draws the complaint lifecycle); committed in docs/flows/."""

from __future__ import annotations

from pathlib import Path

from flows.conversations.engine import Flow
from flows.conversations.registry import FLOWS


class _Drawn:
    """A bare model for the drawing machine: conditions are shown by name, never called."""


def flow_diagram(flow: Flow) -> str:
    from transitions.extensions import GraphMachine

    machine = GraphMachine(
        model=_Drawn(),
        states=flow.machine_states(),
        transitions=flow.transitions,
        initial=flow.first,
        auto_transitions=False,
        graph_engine="mermaid",
        title=f"Conversation: {flow.name}",
        show_conditions=True,
    )
    source: str = machine.get_graph().draw(None)
    return source


def write_diagrams(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for flow in FLOWS:
        path = folder / f"{flow.name}.mmd"
        path.write_text(flow_diagram(flow) + "\n", encoding="utf-8")
        written.append(path)
    return written
