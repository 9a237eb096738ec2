"""A landlord's compliance figures from the database (both backends), and `fairsay admin compliance`."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.holidays import configure_extra_holidays
from bot.services.compliance_report import (
    UnknownLandlord,
    compliance_csv,
    compliance_table,
    landlord_compliance,
)
from bot.settings import Settings, get_settings
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from flows.case import CaseEvent, EventKind
from flows.compliance import Timescales
from flows.deadlines import DeadlineId
from flows.routing import plan_for

D = date.fromisoformat


def ev(day: str, kind: str) -> CaseEvent:
    return CaseEvent(D(day), EventKind(kind))


def add_case(repo: Repository, owner_id: int, landlord_id: int | None, *events: CaseEvent) -> str:
    with repo.unit_of_work() as uow:
        ref = uow.create_case(owner_id, landlord_id=landlord_id)
        summary = uow.case_by_ref(ref)
        assert summary is not None
        for event in events:
            uow.append_event(summary.id, event, EventSource.RESIDENT, owner_id)
    return ref


def add_landlord(repo: Repository, registrant_id: int, name: str, homes: int | None) -> int:
    with repo.unit_of_work() as uow:
        landlord_id = uow.access.register_landlord(
            registrant_id,
            name=name,
            landlord_type="housing_association",
            registered_provider_number=None,
            council_name=None,
            complaint_email=None,
            homes=homes,
        )
        uow.access.approve_landlord(landlord_id)
    return landlord_id


@pytest.fixture
def seeded(repo: Repository) -> tuple[int, dict[str, str]]:
    """Westlea (800 homes) with three complaints; another landlord's and an undelivered one beside it."""
    with repo.unit_of_work() as uow:
        resident = uow.user_by_telegram_id(1001).id
        staff, other_staff = uow.user_by_telegram_id(2001).id, uow.user_by_telegram_id(2002).id
    westlea = add_landlord(repo, staff, "Westlea Housing", 800)
    other = add_landlord(repo, other_staff, "Other Homes", 100)
    refs = {
        # Made Wed 25 Mar 2026, acknowledged Wed 1 Apr: answer due Fri 17 Apr (Easter), given on time.
        # Stage 2 asked for on Fri 29 May: acknowledgement due Fri 5 June.
        "met": add_case(
            repo,
            resident,
            westlea,
            ev("2026-03-25", "complaint_made"),
            ev("2026-04-01", "acknowledged"),
            ev("2026-04-17", "stage1_response"),
            ev("2026-05-29", "escalation_requested"),
        ),
        # Made Wed 20 May: acknowledgement due Thu 28 May (25 May bank holiday), not given by 1 June.
        "open": add_case(repo, resident, westlea, ev("2026-05-20", "complaint_made")),
        "late": add_case(
            repo,
            resident,
            westlea,
            ev("2026-04-01", "complaint_made"),
            ev("2026-04-02", "acknowledged"),
            ev("2026-05-01", "stage1_response"),
        ),
    }
    add_case(repo, resident, other, ev("2026-04-02", "complaint_made"))
    add_case(repo, resident, None, ev("2026-04-03", "complaint_made"))
    return westlea, refs


def test_figures_come_from_the_landlord_s_own_complaints(
    repo: Repository, seeded: tuple[int, dict[str, str]]
) -> None:
    westlea, refs = seeded
    with repo.unit_of_work() as uow:
        c = landlord_compliance(uow, westlea, D("2026-04-01"), D("2027-03-31"), D("2026-06-01"))
    s1, s2 = c.stages
    assert (s1.received, s1.responses, s1.responses_within_timescales) == (2, 2, 1)
    assert s1.received_per_1000_homes == 2.5
    assert (s2.received, s2.responses, s2.received_per_1000_homes) == (1, 0, 1.25)
    assert [(n.ref, n.deadline, n.due, n.working_days_left) for n in c.nearing] == [
        (refs["open"], DeadlineId.STAGE1_ACKNOWLEDGEMENT, D("2026-05-28"), -2),
        (refs["met"], DeadlineId.STAGE2_ACKNOWLEDGEMENT, D("2026-06-05"), 4),
    ]
    assert {(r.ref, r.stage): r.within_timescales for r in c.complaint_stages} == {
        (refs["met"], 1): Timescales.YES,
        (refs["met"], 2): Timescales.OPEN,
        (refs["open"], 1): Timescales.OPEN,
        (refs["late"], 1): Timescales.NO,
    }
    rows = list(csv.reader(io.StringIO(compliance_csv(c).decode("utf-8"))))
    assert rows[0][0] == "period_start" and rows[4][0] == "ref"
    assert len(rows) == 1 + 2 + 1 + 1 + 4


