"""The web portal over HTTP (Starlette's test client, both databases): signing in with a one-time
link, the staff inbox and case page, actions with the chat's rules, advocates' and operators'
pages, and every refusal: a reused or expired link, a missing CSRF token, a tampered cookie,
another organisation's case."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select
from starlette.testclient import TestClient
from support.databases import make_settings
from support.delivery_servers import SmtpServer
from support.landlords import Delivered, add_landlord, deliver_complaint, sample_pdf

from bot.clock import ManualClock
from bot.services.people import portal_link
from bot.settings import Settings
from bot.storage.access import CodeKind
from bot.storage.models import CaseEventRow, PortalSignInRow, ReminderRow, UserRow
from bot.storage.records import AdvocateScope, EventSource, Role
from bot.storage.repository import Repository
from bot.web.app import create_web_app
from bot.web.portal.sessions import COOKIE_NAME
from flows.access_times import LINK_LIFETIME, SESSION_LIFETIME
from flows.i18n import translator
from flows.landlord_actions import PROBLEM_TEXT, Problem

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # Tuesday; the complaint was made on Monday 9 March
BASE = "https://fairsay.test"
STAFF, OTHER_STAFF, RESIDENT, ADVOCATE, OPERATOR = 2001, 2002, 1001, 3001, 4001


@dataclass
class Portal:
    repo: Repository
    clock: ManualClock
    settings: Settings
    complaint: Delivered
    others: Delivered  # another landlord's complaint

    def client(self) -> TestClient:
        return TestClient(create_web_app(self.settings, self.repo, clock=self.clock), base_url=BASE)

    def link_for(self, telegram_id: int) -> str:
        with self.repo.unit_of_work() as uow:
            user = uow.user_by_telegram_id(telegram_id)
            status, link = portal_link(uow, user, self.settings.portal_base_url, self.clock.now())
        assert status == "ok" and link is not None, status
        return link.removeprefix(BASE)

    def sign_in(self, client: TestClient, telegram_id: int) -> None:
        link = self.link_for(telegram_id)
        page = client.get(link)
        assert page.status_code == 200
        answer = client.post(link, data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        assert COOKIE_NAME in answer.cookies


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture
def portal(repo: Repository, tmp_path: Path, database_url: str) -> Portal:
    settings = make_settings(
        database_url, tmp_path, public_url=BASE, portal_secret="s" * 40, evidence_max_bytes=100_000
    )
    westlea = add_landlord(repo, "Westlea Housing", staff_telegram_id=STAFF)
    riverside = add_landlord(repo, "Riverside Homes", staff_telegram_id=OTHER_STAFF)
    complaint = deliver_complaint(repo, westlea, NOW, owner_telegram_id=RESIDENT)
    others = deliver_complaint(repo, riverside, NOW, owner_telegram_id=1002, landlord_name="Riverside Homes")
    return Portal(repo, ManualClock(NOW), settings, complaint, others)


@pytest.fixture
def staff(portal: Portal) -> Iterator[TestClient]:
    with portal.client() as client:
        portal.sign_in(client, STAFF)
        yield client


def test_a_landlord_signs_in_with_a_link_and_sees_its_inbox(portal: Portal, staff: TestClient) -> None:
    inbox = staff.get("/portal/", follow_redirects=True)
    assert inbox.status_code == 200
    assert inbox.url.path == "/portal/inbox"
    assert portal.complaint.ref in inbox.text
    assert portal.others.ref not in inbox.text  # Riverside's complaint is not Westlea's business
    assert "Acknowledging" not in inbox.text  # staff wording, not the resident's
    assert "stage 1 acknowledgement" in inbox.text and "Code 6.2" in inbox.text
    assert "4 working days left" in inbox.text  # due Monday 16 March, from Tuesday 10th


def test_the_inbox_is_paged_fifty_at_a_time_the_missed_first(portal: Portal, staff: TestClient) -> None:
    """56 open complaints, 55 of them made a week apart long ago (missed, soonest due first) and the
    fixture's, still in time, last; page 2 holds the last 6; a page past the end, or not a page
    number, is the last or the first."""
    westlea = portal.complaint.landlord_id
    refs = [
        deliver_complaint(
            portal.repo,
            westlea,
            NOW,
            owner_telegram_id=5000 + n,
            made_on=date(2025, 1, 6) + timedelta(weeks=n),
        ).ref
        for n in range(55)
    ]
    row = r'<tr( class="overdue")?>\s*<th scope="row"[^>]*><a href="/portal/cases/(\w+)"'
    first = staff.get("/portal/inbox")
    assert first.status_code == 200 and "56 open complaints" in first.text and "Page 1 of 2" in first.text
    rows = re.findall(row, first.text)
    assert [ref for _, ref in rows] == refs[:50] and all(overdue for overdue, _ in rows)
    assert 'href="/portal/inbox?page=2" rel="next"' in first.text and 'rel="prev"' not in first.text
    second = staff.get("/portal/inbox?page=2")
    rows = re.findall(row, second.text)
    assert [ref for _, ref in rows] == [*refs[50:], portal.complaint.ref]
    assert [bool(overdue) for overdue, _ in rows] == [True] * 5 + [False]
    assert 'href="/portal/inbox?page=1" rel="prev"' in second.text and 'rel="next"' not in second.text
    assert re.findall(row, staff.get("/portal/inbox?page=99").text) == rows
    assert len(re.findall(row, staff.get("/portal/inbox?page=-1").text)) == 50


def test_the_cookie_is_http_only_same_site_and_secure_behind_tls(portal: Portal) -> None:
    with portal.client() as client:
        link = portal.link_for(STAFF)
        page = client.get(link)
        answer = client.post(link, data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    header = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and COOKIE_NAME in v)
    assert (
        "HttpOnly" in header and "SameSite=lax" in header and "Secure" in header and "Path=/portal" in header
    )
    assert answer.headers["Referrer-Policy"] == "no-referrer"


def test_a_link_works_once(portal: Portal) -> None:
    link = portal.link_for(STAFF)
    with portal.client() as first:
        token = csrf_of(first.get(link).text)
        assert first.post(link, data={"csrf_token": token}, follow_redirects=False).status_code == 303
    with portal.client() as second:  # the same link, opened again (forwarded, or from history)
        again = second.post(link, data={"csrf_token": csrf_of(second.get(link).text)}, follow_redirects=False)
    assert again.status_code == 410
    assert "does not work any more" in again.text
    assert COOKIE_NAME not in again.cookies


def test_an_expired_link_is_refused(portal: Portal) -> None:
    link = portal.link_for(STAFF)
    portal.clock.advance(LINK_LIFETIME + timedelta(seconds=1))
    with portal.client() as client:
        answer = client.post(
            link, data={"csrf_token": csrf_of(client.get(link).text)}, follow_redirects=False
        )
        assert answer.status_code == 410
        assert client.get("/portal/inbox", follow_redirects=False).headers["location"] == "/portal/sign-in"


def test_a_made_up_link_is_refused_like_a_used_one(portal: Portal) -> None:
    with portal.client() as client:
        link = "/portal/sign-in/" + "A" * 43
        answer = client.post(link, data={"csrf_token": csrf_of(client.get(link).text)})
    assert answer.status_code == 410


def test_signing_in_needs_the_form_token_from_this_browser(portal: Portal) -> None:
    link = portal.link_for(STAFF)
    with portal.client() as client:
        client.get(link)
        assert client.post(link, data={}, follow_redirects=False).status_code == 403
        assert client.post(link, data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403
    with portal.client() as client:  # still unused: the refusals did not spend it
        page = client.get(link)
        assert (
            client.post(link, data={"csrf_token": csrf_of(page.text)}, follow_redirects=False).status_code
            == 303
        )


def test_a_resident_gets_no_link(portal: Portal) -> None:
    with portal.repo.unit_of_work() as uow:
        resident = uow.user_by_telegram_id(RESIDENT)
        assert portal_link(uow, resident, BASE, NOW) == ("not_for_you", None)
        assert portal_link(uow, resident, None, NOW) == ("off", None)


def test_links_in_the_chat_and_from_the_operator_are_never_refused(portal: Portal) -> None:
    with portal.repo.unit_of_work() as uow:
        user = uow.user_by_telegram_id(STAFF)
        statuses = [portal_link(uow, user, BASE, NOW)[0] for _ in range(8)]
    assert statuses == ["ok"] * 8


def test_a_tampered_cookie_is_no_session(portal: Portal, staff: TestClient) -> None:
    value = staff.cookies[COOKIE_NAME]
    staff.cookies.set(
        COOKIE_NAME,
        value[:-2] + ("AA" if not value.endswith("AA") else "BB"),
        domain="fairsay.test",
        path="/portal",
    )
    answer = staff.get("/portal/inbox", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/portal/sign-in"


def test_a_session_ends_when_signing_out_and_after_its_lifetime(portal: Portal, staff: TestClient) -> None:
    cookie = staff.cookies[COOKIE_NAME]
    page = staff.get("/portal/inbox")
    assert staff.post("/portal/sign-out", data={"csrf_token": csrf_of(page.text)}).status_code == 200
    staff.cookies.set(COOKIE_NAME, cookie, domain="fairsay.test", path="/portal")  # a copy kept elsewhere
    assert staff.get("/portal/inbox", follow_redirects=False).status_code == 303
    with portal.client() as client:
        portal.sign_in(client, STAFF)
        portal.clock.advance(SESSION_LIFETIME)
        assert client.get("/portal/inbox", follow_redirects=False).status_code == 303


def test_every_form_needs_the_csrf_token(portal: Portal, staff: TestClient) -> None:
    ref = portal.complaint.ref
    page = staff.get("/portal/inbox")
    missing = staff.post(f"/portal/cases/{ref}/acknowledge", data={"date": "2026-03-10"})
    wrong = staff.post(
        f"/portal/cases/{ref}/acknowledge", data={"date": "2026-03-10", "csrf_token": "x" * 43}
    )
    assert missing.status_code == 403 and wrong.status_code == 403
    assert csrf_of(missing.text) == csrf_of(page.text)  # still signed in: the page's sign-out form works
    assert "nothing was changed" in missing.text
    assert events(portal.repo, portal.complaint.case_id) == ["complaint_made"]


def test_another_organisations_case_is_not_found(portal: Portal, staff: TestClient) -> None:
    theirs, made_up = portal.others.ref, "ZZZZZZ"
    page = staff.get(f"/portal/cases/{portal.complaint.ref}")
    token = csrf_of(page.text)
    for ref in (theirs, made_up):
        assert staff.get(f"/portal/cases/{ref}").status_code == 404
        assert staff.post(f"/portal/cases/{ref}/acknowledge", data={"csrf_token": token}).status_code == 404
    assert staff.get(f"/portal/cases/{theirs}").text == staff.get(f"/portal/cases/{made_up}").text
    assert events(portal.repo, portal.others.case_id) == ["complaint_made"]


def test_staff_acknowledge_extend_and_respond_and_the_resident_is_told(
    portal: Portal, staff: TestClient
) -> None:
    ref, case_id = portal.complaint.ref, portal.complaint.case_id
    page = staff.get(f"/portal/cases/{ref}")
    assert page.status_code == 200 and "Black mould has spread" in page.text
    token = csrf_of(page.text)

    answer = staff.post(f"/portal/cases/{ref}/acknowledge", data={"csrf_token": token, "date": "2026-03-10"})
    assert answer.status_code == 200 and "you acknowledged the complaint" in answer.text
    assert "Acknowledged (stage 1)" in answer.text

    no_reason = staff.post(f"/portal/cases/{ref}/extend", data={"csrf_token": token, "new_due": "2026-04-10"})
    assert no_reason.status_code == 422
    assert PROBLEM_TEXT[Problem.REASON_REQUIRED] in no_reason.text
    assert 'value="2026-04-10"' in no_reason.text  # what was typed is kept

    bad_date = staff.post(
        f"/portal/cases/{ref}/extend", data={"csrf_token": token, "new_due": "31/02/2026", "reason": "Survey"}
    )
    assert (
        bad_date.status_code == 422
        and "not a real date" in bad_date.text
        and ">Survey</textarea>" in bad_date.text
    )

    extended = staff.post(
        f"/portal/cases/{ref}/extend",
        data={"csrf_token": token, "new_due": "2026-04-07", "reason": "We need a damp survey first."},
    )
    assert extended.status_code == 200 and "Reason: We need a damp survey first." in extended.text

    pdf = sample_pdf(b"response")
    responded = staff.post(
        f"/portal/cases/{ref}/respond",
        data={"csrf_token": token, "date": "2026-03-10"},
        files={"response": ("stage1-response.pdf", pdf, "application/pdf")},
    )
    assert responded.status_code == 200 and "Recorded: your response" in responded.text
    assert hashlib.sha256(pdf).hexdigest() in responded.text
    assert events(portal.repo, case_id) == [
        "complaint_made",
        "acknowledged",
        "stage1_extension",
        "stage1_response",
    ]
    with portal.repo.unit_of_work() as uow:
        told = uow.session.exec(
            select(ReminderRow.payload).where(
                col(ReminderRow.user_id) == portal.complaint.owner_id,
                col(ReminderRow.kind) == "notice_landlord_update",
            )
        ).all()
    assert [payload["event"] for payload in told] == ["acknowledged", "stage1_extension", "stage1_response"]

    download = staff.get(f"/portal/cases/{ref}/evidence/{hashlib.sha256(pdf).hexdigest()}")
    assert download.status_code == 200 and download.content == pdf
    assert download.headers["digest"] == f"sha-256={hashlib.sha256(pdf).hexdigest()}"
    letter = staff.get(f"/portal/cases/{ref}/letter-1.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")


def test_the_case_page_shows_what_the_resident_disputes(portal: Portal, staff: TestClient) -> None:
    """Issue 20 review: the resident's dispute of what the landlord recorded shows on the timeline."""
    ref, case_id = portal.complaint.ref, portal.complaint.case_id
    page = staff.get(f"/portal/cases/{ref}")
    staff.post(
        f"/portal/cases/{ref}/acknowledge", data={"csrf_token": csrf_of(page.text), "date": "2026-03-10"}
    )
    assert "The resident disputes this." not in staff.get(f"/portal/cases/{ref}").text
    with portal.repo.unit_of_work() as uow:
        acknowledged = uow.load_case(case_id).events[-1]
        owner = uow.case_summary(case_id).owner_user_id
        uow.correct_event(case_id, acknowledged, "disputed", EventSource.RESIDENT, owner)
    assert "The resident disputes this." in staff.get(f"/portal/cases/{ref}").text


