"""`fairsay admin landlords ...`: list, approve, routes and API keys, with one clear line for
unknown ids and bad input; secrets are printed once and only what is needed is kept."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.databases import make_settings
from support.landlords import add_landlord

from bot.cli.main import main
from bot.settings import get_settings
from bot.storage.repository import Repository


@pytest.fixture
def repo(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repository]:
    """The database `fairsay` opens (DATABASE_URL), and a repository on it for seeding and checking."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "evidence"))
    get_settings.cache_clear()
    repository = Repository.open(make_settings(sqlite_url, tmp_path))
    yield repository
    repository.close()
    get_settings.cache_clear()


def fairsay(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["admin", "landlords", *args], out)
    return code, out.getvalue()


def test_list_shows_each_landlord_approval_and_routes(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.example.org")
    get_settings.cache_clear()
    assert fairsay("list") == (0, "no landlords have registered yet\n")
    westlea = add_landlord(repo, "Westlea Housing", email="complaints@westlea.example")
    waiting = add_landlord(repo, "Newbuild Homes", staff_telegram_id=2002, approved=False)
    code, out = fairsay("list")
    assert code == 0
    assert out.splitlines() == [
        f"{westlea}\tWestlea Housing\tapproved\troutes: telegram, email complaints@westlea.example",
        f"{waiting}\tNewbuild Homes\twaiting for approval\troutes: telegram",
    ]


def test_approve(repo: Repository) -> None:
    waiting = add_landlord(repo, "Newbuild Homes", approved=False)
    assert fairsay("approve", str(waiting)) == (0, f"landlord {waiting} (Newbuild Homes) is approved\n")
    with repo.unit_of_work() as uow:
        landlord = uow.access.landlord(waiting)
    assert landlord is not None and landlord.approved


def test_an_email_route_without_a_mail_server_is_refused_or_warned_of(repo: Repository) -> None:
    """With no SMTP_HOST every email submission failed 8 times (EmailNotConfigured), unseen: setting
    an email route is refused, and one made at registration is pointed out at approval and in list."""
    registered = add_landlord(repo, "Westlea Housing", email="complaints@westlea.example", approved=False)
    code, out = fairsay("approve", str(registered))
    assert code == 0
    assert out.splitlines()[1] == (
        f"warning: landlord {registered} has an email route (complaints@westlea.example) but SMTP_HOST is "
        'not set: no complaint is emailed until it is (or remove the route with --email "")'
    )
    assert fairsay("list")[1] == (
        f"{registered}\tWestlea Housing\tapproved\t"
        "routes: telegram, email complaints@westlea.example (not sent: SMTP_HOST is not set)\n"
    )
    assert fairsay("routes", str(registered), "--email", "new@westlea.example")[0] == 2
    with repo.unit_of_work() as uow:
        landlord = uow.access.landlord(registered)
    assert landlord is not None and landlord.complaint_email == "complaints@westlea.example"
    code, out = fairsay("routes", str(registered), "--email", "")  # removing it needs no mail server
    assert code == 0 and out == f"landlord {registered} (Westlea Housing): routes telegram\n"


@pytest.mark.parametrize(
    "args",
    [("approve", "99"), ("routes", "99", "--email", "a@b.example"), ("api-key", "99")],
)
def test_an_unknown_id_is_one_clear_line(
    repo: Repository, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = fairsay(*args)
    assert (code, out) == (2, "")
    assert (
        capsys.readouterr().err
        == f"fairsay admin landlords {args[0]}: no landlord with id 99 (see `fairsay admin landlords list`)\n"
    )


def test_routes_set_change_and_remove_with_the_secret_shown_once(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.example.org")
    get_settings.cache_clear()
    landlord_id = add_landlord(repo)

    code, out = fairsay(
        "routes",
        str(landlord_id),
        "--email",
        "complaints@westlea.example",
        "--webhook-url",
        "https://westlea.example/fs",
    )
    assert code == 0
    first, secret_line = out.splitlines()
    assert first.endswith(
        "routes telegram, email complaints@westlea.example, webhook https://westlea.example/fs"
    )
    secret = secret_line.rpartition(": ")[2]
    with repo.unit_of_work() as uow:
        landlord = uow.access.landlord(landlord_id)
    assert landlord is not None and landlord.webhook_secret == secret and len(secret) >= 40
    assert landlord.contact_routes == {"telegram": True, "email": True, "webhook": True}

    code, out = fairsay("routes", str(landlord_id), "--webhook-url", "https://westlea.example/fairsay")
    assert code == 0 and "secret" not in out  # the same secret signs for the new address
    code, out = fairsay("routes", str(landlord_id), "--new-webhook-secret")
    rotated = out.splitlines()[1].rpartition(": ")[2]
    assert code == 0 and rotated != secret

    assert fairsay("routes", str(landlord_id), "--webhook-url", "", "--email", "")[0] == 0
    with repo.unit_of_work() as uow:
        landlord = uow.access.landlord(landlord_id)
    assert landlord is not None
    assert (landlord.complaint_email, landlord.webhook_url, landlord.webhook_secret) == (None, None, None)
    assert landlord.contact_routes == {"telegram": True, "email": False, "webhook": False}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--email", "not an address"), "--email: 'not an address' is not an email address"),
        (("--webhook-url", "http://westlea.example/fs"), "--webhook-url: expected an https:// address"),
        (("--webhook-url", "ftp://westlea.example"), "--webhook-url: expected an https:// address"),
        (("--new-webhook-secret",), "--new-webhook-secret: the landlord has no webhook"),
    ],
)
def test_bad_routes_are_refused(
    repo: Repository,
    args: tuple[str, ...],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.example.org")
    get_settings.cache_clear()
    landlord_id = add_landlord(repo)
    assert fairsay("routes", str(landlord_id), *args)[0] == 2
    assert message in capsys.readouterr().err


def test_a_local_http_webhook_is_allowed_for_testing(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBHOOK_ALLOW_LOOPBACK", "true")
    get_settings.cache_clear()
    landlord_id = add_landlord(repo)
    assert fairsay("routes", str(landlord_id), "--webhook-url", "http://127.0.0.1:9000/hook")[0] == 0
    assert fairsay("routes", str(landlord_id), "--webhook-url", "https://localhost:9000/hook")[0] == 0
    # Loopback only: the cloud's metadata service and private networks stay out of reach.
    assert fairsay("routes", str(landlord_id), "--webhook-url", "https://169.254.169.254/latest")[0] == 2
    assert fairsay("routes", str(landlord_id), "--webhook-url", "https://10.1.2.3/hook")[0] == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",
        "https://127.0.0.1:5432/",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]:22/",
        "https://[::ffff:127.0.0.1]/",
        "https://10.0.0.7/hook",
        "https://192.168.1.1/hook",
        "https://100.64.0.1/hook",
        "https://[fd00::1]/hook",
        "https://0.0.0.0/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://127.1/hook",
        "https://[::7f00:1]/hook",  # IPv4-compatible, reserved
        "https://[64:ff9b::a9fe:a9fe]/hook",  # NAT64 to 169.254.169.254
        "https://[2002:a9fe:a9fe::1]/hook",  # 6to4 from 169.254.169.254
        "https://[fec0::1]/hook",  # site-local
        "https://１２７.０.０.１/hook",  # fullwidth digits: 127.0.0.1 once normalised
    ],
)
def test_a_webhook_into_a_private_or_local_network_is_refused(
    repo: Repository, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    landlord_id = add_landlord(repo)
    assert fairsay("routes", str(landlord_id), "--webhook-url", url)[0] == 2
    assert "--webhook-url:" in capsys.readouterr().err
    with repo.unit_of_work() as uow:
        landlord = uow.access.landlord(landlord_id)
    assert landlord is not None and landlord.webhook_url is None


def test_api_key_is_printed_once_and_replaces_the_old_one(repo: Repository) -> None:
    landlord_id = add_landlord(repo)
    code, out = fairsay("api-key", str(landlord_id))
    assert code == 0
    first = out.splitlines()[1]
    assert first.startswith("fs_")
    second = fairsay("api-key", str(landlord_id))[1].splitlines()[1]
    with repo.unit_of_work() as uow:
        assert uow.access.landlord_by_api_key(first) is None
        found = uow.access.landlord_by_api_key(second)
    assert found is not None and found.id == landlord_id


def test_api_key_for_a_landlord_not_yet_approved_says_so(repo: Repository) -> None:
    waiting = add_landlord(repo, approved=False)
    code, out = fairsay("api-key", str(waiting))
    assert code == 0 and f"fairsay admin landlords approve {waiting}" in out


def test_approving_tells_the_landlords_team_in_their_language(repo: Repository) -> None:
    """Staff are told when their landlord is approved (the reminder sender delivers it, in their language)."""
    from datetime import UTC, datetime

    from sqlmodel import select

    from bot.services.notices import NoticeKind, compose
    from bot.storage.models import ReminderRow
    from flows.i18n import translator

    waiting = add_landlord(repo, "Newbuild Homes", approved=False)
    with repo.unit_of_work() as uow:
        assert not uow.session.exec(select(ReminderRow)).all()  # nothing before approval
    assert fairsay("approve", str(waiting))[0] == 0
    with repo.unit_of_work() as uow:
        [row] = uow.session.exec(select(ReminderRow)).all()
        assert row.kind == NoticeKind.LANDLORD_APPROVED.value
        staff = uow.user_by_telegram_id(2001)
        assert row.user_id == staff.id
    [due] = repo.claim_due_reminders(datetime.now(UTC), 10, "test")
    with repo.unit_of_work() as uow:
        for language in ("en", "cy"):
            reply = compose(uow, due, staff, translator(language), datetime.now(UTC).date())
            assert reply is not None and "Newbuild Homes" in reply.text and "/inbox" in reply.text
