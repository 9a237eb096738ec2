"""Every JSON Schema the project publishes in docs/schema/ (`fairsay schema --write docs/schema`):
the timeline's input and output (flows.contract), the submission document sent to landlords, and
the landlord API's action request, and `fairsay check-response`'s output (flows.response_check)."""

from __future__ import annotations

from typing import Any

from flows.contract import json_schemas
from flows.response_check import json_schemas as response_check_schemas


def published_schemas() -> dict[str, dict[str, Any]]:
    from bot.delivery.document import schemas as submission_schemas
    from bot.web.landlord_api import schemas as api_schemas

    return {**json_schemas(), **submission_schemas(), **api_schemas(), **response_check_schemas()}