def test_the_case_page_shows_awaabs_law_clocks_of_a_damp_case_it_covers(
    portal: Portal, staff: TestClient
) -> None:
    ref, case_id = portal.complaint.ref, portal.complaint.case_id
    assert "Awaab" not in staff.get(f"/portal/cases/{ref}").text  # no report date told: no clocks
    with portal.repo.unit_of_work() as uow:
        uow.update_case_details(
            case_id,
            {"hazard": {"reported_on": "2026-02-02", "level": "significant"}, "tenure": "assured"},
        )
    page = staff.get(f"/portal/cases/{ref}").text
    assert "Awaab&#39;s Law clocks" in page or "Awaab's Law clocks" in page
    assert "Damp and mould first reported to the landlord: Monday, 2 February 2026." in page
    assert (
        "Investigate the hazard (10 working days): due Monday, 16 February 2026, the date has passed, not "
        "recorded as done." in (page.replace("&#39;", "'"))
    )
    with portal.repo.unit_of_work() as uow:  # investigated late, as the resident recorded with /status
        uow.update_case_details(case_id, {"hazard_investigated": "2026-02-18"})
    assert "due Monday, 16 February 2026, missed by 2 working days." in staff.get(f"/portal/cases/{ref}").text
    with portal.repo.unit_of_work() as uow:  # the emergency track, the time of the report not known
        uow.update_case_details(case_id, {"hazard": {"reported_on": "2026-02-02", "level": "emergency"}})
    page = staff.get(f"/portal/cases/{ref}").text
    assert (
        "<p>The time is not known, so the 24 hours are counted from the end of that day (23:59).</p>" in page
    )
    assert "<li>Investigate the emergency hazard (24 hours): due 23:59 on Tuesday, 3 February 2026" in page
    with portal.repo.unit_of_work() as uow:  # a leaseholder's home: Awaab's Law does not cover it
        uow.update_case_details(case_id, {"tenure": "leaseholder"})
    assert "Investigate the hazard" not in staff.get(f"/portal/cases/{ref}").text


