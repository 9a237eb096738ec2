"""The command table: every command runs its own handler, and /help lists every command it should."""

from __future__ import annotations

import pytest
from memory import Chat
from test_journey import onboarded

from flows.conversations.commands import BY_NAME, COMMANDS, Section, help_text
from flows.conversations.registry import BY_NAME as FLOWS_BY_NAME

# Where each command leaves a resident who is on the menu with no complaint yet.
LANDS_ON = {
    "new": ("new_complaint", "nation"),
    "status": ("home", "menu"),  # "You have no complaints with me yet."
    "explain": ("explainer", "topics"),
    "back": ("home", "menu"),  # "There is no earlier question to go back to.": never into onboarding
    "cancel": ("home", "menu"),
    "share": ("home", "menu"),
    "helpers": ("home", "menu"),
    "code": ("code", "enter"),
    "cases": ("home", "menu"),
    "landlord": ("landlord", "org_name"),
    "inbox": ("home", "menu"),  # not a landlord's team
    "invite": ("home", "menu"),
    "compliance": ("home", "menu"),
    "portal": ("home", "menu"),
    "language": ("onboarding", "language"),
    "export": ("home", "menu"),
    "delete": ("delete", "confirm"),
    "help": ("home", "menu"),
    "person": ("person", "services"),
    "start": ("home", "menu"),
    "menu": ("home", "menu"),
    "continue": ("home", "menu"),
}


def test_every_command_has_a_declared_outcome() -> None:
    assert set(LANDS_ON) == set(BY_NAME)


@pytest.mark.parametrize("name", [command.name for command in COMMANDS])
def test_each_command_runs_its_own_handler(name: str) -> None:
    chat = onboarded()
    replies = chat.send(f"/{name}")
    assert replies
    assert "I don't know that command" not in chat.text
    assert chat.where == LANDS_ON[name]
    flow, step = chat.where
    assert step in FLOWS_BY_NAME[flow].by_id


def test_an_unknown_command_says_so_and_stays() -> None:
    chat = onboarded()
    chat.send("/nonsense")
    assert "I don't know that command" in chat.text
    assert chat.where == ("home", "menu")


def test_help_lists_every_listed_command() -> None:
    chat = Chat()
    text = help_text(chat._turn())
    for command in COMMANDS:
        if command.section is not Section.UNLISTED:
            assert f"/{command.name}" in text, command.name
    assert text.index("/delete") < text.index("Helpers and landlords:") < text.index("/share")
