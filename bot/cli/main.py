"""`fairsay`: the command line.

fairsay run                      start the assistant
fairsay timeline CASE.json       a complaint's deadlines, time limits, warnings and next steps (JSON)
fairsay check-response FILE      a landlord's response checked against the Code (bot/cli/check_response.py)
fairsay explain [TOPIC]          the Housing Ombudsman Scheme in plain language
fairsay diagram                  the complaint lifecycle as a Mermaid state diagram
fairsay diagram --flow NAME      a conversation's diagram; --flows DIR writes every one (docs/flows)
fairsay schema                   the published JSON Schemas (timeline, submission document, API)
fairsay db ACTION                upgrade, current, purge, repair, backup (bot/storage/cli.py)
fairsay health                   the image's health check: the database answers and is up to date
fairsay admin compliance ID      a landlord's complaint figures (CH01, CH02) and deadlines nearing
fairsay admin landlords ...      approve landlords, their delivery routes and API keys (bot/cli/landlord_admin.py)
fairsay reminders replan         plan every open case's reminders again
fairsay --version

A new subcommand is one `add_command(...)` (bot/cli/command_line.py) in `build_parser`, with its one line
of help, its handler, and `database=True` if it opens the database. Bad input is one line on stderr
and exit status 2 (`fairsay health`: 1 for every failure, as Docker asks of a health check); a closed
pipe ends quietly.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pydantic import ValidationError

from bot.catalogues import compile_catalogues
from bot.cli.check_response import add_response_commands
from bot.cli.command_line import add_actions, add_command, language, setting_problem
from bot.cli.landlord_admin import AdminInputError, add_landlord_commands
from bot.cli.schemas import published_schemas
from bot.clock import today_in_london
from bot.english import count
from bot.settings import data_dir, get_settings
from bot.storage.cli import add_db_commands
from bot.storage.errors import StorageError
from flows import scheme
from flows.access_times import LINK_LIFETIME, whole_minutes
from flows.compliance import DEFAULT_WINDOW_WORKING_DAYS, financial_year_start
from flows.contract import CaseInputError, parse_case, proofs_out, timeline_out
from flows.i18n import translator
from flows.lifecycle import mermaid_diagram
from flows.timeline import build_timeline

if TYPE_CHECKING:
    from bot.storage.records import User
    from bot.storage.repository import Repository
    from bot.storage.unit_of_work import UnitOfWork


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
    t = translator(language)
    out = timeline_out(timeline, t)
    out.proof_of_sending = proofs_out(case_in, t)
    return out.model_dump_json(indent=2)


def cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    raw = _read_case_text(args.case)
    print(timeline_json(raw, args.as_of, args.lang), file=out)
    return 0


def _open_repository() -> Repository:
    """The database, for a command that reads or changes cases: their deadlines count the settings'
    EXTRA_BANK_HOLIDAYS, as the chat's do (Repository.open configures them for every process)."""
    from bot.storage.repository import Repository

    return Repository.open(get_settings())


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    """The bot when TELEGRAM_BOT_TOKEN is set, else the terminal chat on the same flows."""
    if get_settings().telegram_bot_token is not None:
        return cmd_bot(args, out)
    return cmd_chat(args, out)


def cmd_bot(args: argparse.Namespace, out: TextIO) -> int:
    settings = get_settings()
    if settings.telegram_bot_token is None:
        raise UsageError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather, or use `fairsay chat`")
    from bot.logs import configure_logging
    from bot.telegram.app import run_bot
    from bot.telegram.start_up import TokenRefused

    configure_logging(settings.log_format)
    try:
        run_bot(settings, _open_repository())
    except TokenRefused:  # said in the log, in its format (JSON by default), without the token
        return EXIT_BAD_INPUT
    except Exception as error:  # e.g. Telegram unreachable at start: in the log's format, tokens blanked
        logging.getLogger("bot").critical("the bot stopped: %s", type(error).__name__, exc_info=True)
        return 1
    return 0


def cmd_inbound_mail(args: argparse.Namespace, out: TextIO) -> int:
    """The inbound mail server alone, in the foreground (the bot started elsewhere sends its news)."""
    settings = get_settings()
    if settings.inbound_smtp_port is None or settings.mail_reply_domain is None:
        raise UsageError(
            "INBOUND_SMTP_PORT and MAIL_REPLY_DOMAIN must be set: the server receives mail for "
            "case-<token>@MAIL_REPLY_DOMAIN on that port"
        )
    import asyncio

    from bot.logs import configure_logging
    from bot.mail.server import serve_forever

    configure_logging(settings.log_format)
    asyncio.run(serve_forever(_open_repository(), settings))
    return 0