def test_an_unknown_landlord_is_an_error(repo: Repository) -> None:
    with repo.unit_of_work() as uow, pytest.raises(UnknownLandlord):
        landlord_compliance(uow, 9999, D("2026-04-01"), D("2027-03-31"), D("2026-06-01"))


def test_the_table_shows_unknowns_as_dashes(repo: Repository) -> None:
    with repo.unit_of_work() as uow:
        registrant = uow.user_by_telegram_id(3001).id
    landlord = add_landlord(repo, registrant, "No Homes Yet", None)
    with repo.unit_of_work() as uow:
        c = landlord_compliance(uow, landlord, D("2026-04-01"), D("2027-03-31"), D("2026-06-01"))
    table = compliance_table("No Homes Yet", landlord, c)
    assert "Homes: unknown (CH01 needs it)" in table
    assert "CH01 received per 1,000 homes            -         -" in table
    assert "Open deadlines missed or due within 5 working days: 0" in table
    with repo.unit_of_work() as uow:
        one_day = landlord_compliance(uow, landlord, D("2026-04-01"), D("2027-03-31"), D("2026-06-01"), 1)
    assert "Open deadlines missed or due within 1 working day: 0" in compliance_table("x", landlord, one_day)


# --- `fairsay admin compliance` ------------------------------------------------------------------------


@pytest.fixture
def fairsay(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """Run `fairsay ARGS` in this process on the test's database: (exit status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "evidence"))
    get_settings.cache_clear()

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    yield run
    get_settings.cache_clear()


def test_cli_prints_the_table_and_writes_the_csv(
    seeded: tuple[int, dict[str, str]], fairsay: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    westlea, refs = seeded
    target = tmp_path / "westlea.csv"
    status, out, err = fairsay(
        "admin", "compliance", str(westlea), "--from", "2026-04-01", "--to", "2027-03-31",
        "--as-of", "2026-06-01", "--csv", str(target),
    )  # fmt: skip
    assert (status, err) == (0, "")
    assert out.splitlines()[:2] == [
        f"Westlea Housing (landlord {westlea}): complaints from 2026-04-01 to 2027-03-31, as of 2026-06-01",
        "Homes: 800",
    ]
    assert "received                                 2         1" in out
    assert "CH01 received per 1,000 homes         2.50      1.25" in out
    assert "CH02 share within timescales        50.00%         -" in out
    assert f"{refs['open']}  stage1_acknowledgement  2026-05-28  -2 (missed)" in out
    assert f"{refs['met']}  stage2_acknowledgement  2026-06-05  4\n" in out
    assert f"CSV written to {target}" in out
    assert target.read_bytes().startswith(b"period_start,period_end,as_of,homes,stage,")


def test_cli_defaults_to_the_financial_year_so_far(
    seeded: tuple[int, dict[str, str]], fairsay: Callable[..., tuple[int, str, str]]
) -> None:
    westlea, _ = seeded
    status, out, _ = fairsay("admin", "compliance", str(westlea), "--as-of", "2026-06-01")
    assert status == 0
    assert "complaints from 2026-04-01 to 2026-06-01, as of 2026-06-01" in out
    status, out, _ = fairsay(
        "admin", "compliance", str(westlea), "--to", "2026-03-31", "--as-of", "2026-06-01"
    )
    assert "complaints from 2025-04-01 to 2026-03-31" in out
    assert "received                                 1         0" in out  # only 25 March


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("9999",), "fairsay admin compliance: no landlord with id 9999"),
        (
            ("{id}", "--from", "2026-05-01", "--to", "2026-04-01"),
            "--from 2026-05-01 is after --to 2026-04-01",
        ),
        (("{id}", "--window", "-1"), "--window must be 0 or more"),
        (("{id}", "--csv", "/no/such/folder/x.csv"), "cannot write /no/such/folder/x.csv"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(
    seeded: tuple[int, dict[str, str]],
    fairsay: Callable[..., tuple[int, str, str]],
    args: tuple[str, ...],
    message: str,
) -> None:
    westlea, _ = seeded
    status, out, err = fairsay("admin", "compliance", *(arg.format(id=westlea) for arg in args))
    assert status == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert out == ""


def test_cli_refuses_a_malformed_date(fairsay: Callable[..., tuple[int, str, str]]) -> None:
    with pytest.raises(SystemExit) as exited:
        fairsay("admin", "compliance", "1", "--from", "1/4/2026")
    assert exited.value.code == 2


def test_the_rows_carry_the_parts_sent_to_the_landlord(repo: Repository) -> None:
    """A council's tenant: the leak and the adaptation works go to the landlord; the housing register and
    the social care assessment do not, so they are not in its figures' rows."""
    with repo.unit_of_work() as uow:
        resident, staff = uow.user_by_telegram_id(1001).id, uow.user_by_telegram_id(2001).id
    landlord = add_landlord(repo, staff, "Portsmouth City Council", 1000)
    ref = add_case(repo, resident, landlord, ev("2026-04-01", "complaint_made"))
    plain = add_case(repo, resident, landlord, ev("2026-04-02", "complaint_made"))  # made before parts
    plan = plan_for("england", "council", ["repairs", "allocations", "grants_adaptations"])
    with repo.unit_of_work() as uow:
        summary = uow.case_by_ref(ref)
        assert summary is not None
        uow.update_case_details(summary.id, {"routing": plan.record()})
        c = landlord_compliance(uow, landlord, D("2026-04-01"), D("2027-03-31"), D("2026-06-01"))
    parts = {row.ref: row.parts for row in c.complaint_stages}
    assert parts == {ref: ("repairs", "grants_adaptations:works"), plain: ()}
    rows = list(csv.reader(io.StringIO(compliance_csv(c).decode("utf-8"))))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "ref")
    assert rows[header][-1] == "parts"
    by_ref = {r[0]: r[-1] for r in rows[header + 1 :]}
    assert by_ref == {ref: "repairs;grants_adaptations:works", plain: ""}