def test_an_action_out_of_turn_says_why(portal: Portal, staff: TestClient) -> None:
    ref = portal.complaint.ref
    token = csrf_of(staff.get(f"/portal/cases/{ref}").text)
    staff.post(f"/portal/cases/{ref}/acknowledge", data={"csrf_token": token})
    again = staff.post(f"/portal/cases/{ref}/acknowledge", data={"csrf_token": token})
    assert again.status_code == 422 and PROBLEM_TEXT[Problem.ALREADY_ACKNOWLEDGED] in again.text
    wrong_type = staff.post(
        f"/portal/cases/{ref}/respond",
        data={"csrf_token": token},
        files={"response": ("x.exe", b"MZ\x90\x00", "application/octet-stream")},
    )
    assert wrong_type.status_code == 422 and "Please upload the response as a PDF" in wrong_type.text
    too_big = staff.post(
        f"/portal/cases/{ref}/respond",
        data={"csrf_token": token},
        files={"response": ("big.pdf", sample_pdf(b"x" * 200_000), "application/pdf")},
    )
    assert too_big.status_code == 413
    assert events(portal.repo, portal.complaint.case_id) == ["complaint_made", "acknowledged"]


def test_pages_are_in_the_readers_language(portal: Portal, staff: TestClient) -> None:
    with portal.repo.unit_of_work() as uow:
        uow.set_language(uow.user_by_telegram_id(STAFF).id, "pl")
    page = staff.get("/portal/inbox")
    pl = translator("pl")
    assert '<html lang="pl" dir="ltr">' in page.text
    assert (
        pl.gettext("Complaints inbox") in page.text and pl.gettext("Complaints inbox") != "Complaints inbox"
    )


