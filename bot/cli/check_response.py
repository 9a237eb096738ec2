"""`fairsay check-response FILE [--stage 1|2] [--lang CODE]`: read a landlord's response and say, as
JSON, whether it confirms what the Complaint Handling Code requires (flows/response_check.py).
An unreadable file exits with status 2 and one line on stderr."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.cli.command_line import add_command, language
from bot.clock import today_in_london
from bot.services.response_reading import MAX_BYTES, UnreadableResponse, read_response
from flows.i18n import translator
from flows.response_check import check_out, check_response


def check_response_json(data: bytes, stage: int | None, language: str) -> str:
    read = read_response(data)
    check = check_response(read.text, today=today_in_london(), stage=stage)
    return check_out(check, read.source.value, translator(language)).model_dump_json(indent=2)


def cmd_check_response(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.file)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnreadableResponse(
                "too_large", f"the file is {path.stat().st_size} bytes; the limit is {MAX_BYTES}"
            )
        print(check_response_json(path.read_bytes(), args.stage, args.lang), file=out)
    except OSError as error:
        print(f"fairsay check-response: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    except UnreadableResponse as error:
        print(f"fairsay check-response: {args.file}: {error}", file=sys.stderr)
        return 2
    return 0


def add_response_commands(commands: Any) -> None:
    """Add `check-response` to the `fairsay` command's subparsers."""
    check = add_command(
        commands,
        "check-response",
        "read a landlord's response (text, PDF, Word, photo) and check it against the Code",
        cmd_check_response,
    )
    check.add_argument("file", metavar="FILE", help="the letter: .txt, .pdf, .docx, .png or .jpg")
    check.add_argument(
        "--stage", type=int, choices=(1, 2), help="the stage it answers; default: read from the letter"
    )
    check.add_argument(
        "--lang", type=language, default="en", help="language of the messages, e.g. en, cy, pl"
    )
