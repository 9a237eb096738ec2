"""`fairsay inbound-mail`: the server as its own process (the stdlib's smtplib as the landlord), from the environment's settings; without
them it says which to set."""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mail_builders import DOMAIN, seed_case
from sqlmodel import select
from support.delivery_servers import free_port

from bot.mail.addresses import reply_address
from bot.settings import Settings
from bot.storage.models import CaseEmailRow
from bot.storage.repository import Repository

ROOT = Path(__file__).resolve().parents[3]


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key.lower() not in Settings.model_fields}
    env.update(XDG_DATA_HOME=str(tmp_path / "xdg-data"), XDG_CACHE_HOME=str(tmp_path / "xdg-cache"))
    return {**env, **values}


def test_without_its_settings_it_says_which(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "inbound-mail"],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "INBOUND_SMTP_PORT and MAIL_REPLY_DOMAIN must be set" in result.stderr


def wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    """Until the server accepts connections (or the process ended: the test then fails)."""
    while process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"the server exited: {process.stderr.read() if process.stderr else ''}")


def test_it_receives_mail_for_a_case_and_refuses_the_rest(tmp_path: Path) -> None:
    port = free_port()
    database = f"sqlite:///{tmp_path / 'fairsay.sqlite3'}"
    values = {"DATABASE_URL": database, "MAIL_REPLY_DOMAIN": DOMAIN, "INBOUND_SMTP_PORT": str(port)}
    settings = Settings.from_values(
        database_url=database, evidence_dir=tmp_path / "evidence", mail_reply_domain=DOMAIN
    )
    repo = Repository.open(settings)
    _, case_id = seed_case(repo)
    with repo.unit_of_work() as uow:
        address = reply_address(uow, case_id, settings)
    env = environment(tmp_path, EVIDENCE_DIR=str(tmp_path / "evidence"), LOG_FORMAT="text", **values)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "inbound-mail"],
        env=env,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, process)
        message = f"From: landlord@westlea.example\r\nTo: {address}\r\nSubject: Re\r\n\r\nThank you.\r\n"
        with smtplib.SMTP("127.0.0.1", port) as client:  # a landlord's mail server
            client.sendmail("a@westlea.example", [address], message)
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.sendmail("a@westlea.example", [f"case-{'b' * 26}@{DOMAIN}"], message)
    finally:
        process.terminate()
        process.wait(timeout=60)
    with repo.unit_of_work() as uow:
        assert [row.subject for row in uow.session.exec(select(CaseEmailRow))] == ["Re"]
    repo.close()