def test_compliance_page_and_csv(portal: Portal, staff: TestClient) -> None:
    page = staff.get("/portal/compliance")
    assert page.status_code == 200 and "CH01" in page.text and "CH02" in page.text
    csv = staff.get("/portal/compliance.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert portal.complaint.ref in csv.text and portal.others.ref not in csv.text


def link_advocate(portal: Portal, case_id: int, scope: AdvocateScope) -> None:
    with portal.repo.unit_of_work() as uow:
        advocate = uow.user_by_telegram_id(ADVOCATE)
        uow.access.link(case_id, advocate.id, scope, NOW)
        uow.add_role(advocate.id, Role.ADVOCATE)


def test_an_advocate_sees_only_consented_cases(portal: Portal) -> None:
    link_advocate(portal, portal.complaint.case_id, AdvocateScope.VIEW)
    with portal.client() as client:
        portal.sign_in(client, ADVOCATE)
        caseload = client.get("/portal/", follow_redirects=True)
        assert caseload.url.path == "/portal/caseload"
        assert portal.complaint.ref in caseload.text and portal.others.ref not in caseload.text
        page = client.get(f"/portal/cases/{portal.complaint.ref}")
        assert page.status_code == 200 and "Answer the complaint" not in page.text
        assert client.get(f"/portal/cases/{portal.others.ref}").status_code == 404
        assert client.get("/portal/inbox").status_code == 404
        with portal.repo.unit_of_work() as uow:  # the resident stops sharing
            link = uow.access.links_of_case(portal.complaint.case_id)[0]
            uow.access.revoke(link.id, portal.complaint.owner_id)
        assert client.get(f"/portal/cases/{portal.complaint.ref}").status_code == 404


def test_an_advocate_who_may_act_asks_the_resident_to_approve(portal: Portal) -> None:
    link_advocate(portal, portal.complaint.case_id, AdvocateScope.ACT)
    portal.clock.advance(timedelta(days=7))  # the acknowledgement (due 16 March) is now missed
    with portal.client() as client:
        portal.sign_in(client, ADVOCATE)
        page = client.get(f"/portal/cases/{portal.complaint.ref}")
        assert "Missed" in page.text and "Ask the resident to approve going to the Ombudsman" in page.text
        answer = client.post(
            f"/portal/cases/{portal.complaint.ref}/propose/referral", data={"csrf_token": csrf_of(page.text)}
        )
    assert answer.status_code == 200 and "Nothing goes to the landlord until they do" in answer.text
    with portal.repo.unit_of_work() as uow:
        kinds = uow.session.exec(
            select(ReminderRow.kind).where(col(ReminderRow.user_id) == portal.complaint.owner_id)
        ).all()
    assert "notice_approval" in kinds


def test_an_operator_approves_a_landlord_and_invites_staff(portal: Portal) -> None:
    with portal.repo.unit_of_work() as uow:
        operator = uow.user_by_telegram_id(OPERATOR)
        uow.add_role(operator.id, Role.OPERATOR)
        pending = add_pending(uow)
    with portal.client() as client:
        portal.sign_in(client, OPERATOR)
        page = client.get("/portal/", follow_redirects=True)
        assert page.url.path == "/portal/admin" and "Waiting for approval" in page.text
        token = csrf_of(page.text)
        approved = client.post(f"/portal/admin/landlords/{pending}/approve", data={"csrf_token": token})
        assert approved.status_code == 200 and "Waiting for approval" not in approved.text
        invited = client.post(
            f"/portal/admin/landlords/{pending}/invite", data={"csrf_token": token, "role": "admin"}
        )
        code = re.search(r'<p class="code"><code>([A-Z0-9]+)</code>', invited.text)
        assert code is not None
    with portal.repo.unit_of_work() as uow:
        assert uow.access.landlord(pending).approved  # type: ignore[union-attr]
        newcomer = uow.user_by_telegram_id(5001)
        outcome, _ = uow.access.redeem(code.group(1), newcomer.id, NOW)
        assert outcome.value == "joined"
        assert uow.access.create_code(CodeKind.STAFF, operator.id, landlord_id=pending, scope="member")


def test_staff_cannot_reach_the_operators_pages(portal: Portal, staff: TestClient) -> None:
    token = csrf_of(staff.get("/portal/inbox").text)
    assert staff.get("/portal/admin").status_code == 404
    assert staff.post("/portal/admin/landlords/1/approve", data={"csrf_token": token}).status_code == 404


def test_a_link_by_email_goes_only_to_a_portal_user_and_the_page_says_the_same(
    portal: Portal, smtp_server: SmtpServer
) -> None:
    settings = portal.settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_security": "none"}
    )
    with portal.repo.unit_of_work() as uow:
        operator = uow.user_by_email("ops@fairsay.test")
        uow.add_role(operator.id, Role.OPERATOR)
        uow.user_by_email("resident@example.org")  # known, but not a portal user
    with TestClient(create_web_app(settings, portal.repo, clock=portal.clock), base_url=BASE) as client:
        answers = []
        for address in ("ops@fairsay.test", "resident@example.org", "nobody@example.org"):
            page = client.get("/portal/sign-in")
            answers.append(
                client.post("/portal/sign-in", data={"csrf_token": csrf_of(page.text), "email": address})
            )
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert len({re.sub(r'value="[^"]+"', "", a.text) for a in answers}) == 1
        assert [to for to, _ in smtp_server.inbox.messages] == [["ops@fairsay.test"]]
        mail = message_from_bytes(smtp_server.inbox.messages[0][1])
        body = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
        link = re.search(r"https://fairsay\.test(/portal/sign-in/\S+)", body)
        assert link is not None
        page = client.get(link.group(1))
        assert (
            client.post(
                link.group(1), data={"csrf_token": csrf_of(page.text)}, follow_redirects=True
            ).url.path
            == "/portal/admin"
        )