def cmd_health(args: argparse.Namespace, out: TextIO) -> int:
    """For container health checks: 0 when the database answers, its migrations are current and no row
    points at one that is gone (on SQLite, an erasure without its cascades)."""
    from bot.storage import db

    engine = db.make_engine(get_settings().database_url)
    try:
        with db.storage_errors(engine.url):
            problem = db.readiness_problem(engine)
    finally:
        engine.dispose()
    if problem:
        remedy = "upgrade" if problem == db.MIGRATIONS_NOT_CURRENT else "repair"
        print(f"database: {problem}: run `fairsay db {remedy}`", file=out)
        return 1
    print("ok", file=out)
    return 0


def _person(uow: UnitOfWork, args: argparse.Namespace) -> User:
    """The person named by --telegram-id or --email (made on first mention, like the bot does)."""
    if args.telegram_id is not None:
        return uow.user_by_telegram_id(args.telegram_id)
    return uow.user_by_email(args.email)


def _known_person(uow: UnitOfWork, args: argparse.Namespace) -> User:
    """The person named by --telegram-id or --email, who must be known already: a mistyped id or
    address is refused, not made into a new user."""
    if args.telegram_id is not None:
        user = uow.user_with_telegram_id(args.telegram_id)
    else:
        user = uow.user_with_email(args.email)
    if user is None:
        given = f"Telegram id {args.telegram_id}" if args.telegram_id is not None else args.email
        raise UsageError(f"no one with {given} is known: check it, or `fairsay admin create-operator`")
    return user


def _telegram_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a Telegram user id (a positive number), got {text!r}")
    return value


