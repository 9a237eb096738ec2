"""`fairsay`: the command line.

fairsay run                      start the assistant
fairsay timeline CASE.json       a complaint's deadlines, time limits, warnings and next steps (JSON)
fairsay explain [TOPIC]          the Housing Ombudsman Scheme in plain language
fairsay diagram                  the complaint lifecycle as a Mermaid state diagram
fairsay schema                   the JSON Schemas of the timeline's input and output
fairsay db upgrade|current       the database's migrations (bot/storage/cli.py)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TextIO

from bot.storage.cli import add_db_commands
from flows import scheme
from flows.contract import CaseInputError, json_schemas, parse_case, timeline_out, today_in_london
from flows.i18n import compile_catalogues, translator
from flows.lifecycle import mermaid_diagram
from flows.timeline import build_timeline

EXAMPLE_CASE = "westlea-201911525.json"


class UsageError(Exception):
    """Bad command-line input: printed as one line on stderr, exit status 2."""


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _read_case_text(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def timeline_json(raw: bytes | str, as_of: date | None, language: str) -> str:
    case_in = parse_case(raw)
    when = as_of or case_in.as_of or today_in_london()
    timeline = build_timeline(case_in.to_case(), when)
    return timeline_out(timeline, translator(language)).model_dump_json(indent=2)


def example_case_text() -> bytes:
    return (resources.files("flows") / "examples" / EXAMPLE_CASE).read_bytes()


def cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    raw = _read_case_text(args.case)
    print(timeline_json(raw, args.as_of, args.lang), file=out)
    return 0


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    # Until the chat lands, `run` shows what the assistant computes for a real case (the Westlea report).
    print(timeline_json(example_case_text(), None, args.lang), file=out)
    return 0


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    t = translator(args.lang)
    if not args.topic:
        print(scheme.render_menu(t), file=out)
        return 0
    topic = scheme.find_topic(args.topic)
    if topic is None:
        raise UsageError(f"no topic {args.topic!r}; topics: {', '.join(scheme.topic_ids())}")
    print(scheme.render_topic(topic, t, more=args.more), file=out)
    return 0


def cmd_diagram(args: argparse.Namespace, out: TextIO) -> int:
    print(mermaid_diagram(), file=out)
    return 0


def cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    schemas = json_schemas()
    if args.write:
        folder = Path(args.write)
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            (folder / name).write_text(
                json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        return 0
    print(json.dumps(schemas, indent=2, ensure_ascii=False), file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fairsay",
        description="Fair Say: get a social-housing complaint heard, on time, up to the Housing Ombudsman.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start the assistant")
    run.add_argument("--lang", default="en", help="language code, e.g. en, cy, pl")
    run.set_defaults(handler=cmd_run)

    timeline = commands.add_parser("timeline", help="deadlines, time limits, warnings and next steps as JSON")
    timeline.add_argument("case", metavar="CASE.json", help="the case file, or - to read standard input")
    timeline.add_argument(
        "--as-of", type=_as_of, help="count to this date (YYYY-MM-DD); default: today in London"
    )
    timeline.add_argument("--lang", default="en", help="language of the messages, e.g. en, cy, pl")
    timeline.set_defaults(handler=cmd_timeline)

    explain = commands.add_parser("explain", help="the Housing Ombudsman Scheme in plain language")
    explain.add_argument("topic", nargs="?", help="a topic id; leave out for the list")
    explain.add_argument("--more", action="store_true", help="include the longer explanation")
    explain.add_argument("--lang", default="en", help="language code")
    explain.set_defaults(handler=cmd_explain)

    diagram = commands.add_parser("diagram", help="the complaint lifecycle as a Mermaid state diagram")
    diagram.set_defaults(handler=cmd_diagram)

    schema = commands.add_parser("schema", help="JSON Schemas of the timeline input and output")
    schema.add_argument("--write", metavar="DIR", help="write one file per schema into DIR")
    schema.set_defaults(handler=cmd_schema)

    add_db_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    compile_catalogues()
    try:
        code: int = args.handler(args, out or sys.stdout)
    except (CaseInputError, UsageError) as error:
        print(f"fairsay {args.command}: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