def add_pending(uow: object) -> int:
    from bot.storage.unit_of_work import UnitOfWork

    assert isinstance(uow, UnitOfWork)
    registrant = uow.user_by_telegram_id(6001)
    return uow.access.register_landlord(
        registrant.id,
        name="Northgate Homes",
        landlord_type="housing_association",
        registered_provider_number="L9999",
        council_name=None,
        complaint_email=None,
        homes=900,
    )


def events(repo: Repository, case_id: int) -> list[str]:
    with repo.unit_of_work() as uow:
        rows = uow.session.exec(
            select(CaseEventRow.kind)
            .where(col(CaseEventRow.case_id) == case_id)
            .order_by(col(CaseEventRow.position))
        )
        return list(rows)


def test_the_privacy_export_lists_sign_ins_without_their_secret(portal: Portal, staff: TestClient) -> None:
    with portal.repo.unit_of_work() as uow:
        archive = uow.export_everything(uow.user_by_telegram_id(STAFF).id)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        data = json.loads(opened.read("data.json"))
    assert len(data["portal_sign_ins"]) == 1
    assert data["portal_sign_ins"][0]["used_at"] is not None
    assert "token_hash" not in data["portal_sign_ins"][0]


def test_staff_of_a_landlord_awaiting_approval_are_told_so(portal: Portal) -> None:
    with portal.repo.unit_of_work() as uow:
        add_pending(uow)  # registered by Telegram user 6001
    with portal.client() as client:
        portal.sign_in(client, 6001)
        page = client.get("/portal/", follow_redirects=True)
        assert "waiting for a Fair Say operator to check it" in page.text
        assert client.get("/portal/inbox").status_code == 404


