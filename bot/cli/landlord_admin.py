"""`fairsay admin landlords ...`: the operator's commands for landlords.

    list                       id, name, approved, delivery routes
    approve ID                 after checking the landlord is who it says it is
    routes ID [--email ADDR] [--webhook-url URL] [--new-webhook-secret]
                               where complaints go besides Telegram ("" removes a route); a new
                               webhook secret is printed once
    api-key ID                 a new API key for the landlord's systems, printed once (the old one stops)

Secrets are printed once to the operator and never logged; only the API key's hash is kept. An email
route needs a mail server (SMTP_HOST): `routes --email` refuses one without it, and `list` and
`approve` warn of an email route that nothing can send (as /readyz reports it).
"""

from __future__ import annotations

import argparse
import secrets
from typing import TYPE_CHECKING, Any, TextIO

from bot.cli.command_line import add_actions, add_command
from bot.settings import Settings, get_settings

if TYPE_CHECKING:  # the database layer loads only when a command runs, not for every `fairsay`
    from bot.storage.access import Landlord
    from bot.storage.unit_of_work import UnitOfWork


class AdminInputError(Exception):
    """Bad input to an operator's command: one line on stderr, exit status 2."""


NO_SMTP = "not sent: SMTP_HOST is not set"


def email_unsendable(landlord: Landlord, settings: Settings) -> bool:
    """The landlord has an email route, and there is no mail server to send by."""
    return bool(landlord.complaint_email) and not settings.smtp_host


def routes_of(landlord: Landlord) -> str:
    routes = ["telegram"]
    if landlord.complaint_email:
        unsent = f" ({NO_SMTP})" if email_unsendable(landlord, get_settings()) else ""
        routes.append(f"email {landlord.complaint_email}{unsent}")
    if landlord.webhook_url:
        routes.append(f"webhook {landlord.webhook_url}")
    return ", ".join(routes)


def _landlord(uow: UnitOfWork, landlord_id: int) -> Landlord:
    landlord = uow.access.landlord(landlord_id)
    if landlord is None:
        raise AdminInputError(f"no landlord with id {landlord_id} (see `fairsay admin landlords list`)")
    return landlord


def _checked_email(address: str) -> str | None:
    address = address.strip()
    if not address:
        return None
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(ch.isspace() for ch in address):
        raise AdminInputError(f"--email: {address!r} is not an email address")
    return address


def _warn_if_email_unsendable(landlord: Landlord, out: TextIO) -> None:
    if email_unsendable(landlord, get_settings()):
        print(
            f"warning: landlord {landlord.id} has an email route ({landlord.complaint_email}) but SMTP_HOST "
            'is not set: no complaint is emailed until it is (or remove the route with --email "")',
            file=out,
        )


def _checked_url(url: str) -> str | None:
    """The webhook URL, if it points at a public address (bot.delivery.destinations; checked again
    at each send)."""
    from bot.delivery.destinations import refusal

    url = url.strip()
    if not url:
        return None
    problem = refusal(url, get_settings().webhook_allow_loopback)
    if problem is not None:
        raise AdminInputError(f"--webhook-url: {problem}, got {url!r}")
    return url


def _in_transaction(work: Any) -> Any:
    from bot.storage.repository import Repository

    repository = Repository.open(get_settings())
    try:
        with repository.unit_of_work() as uow:
            return work(uow)
    finally:
        repository.close()


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    landlords: list[Landlord] = _in_transaction(lambda uow: uow.access.landlords())
    if not landlords:
        print("no landlords have registered yet", file=out)
        return 0
    for landlord in landlords:
        approved = "approved" if landlord.approved else "waiting for approval"
        print(f"{landlord.id}\t{landlord.name}\t{approved}\troutes: {routes_of(landlord)}", file=out)
    return 0


def cmd_approve(args: argparse.Namespace, out: TextIO) -> int:
    from bot.services.notices import tell_staff_of_approval
    from bot.storage.column_types import utcnow

    def approve(uow: UnitOfWork) -> Landlord:
        landlord = _landlord(uow, args.id)
        uow.access.approve_landlord(landlord.id)
        uow.audit("landlord_approved", landlord_id=landlord.id)
        tell_staff_of_approval(uow, landlord.id, utcnow())
        return landlord

    landlord = _in_transaction(approve)
    print(f"landlord {landlord.id} ({landlord.name}) is approved", file=out)
    _warn_if_email_unsendable(landlord, out)
    return 0


