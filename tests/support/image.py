"""The Dockerfile and compose.yaml read as Docker and Compose read them, so their commands can be run
outside Docker (there is no engine here) with the environment a container would have."""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def build_stage(text: str) -> str:
    return text.split("\nFROM ")[-2]


def final_stage(text: str) -> str:
    return text.split("\nFROM ")[-1]


def instruction_command(stage: str, instruction: str) -> list[str]:
    match = re.search(rf"^{instruction}\b.*?(\[.*\])\s*$", stage, re.M)
    assert match, f"no {instruction} in exec form"
    command: list[str] = json.loads(match.group(1))
    return command


def run_commands(stage: str) -> list[str]:
    """Each RUN instruction of the stage, its continued lines joined."""
    joined = stage.replace("\\\n", " ")
    return [line[4:] for line in joined.splitlines() if line.startswith("RUN ")]


def image_environment(stage: str) -> dict[str, str]:
    block = re.search(r"^ENV (.*?)(?=^\S)", stage, re.M | re.S)
    assert block
    pairs = shlex.split(block.group(1).replace("\\\n", " "))
    return dict(pair.split("=", 1) for pair in pairs)


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


_VARIABLE = re.compile(r"\$(?:\$|\{(?P<name>\w+)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}|(?P<bare>\w+))")


class MissingVariable(Exception):
    """A `${NAME:?message}` whose NAME is unset (or empty): Compose stops with the message."""


def interpolate(value: str, shell: dict[str, str]) -> str:
    """Compose's interpolation of `value` with the variables of the shell it is run from."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("name") or match.group("bare")
        op, arg = match.group("op"), match.group("arg") or ""
        given = shell.get(name)
        set_and_filled = given is not None and (given != "" or not (op or "").startswith(":"))
        if op in (":-", "-"):
            return given if set_and_filled and given is not None else arg
        if op in (":?", "?"):
            if not set_and_filled or given is None:
                raise MissingVariable(f"{name}: {arg}")
            return given
        if op in (":+", "+"):
            return arg if set_and_filled else ""
        return given or ""

    return _VARIABLE.sub(one, value)


def service_environment(service: dict[str, Any], shell: dict[str, str]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):  # the `- NAME=value` form
        environment = dict(item.split("=", 1) for item in environment)
    return {name: interpolate(str(value), shell) for name, value in environment.items()}


def volume_targets(service: dict[str, Any]) -> list[PurePosixPath]:
    return [PurePosixPath(str(volume).split(":")[1]) for volume in service.get("volumes", [])]


def container_environment(service_env: dict[str, str], root: Path) -> dict[str, str]:
    """The image's ENV with the service's environment over it (as Docker does), its absolute paths
    moved under `root`, and this machine's PATH so `fairsay` is this checkout's."""
    image = {k: v for k, v in image_environment(final_stage(dockerfile())).items() if k != "PATH"}
    merged = {**image, **service_env}
    for name, value in merged.items():
        for folder in ("/data", "/evidence"):
            if value == folder or value.startswith((f"{folder}/", f"sqlite:///{folder}/")):
                merged[name] = value.replace(folder, str(root / folder.strip("/")), 1)
    return {**merged, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