def ask_by_email(client: TestClient, address: str, **headers: str) -> int:
    return ask_by_email_page(client, address, **headers).status_code


def ask_by_email_page(client: TestClient, address: str, **headers: str) -> httpx.Response:
    page = client.get("/portal/sign-in/any")  # an anonymous form's token, with or without email on
    return client.post(
        "/portal/sign-in",
        data={"csrf_token": csrf_of(page.text), "email": address},
        headers={name.replace("_", "-"): value for name, value in headers.items()},
    )


def staff_with_email(portal: Portal, address: str = "team@westlea.example") -> str:
    with portal.repo.unit_of_work() as uow:
        staff = uow.user_by_telegram_id(STAFF)
        uow.session.get(UserRow, staff.id).email = address  # type: ignore[union-attr]
    return address


def links_of(portal: Portal, telegram_id: int) -> int:
    with portal.repo.unit_of_work() as uow:
        user_id = uow.user_by_telegram_id(telegram_id).id
        return len(
            uow.session.exec(select(PortalSignInRow).where(col(PortalSignInRow.user_id) == user_id)).all()
        )


def test_an_outsider_asking_for_links_cannot_lock_anyone_out(portal: Portal, smtp_server: SmtpServer) -> None:
    settings = portal.settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_security": "none"}
    )
    address = staff_with_email(portal)
    with TestClient(create_web_app(settings, portal.repo, clock=portal.clock), base_url=BASE) as client:
        assert [ask_by_email(client, address) for _ in range(8)] == [200] * 8
        # One email: the person holds a fresh link, so the other seven made nothing.
        assert len(smtp_server.inbox.messages) == 1
        # The operator's CLI and the person's own chat still make links at once.
        with portal.repo.unit_of_work() as uow:
            user = uow.user_by_telegram_id(STAFF)
            assert portal_link(uow, user, settings.portal_base_url, portal.clock.now())[0] == "ok"
        # And by email, once the link they hold is five minutes old: never an hour's lock.
        portal.clock.advance(timedelta(minutes=5, seconds=1))
        assert ask_by_email(client, address) == 200
        assert len(smtp_server.inbox.messages) == 2


@pytest.mark.parametrize(
    "address", ["team\x00@westlea.example", "team@westlea.example\x00", "\u202eteam@x.example"]
)
def test_an_address_with_control_characters_is_asked_again_not_a_500(
    portal: Portal, smtp_server: SmtpServer, address: str
) -> None:
    settings = portal.settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_security": "none"}
    )
    staff_with_email(portal)
    app = create_web_app(settings, portal.repo, clock=portal.clock)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        answer = ask_by_email_page(client, address)
    assert answer.status_code == 422, answer.text[:200]
    assert "Please enter your email address" in answer.text
    assert smtp_server.inbox.messages == []


def test_no_link_is_made_when_no_email_can_carry_it(portal: Portal) -> None:
    address = staff_with_email(portal)
    with portal.client() as client:
        assert ask_by_email(client, address) == 200  # the same page as ever
    assert links_of(portal, STAFF) == 0


def test_email_links_are_limited_per_client_address_behind_a_trusted_proxy_only(
    portal: Portal, smtp_server: SmtpServer
) -> None:
    settings = portal.settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_server.port,
            "smtp_security": "none",
            "trusted_proxies": "10.0.0.0/8",
        }
    )
    app = create_web_app(settings, portal.repo, clock=portal.clock)
    with TestClient(app, base_url=BASE, client=("203.0.113.5", 1)) as direct:
        # Not a trusted proxy: its X-Forwarded-For is the client's own invention.
        spoofed = [
            ask_by_email(direct, "x@example.org", x_forwarded_for=f"198.51.100.{n}") for n in range(20)
        ]
        assert spoofed == [200] * 20
        refused = ask_by_email_page(direct, "x@example.org", x_forwarded_for="198.51.100.99")
        assert refused.status_code == 429
        assert "Too many links were asked for from your network" in refused.text
    with TestClient(app, base_url=BASE, client=("10.0.0.2", 1)) as proxy:
        first = [ask_by_email(proxy, "x@example.org", x_forwarded_for="198.51.100.1") for _ in range(21)]
        assert first == [200] * 20 + [429]
        # Another client behind the same proxy is counted apart; a spoofed first hop changes nothing.
        assert ask_by_email(proxy, "x@example.org", x_forwarded_for="198.51.100.1, 198.51.100.2") == 200
        assert ask_by_email(proxy, "x@example.org", x_forwarded_for="198.51.100.2, 198.51.100.1") == 429