def cmd_routes(args: argparse.Namespace, out: TextIO) -> int:
    values: dict[str, Any] = {}
    if args.email is not None:
        values["complaint_email"] = _checked_email(args.email)
    if args.webhook_url is not None:
        values["webhook_url"] = _checked_url(args.webhook_url)

    def change(uow: UnitOfWork) -> tuple[Landlord, str | None]:
        landlord = _landlord(uow, args.id)
        if values.get("complaint_email") and not get_settings().smtp_host:
            raise AdminInputError(
                "--email: SMTP_HOST is not set, so no complaint could be emailed: set SMTP_HOST (and "
                "MAIL_FROM) first (see the README's Settings section)"
            )
        url = values.get("webhook_url", landlord.webhook_url)
        new_secret = None
        if url is None:
            if args.new_webhook_secret:
                raise AdminInputError("--new-webhook-secret: the landlord has no webhook; give --webhook-url")
            values["webhook_secret"] = None  # no webhook, nothing to sign
        elif args.new_webhook_secret or not landlord.webhook_secret:
            new_secret = values["webhook_secret"] = secrets.token_urlsafe(32)
        email = values.get("complaint_email", landlord.complaint_email)
        values["contact_routes"] = {**landlord.contact_routes, "email": bool(email), "webhook": bool(url)}
        uow.access.update_landlord(landlord.id, **values)
        uow.audit("landlord_routes_changed", landlord_id=landlord.id, email=bool(email), webhook=bool(url))
        changed = uow.access.landlord(landlord.id)
        assert changed is not None
        return changed, new_secret

    landlord, new_secret = _in_transaction(change)
    print(f"landlord {landlord.id} ({landlord.name}): routes {routes_of(landlord)}", file=out)
    _warn_if_email_unsendable(landlord, out)
    if new_secret is not None:
        print(f"webhook secret (shown once, give it to the landlord securely): {new_secret}", file=out)
    return 0


def cmd_api_key(args: argparse.Namespace, out: TextIO) -> int:
    def issue(uow: UnitOfWork) -> tuple[Landlord, str]:
        landlord = _landlord(uow, args.id)
        key = uow.access.set_api_key(landlord.id)
        uow.audit("landlord_api_key_issued", landlord_id=landlord.id)
        return landlord, key

    landlord, key = _in_transaction(issue)
    print(
        f"API key for landlord {landlord.id} ({landlord.name}), shown once (any older key stops working):",
        file=out,
    )
    print(key, file=out)
    if not landlord.approved:
        print(
            f"note: it works once the landlord is approved (`fairsay admin landlords approve {landlord.id}`)",
            file=out,
        )
    return 0


def add_landlord_commands(admin_actions: Any) -> None:
    """`admin_actions`: the `fairsay admin` subparsers."""
    landlords = add_command(admin_actions, "landlords", "landlords: list, approve, routes, API keys")
    actions = add_actions(landlords, "landlords_action")
    add_command(actions, "list", "every landlord: id, name, approved, routes", cmd_list)
    approve = add_command(actions, "approve", "approve a registered landlord", cmd_approve)
    approve.add_argument("id", type=int, help="the landlord's id (from `list`)")
    routes = add_command(
        actions, "routes", "where complaints go besides Telegram: an email address, a webhook", cmd_routes
    )
    routes.add_argument("id", type=int, help="the landlord's id (from `list`)")
    routes.add_argument(
        "--email", metavar="ADDR", help='the complaints address ("" removes it; needs SMTP_HOST)'
    )
    routes.add_argument("--webhook-url", metavar="URL", help='the HTTPS endpoint ("" removes it)')
    routes.add_argument(
        "--new-webhook-secret", action="store_true", help="make a new signing secret (printed once)"
    )
    api_key = add_command(
        actions, "api-key", "a new API key for the landlord's systems (printed once)", cmd_api_key
    )
    api_key.add_argument("id", type=int, help="the landlord's id (from `list`)")
