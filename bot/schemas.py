"""Every JSON Schema the project publishes in docs/schema/ (`fairsay schema --write docs/schema`):
the timeline's input and output (flows.contract), and the submission document sent to landlords."""

from __future__ import annotations

from typing import Any

from flows.contract import json_schemas


def published_schemas() -> dict[str, dict[str, Any]]:
    from bot.delivery.document import schemas as submission_schemas

    return {**json_schemas(), **submission_schemas()}