def test_text_fields_are_limited_to_a_few_kilobytes(portal: Portal, staff: TestClient) -> None:
    ref = portal.complaint.ref
    token = csrf_of(staff.get(f"/portal/cases/{ref}").text)
    answer = staff.post(f"/portal/cases/{ref}/decline", data={"csrf_token": token, "reason": "x" * 60_000})
    assert answer.status_code == 413 and "That was too large" in answer.text
    assert events(portal.repo, portal.complaint.case_id) == ["complaint_made"]


def test_a_chunked_upload_past_the_limit_is_refused_by_its_size_not_read_whole(
    portal: Portal, staff: TestClient
) -> None:
    ref = portal.complaint.ref
    token = csrf_of(staff.get(f"/portal/cases/{ref}").text)
    head = (
        f'--xyz\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        '--xyz\r\nContent-Disposition: form-data; name="response"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    pieces = [head, *[b"x" * 65_536] * 40, b"\r\n--xyz--\r\n"]  # 2.6 MB, no Content-Length
    answer = staff.post(
        f"/portal/cases/{ref}/respond",
        content=iter(pieces),
        headers={"Content-Type": "multipart/form-data; boundary=xyz"},
    )
    assert answer.status_code == 413 and "That was too large" in answer.text
    assert events(portal.repo, portal.complaint.case_id) == ["complaint_made"]


def test_the_case_page_names_every_part_for_the_landlord_and_none_for_another_body(
    portal: Portal, staff: TestClient
) -> None:
    """Broken as a landlord: a complaint about damp and anti-social behaviour (and the council's housing
    register, for the LGSCO) showed "About: Damp and mould" only."""
    routing = {
        "parts": [
            {"topic": "damp_mould", "aspect": "whole", "to_landlord": True},
            {"topic": "allocations", "aspect": "whole", "to_landlord": False},
            {"topic": "antisocial_behaviour", "aspect": "whole", "to_landlord": True},
        ]
    }
    with portal.repo.unit_of_work() as uow:
        uow.update_case_details(portal.complaint.case_id, {"routing": routing})
    page = staff.get(f"/portal/cases/{portal.complaint.ref}")
    assert "<dd>Damp and mould; Anti-social behaviour</dd>" in page.text
    assert "housing register" not in page.text


def test_staff_can_check_their_letter_against_the_code_before_recording_it(
    portal: Portal, staff: TestClient
) -> None:
    from support.letter_files import text_pdf

    ref = portal.complaint.ref
    token = csrf_of(staff.get(f"/portal/cases/{ref}").text)
    staff.post(f"/portal/cases/{ref}/acknowledge", data={"csrf_token": token, "date": "2026-03-10"})
    letter = (
        "Westlea Housing\n\nDate: 12 March 2026\n\nDear Ms Okafor\n\nStage 1 response\n\n"
        "You complained about the mould. We uphold your complaint because the survey was late.\n\n"
        "We apologise and will pay you £100. A contractor will treat the wall on 20 March 2026.\n\nYours sincerely"
    )
    checked = staff.post(
        f"/portal/cases/{ref}/respond",
        data={"csrf_token": token, "date": "2026-03-12", "check": "1"},
        files={"response": ("response.pdf", text_pdf(letter), "application/pdf")},
    )
    assert checked.status_code == 200
    assert "The letter is dated Thursday, 12 March 2026." in checked.text
    assert "This letter does not say: how to escalate to stage 2 (Code 6.9 (2024))." in checked.text
    assert "Nothing was recorded" in checked.text
    assert events(portal.repo, portal.complaint.case_id) == ["complaint_made", "acknowledged"]
    nothing = staff.post(f"/portal/cases/{ref}/respond", data={"csrf_token": token, "check": "1"})
    assert nothing.status_code == 422 and "Choose the letter to check." in nothing.text


def test_a_response_recorded_through_the_portal_is_checked_and_its_gaps_kept_for_the_resident(
    portal: Portal, staff: TestClient
) -> None:
    from support.letter_files import text_pdf

    from bot.services.case_records import case_record

    ref, case_id = portal.complaint.ref, portal.complaint.case_id
    token = csrf_of(staff.get(f"/portal/cases/{ref}").text)
    staff.post(f"/portal/cases/{ref}/acknowledge", data={"csrf_token": token, "date": "2026-03-10"})
    letter = "Date: 10 March 2026\n\nDear Ms Okafor\n\nStage 1 response\n\nWe uphold your complaint.\n\nYours sincerely"
    responded = staff.post(
        f"/portal/cases/{ref}/respond",
        data={"csrf_token": token, "date": "2026-03-10"},
        files={"response": ("response.pdf", text_pdf(letter), "application/pdf")},
    )
    assert responded.status_code == 200, re.findall(r"class=\"error\"[^>]*>([^<]*)", responded.text)
    assert "Recorded: your response" in responded.text
    with portal.repo.unit_of_work() as uow:
        gap = case_record(uow, case_id).details["response_gaps"]["1"]
        payloads = uow.session.exec(
            select(ReminderRow.payload).where(
                col(ReminderRow.user_id) == portal.complaint.owner_id,
                col(ReminderRow.kind) == "notice_landlord_update",
            )
        ).all()
    assert gap["rule"] == "Code 6.9 (2024)" and "how_to_escalate" in gap["missing"]
    assert "decision" not in gap["missing"]
    assert [p["gaps_stage"] for p in payloads] == [None, 1]  # the acknowledgement, the response


def test_an_extension_past_the_codes_cap_is_warned_and_needs_the_box_ticked(
    portal: Portal, staff: TestClient
) -> None:
    ref, case_id = portal.complaint.ref, portal.complaint.case_id
    token = csrf_of(staff.get(f"/portal/cases/{ref}").text)
    staff.post(f"/portal/cases/{ref}/acknowledge", data={"csrf_token": token, "date": "2026-03-10"})
    form = {"csrf_token": token, "new_due": "2026-05-29", "reason": "We need a damp survey first."}
    held = staff.post(f"/portal/cases/{ref}/extend", data=form)
    assert held.status_code == 422
    assert "working days after the Code&#39;s date" in held.text and "Code 6.4" in held.text
    assert 'name="confirm"' in held.text and ">We need a damp survey first.</textarea>" in held.text
    assert events(portal.repo, case_id) == ["complaint_made", "acknowledged"]
    confirmed = staff.post(f"/portal/cases/{ref}/extend", data=form | {"confirm": "yes"})
    assert confirmed.status_code == 200 and "Reason: We need a damp survey first." in confirmed.text
    assert events(portal.repo, case_id)[-1] == "stage1_extension"


def test_the_case_page_shows_who_the_resident_is_with_the_letter_and_evidence_one_click_away(
    portal: Portal, staff: TestClient
) -> None:
    page = staff.get(f"/portal/cases/{portal.complaint.ref}")
    assert page.status_code == 200
    top = page.text.split('id="complaint-heading"')[0]  # before the collapsed letter and the complaint
    for shown in (
        "Amina Okafor",
        "Flat 4, 12 Rowan Street, Leeds LS6 1AA",
        "WL-20417",
        "By email",
        "amina@example.org",
        "Please write to me: I am hard of hearing.",
    ):
        assert shown in top, shown
    assert (
        f'href="/portal/cases/{portal.complaint.ref}/letter-1.pdf"' in top
        and 'href="#evidence-heading"' in top
    )


def test_declining_a_stage_2_request_is_warned_and_needs_the_box_ticked(
    portal: Portal, staff: TestClient
) -> None:
    from datetime import date

    from bot.storage.records import EventSource
    from flows.case import CaseEvent, EventKind

    ref, case_id = portal.complaint.ref, portal.complaint.case_id
    with portal.repo.unit_of_work() as uow:
        for on, kind in (
            (date(2026, 3, 9), EventKind.ACKNOWLEDGED),
            (date(2026, 3, 10), EventKind.STAGE1_RESPONSE),
            (date(2026, 3, 10), EventKind.ESCALATION_REQUESTED),
        ):
            uow.append_event(case_id, CaseEvent(on, kind), EventSource.RESIDENT, portal.complaint.owner_id)
    token = csrf_of(staff.get(f"/portal/cases/{ref}").text)
    form = {"csrf_token": token, "reason": "Out of time."}
    held = staff.post(f"/portal/cases/{ref}/decline", data=form)
    assert held.status_code == 422 and "Code 6.10" in held.text and 'id="decline-confirm"' in held.text
    assert events(portal.repo, case_id)[-1] == "escalation_requested"
    declined = staff.post(f"/portal/cases/{ref}/decline", data=form | {"confirm": "yes"})
    assert declined.status_code == 200 and events(portal.repo, case_id)[-1] == "landlord_declined"


@pytest.mark.parametrize("page", ["²", "٣", "1.5", "99999999999"])
def test_a_page_that_is_not_a_plain_number_is_the_first_not_a_crash(staff: TestClient, page: str) -> None:
    """`str.isdigit` holds for "²", which `int` refuses: the inbox answered 500 to `?page=²`."""
    for path in ("/portal/inbox", "/portal/caseload"):
        answer = staff.get(path, params={"page": page})
        assert answer.status_code in (200, 404), (path, answer.status_code)