def _email(text: str) -> str:
    local, at, domain = text.strip().rpartition("@")
    if not at or not local or "." not in domain or any(ch.isspace() for ch in text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not an email address")
    return text.strip()


def _person_arguments(parser: argparse.ArgumentParser) -> None:
    """--telegram-id N or --email ADDRESS: exactly one."""
    person = parser.add_mutually_exclusive_group(required=True)
    person.add_argument("--telegram-id", type=_telegram_id, metavar="N", help="the person's Telegram user id")
    person.add_argument(
        "--email", type=_email, metavar="ADDRESS", help="or their email address (for the web portal)"
    )


def cmd_admin_create_operator(args: argparse.Namespace, out: TextIO) -> int:
    from bot.storage.records import Role

    repository = _open_repository()
    try:
        with repository.unit_of_work() as uow:
            user = _person(uow, args)
            uow.add_role(user.id, Role.OPERATOR)
            uow.audit("operator_created", actor_user_id=None, user_id=user.id)
    finally:
        repository.close()
    print(f"user {user.id} is an operator", file=out)
    return 0


def cmd_admin_portal_link(args: argparse.Namespace, out: TextIO) -> int:
    """A one-time sign-in link printed for the operator to hand over (the first operator's way in)."""
    from bot.clock import SystemClock
    from bot.services.people import portal_link

    settings = get_settings()
    repository = _open_repository()
    try:
        with repository.unit_of_work() as uow:
            user = _known_person(uow, args)
            status, link = portal_link(uow, user, settings.portal_base_url, SystemClock().now())
    finally:
        repository.close()
    if link is None:
        reasons = {
            "off": "set PUBLIC_URL (or TELEGRAM_WEBHOOK_URL) first: the portal needs its public address",
            "not_for_you": "that person is not landlord staff, an advocate or an operator",
        }
        raise UsageError(reasons[status])
    print(link, file=out)
    return 0


def cmd_admin_compliance(args: argparse.Namespace, out: TextIO) -> int:
    from bot.services.compliance_report import compliance_csv, compliance_table, landlord_compliance

    as_of: date = args.as_of or today_in_london()
    end: date = args.to or as_of
    start: date = args.from_ or financial_year_start(end)  # the financial year so far, by default
    if start > end:
        raise UsageError(f"--from {start} is after --to {end} (--to is today unless given)")
    if args.window < 0:
        raise UsageError("--window must be 0 or more working days")
    repository = _open_repository()
    try:
        with repository.unit_of_work() as uow:
            landlord = uow.access.landlord(args.landlord_id)
            if landlord is None:
                raise UsageError(f"no landlord with id {args.landlord_id}")
            compliance = landlord_compliance(uow, landlord.id, start, end, as_of, args.window)
    finally:
        repository.close()
    if args.csv:
        try:
            Path(args.csv).write_bytes(compliance_csv(compliance))
        except OSError as error:
            raise UsageError(f"cannot write {args.csv}: {error.strerror}") from None
    print(compliance_table(landlord.name, landlord.id, compliance), file=out)
    if args.csv:
        print(f"\nCSV written to {args.csv}", file=out)
    return 0


def cmd_reminders_replan(args: argparse.Namespace, out: TextIO) -> int:
    from bot.services.chat_service import ChatService

    repository = _open_repository()
    try:
        planned = ChatService(repository, get_settings()).replan_all_reminders()
    finally:
        repository.close()
    print(f"reminders planned again for {count(planned, 'open case')}", file=out)
    return 0


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    from bot.services.chat_service import ChatService
    from bot.terminal import TerminalChat

    settings = get_settings()
    service = ChatService(_open_repository(), settings)
    TerminalChat(service, out, data_dir() / "files").run(sys.stdin)
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
    from flows.conversations.diagrams import flow_diagram, write_diagrams
    from flows.conversations.registry import BY_NAME

    if args.flows:
        try:
            written = write_diagrams(Path(args.flows))
        except OSError as error:
            raise UsageError(f"cannot write into {args.flows}: {error.strerror}") from None
        for path in written:
            print(path, file=out)
        return 0
    if args.flow is None:
        print(mermaid_diagram(), file=out)
        return 0
    if args.flow not in BY_NAME:
        raise UsageError(f"no conversation {args.flow!r}; conversations: {', '.join(BY_NAME)}")
    print(flow_diagram(BY_NAME[args.flow]), file=out)
    return 0


def cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    schemas = published_schemas()
    if args.write:
        folder = Path(args.write)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, schema in schemas.items():
                (folder / name).write_text(
                    json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                )
        except OSError as error:
            raise UsageError(f"cannot write into {args.write}: {error.strerror}") from None
        return 0
    print(json.dumps(schemas, indent=2, ensure_ascii=False), file=out)
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"fairsay {version('fairsay')}"
    except PackageNotFoundError:  # a source tree not installed
        return "fairsay (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fairsay",
        description="Fair Say: get a social-housing complaint heard, on time, up to the Housing Ombudsman.",
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add_command(
        commands,
        "run",
        "start the assistant: the Telegram bot if TELEGRAM_BOT_TOKEN is set, else the terminal chat",
        cmd_run,
        database=True,
    )
    add_command(
        commands,
        "bot",
        "start the Telegram bot (needs TELEGRAM_BOT_TOKEN; with TELEGRAM_WEBHOOK_URL or PUBLIC_URL also "
        "the web service on HOST:PORT)",
        cmd_bot,
        database=True,
    )
    add_command(
        commands,
        "chat",
        "chat in this terminal (same flows and database as the bot)",
        cmd_chat,
        database=True,
    )

    timeline = add_command(
        commands,
        "timeline",
        "a complaint's deadlines, time limits, warnings and next steps as JSON",
        cmd_timeline,
    )
    timeline.add_argument("case", metavar="CASE.json", help="the case file, or - to read standard input")
    timeline.add_argument(
        "--as-of", type=_as_of, help="count to this date (YYYY-MM-DD); default: today in London"
    )
    timeline.add_argument(
        "--lang", type=language, default="en", help="language of the messages, e.g. en, cy, pl"
    )

    explain = add_command(commands, "explain", "the Housing Ombudsman Scheme in plain language", cmd_explain)
    explain.add_argument("topic", nargs="?", help="a topic id; leave out for the list")
    explain.add_argument("--more", action="store_true", help="include the longer explanation")
    explain.add_argument("--lang", type=language, default="en", help="language code, e.g. en, cy, pl")

    diagram = add_command(
        commands,
        "diagram",
        "the complaint lifecycle, or a conversation, as a Mermaid state diagram",
        cmd_diagram,
    )
    diagram.add_argument(
        "--flow", metavar="NAME", help="a conversation's diagram instead, e.g. new_complaint"
    )
    diagram.add_argument("--flows", metavar="DIR", help="write every conversation's diagram into DIR")

    schema = add_command(
        commands,
        "schema",
        "JSON Schemas: the timeline's input and output, the submission document, the API",
        cmd_schema,
    )
    schema.add_argument("--write", metavar="DIR", help="write one file per schema into DIR")

    add_db_commands(commands)
    add_response_commands(commands)

    add_command(
        commands,
        "health",
        "exit 0 when the database answers, is up to date and has no broken references (the image's "
        "health check)",
        cmd_health,
        database=True,
    ).set_defaults(error_status=EXIT_UNHEALTHY)

    admin = add_command(
        commands,
        "admin",
        "operators' commands: operators, portal links, compliance, landlords",
        database=True,
    )
    admin_actions = add_actions(admin, "admin_action")
    create_operator = add_command(
        admin_actions, "create-operator", "give a user the operator role", cmd_admin_create_operator
    )
    _person_arguments(create_operator)
    sign_in_link = add_command(
        admin_actions,
        "portal-link",
        f"print a one-time sign-in link to the web portal for a person ({whole_minutes(LINK_LIFETIME)} minutes)",
        cmd_admin_portal_link,
    )
    _person_arguments(sign_in_link)
    compliance = add_command(
        admin_actions,
        "compliance",
        "a landlord's complaint figures (CH01, CH02) and the deadlines nearing",
        cmd_admin_compliance,
    )
    compliance.add_argument("landlord_id", metavar="LANDLORD_ID", type=int, help="the landlord's id")
    compliance.add_argument(
        "--from",
        dest="from_",
        type=_as_of,
        metavar="YYYY-MM-DD",
        help="first day of the period; default: 1 April of the financial year --to falls in",
    )
    compliance.add_argument(
        "--to", type=_as_of, metavar="YYYY-MM-DD", help="last day of the period; default: --as-of (today)"
    )
    compliance.add_argument(
        "--as-of", type=_as_of, metavar="YYYY-MM-DD", help="count open deadlines to this date; default: today"
    )
    compliance.add_argument(
        "--window",
        type=int,
        default=DEFAULT_WINDOW_WORKING_DAYS,
        metavar="N",
        help=f"list open deadlines due within N working days (default {DEFAULT_WINDOW_WORKING_DAYS})",
    )
    compliance.add_argument(
        "--csv", metavar="FILE", help="also write the figures and every complaint stage as CSV"
    )
    add_landlord_commands(admin_actions)

    add_command(
        commands,
        "inbound-mail",
        "receive replies to cases' reply addresses (an SMTP server on INBOUND_SMTP_HOST:INBOUND_SMTP_PORT "
        "for MAIL_REPLY_DOMAIN; `fairsay run` starts it beside the bot when INBOUND_SMTP_PORT is set)",
        cmd_inbound_mail,
        database=True,
    )
    reminders = add_command(
        commands,
        "reminders",
        "the reminders of deadlines: plan them again for every open case",
        database=True,
    )
    reminder_actions = add_actions(reminders, "reminders_action")
    add_command(
        reminder_actions,
        "replan",
        "plan every open case's reminders again (after EXTRA_BANK_HOLIDAYS changed)",
        cmd_reminders_replan,
    )
    return parser


EXIT_CLOSED_PIPE = 128 + 13  # as a program ended by SIGPIPE: `fairsay schema | head` stops quietly
EXIT_INTERRUPTED = 128 + 2  # as a program ended by SIGINT
EXIT_BAD_INPUT = 2
# A health check's failures, whatever their cause (a bad setting, a database away), are "unhealthy":
# Docker reserves exit status 2 of a HEALTHCHECK ("do not use").
EXIT_UNHEALTHY = 1


def _check_database_folder() -> None:
    """A SQLite file in a folder that does not exist is a mistyped path, refused before anything
    creates a new empty database there; the default data folder is made on first run."""
    from bot.storage.db import require_database_folder

    require_database_folder(get_settings().database_url)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = out or sys.stdout
    name = getattr(args, "command_line", f"fairsay {args.command}")
    failed: int = getattr(args, "error_status", EXIT_BAD_INPUT)
    try:
        compile_catalogues()
        if getattr(args, "database", False):
            _check_database_folder()
        code: int = args.handler(args, out)
        out.flush()
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
        _silence_stdout()
        return EXIT_CLOSED_PIPE
    except KeyboardInterrupt:  # Ctrl-C (`fairsay chat` waiting for a line): stop quietly, as SIGINT would
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except (CaseInputError, UsageError, AdminInputError, StorageError) as error:
        print(f"{name}: {error}", file=sys.stderr)
        return failed
    except ValidationError as error:  # a setting from the environment that cannot be used
        print(f"{name}: {setting_problem(error)}", file=sys.stderr)
        return failed
    return code


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush of what is still buffered
    does not fail again (and print a traceback) on the way out."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind stdout (a test's StringIO)
        pass


if __name__ == "__main__":
    sys.exit(main())