def test_a_registered_timescale_longer_than_the_codes_is_flagged_in_the_chat_figures(
    repo: Repository,
) -> None:
    """Registration refuses a slower policy; one stored before that (or set by hand) is flagged, and residents'
    deadlines use the Code's (flows.deadlines: POLICY_LONGER_THAN_CODE)."""
    from bot.services.compliance_report import compliance_for_chat
    from flows.i18n import translator

    with repo.unit_of_work() as uow:
        registrant = uow.user_by_telegram_id(4242).id
    landlord_id = add_landlord(repo, registrant, "Slowpoke Homes", 100)
    with repo.unit_of_work() as uow:
        text, _ = compliance_for_chat(uow, landlord_id, date(2026, 6, 1), translator("en"))
        assert "longer than the Code's" not in text
        uow.access.update_landlord(landlord_id, policy={"stage1_response_working_days": 15})
    with repo.unit_of_work() as uow:
        text, _ = compliance_for_chat(uow, landlord_id, date(2026, 6, 1), translator("en"))
    assert "Your registered stage 1 timescale (15 working days) is longer than the Code's 10" in text


def test_cli_counts_the_extra_bank_holidays_the_chat_counts(
    seeded: tuple[int, dict[str, str]],
    fairsay: Callable[..., tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """EXTRA_BANK_HOLIDAYS moves every open deadline (README): the landlord's figures too, not only the
    chat's (the command line never configured them, so a deadline the chat moved was "missed" here)."""
    westlea, refs = seeded
    monkeypatch.setenv("EXTRA_BANK_HOLIDAYS", "2026-05-27")
    try:
        status, out, _ = fairsay("admin", "compliance", str(westlea), "--as-of", "2026-06-01")
    finally:
        configure_extra_holidays(())
    assert status == 0
    assert f"{refs['open']}  stage1_acknowledgement  2026-05-29" in out
