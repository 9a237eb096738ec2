"""News for people other than the one acting: the resident (and their advocates) when the landlord
answers, the landlord's team when a complaint arrives, the resident when an advocate joins, an advocate's
daily digest.

A notice is written to the reminders table in the same transaction as the change it reports, and
sent by the reminder sender like any reminder (at least once, never in the night, retried). So the
news cannot be lost by a crash between "recorded" and "told", and it is written in the reader's
language when it goes out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.case_records import case_record
from bot.storage import case_lists
from bot.storage.records import DueReminder, User
from bot.storage.unit_of_work import NOTICE_PREFIX, UnitOfWork
from flows.case import CaseEvent, EventKind
from flows.conversations.chosen_case import timeline_of
from flows.conversations.people import digest_of_rows
from flows.conversations.router import approve_button_data, case_button_data
from flows.conversations.tracking import deadline_summary
from flows.conversations.types import Button, Document, Reply
from flows.i18n import Translator
from flows.landlord_actions import update_message
from flows.response_check import noted_gaps_message
from flows.sent_mail import failed_message, sent_message
from flows.submissions import submission_buttons, submission_message

DIGEST_KEY = "digest"

_ALL = 100_000  # a helper's whole caseload in one summary (read a page at a time elsewhere)


class NoticeKind(StrEnum):
    LANDLORD_UPDATE = NOTICE_PREFIX + "landlord_update"  # to the resident and their advocates
    SUBMISSION = NOTICE_PREFIX + "submission"  # to the landlord's complaints team
    ADVOCATE_LINKED = NOTICE_PREFIX + "helper_linked"  # to the resident
    DIGEST = NOTICE_PREFIX + "digest"  # to an advocate, daily
    APPROVAL = NOTICE_PREFIX + "approval"  # to the resident: an advocate proposes a step
    CALL_ME = (
        NOTICE_PREFIX + "call_me"
    )  # to an advocate: the resident would like to talk (with their consent)
    LANDLORD_APPROVED = NOTICE_PREFIX + "landlord_approved"  # to a landlord's team: an operator approved it
    # To the resident: the relay accepted the complaint Fair Say emailed; or it could not be sent.
    MAIL_SENT = NOTICE_PREFIX + "mail_sent"
    MAIL_FAILED = NOTICE_PREFIX + "mail_failed"
    MAIL_RECEIVED = NOTICE_PREFIX + "mail_received"  # to the resident: an email came back (bot.mail)
    MAIL_BOUNCED = NOTICE_PREFIX + "mail_bounced"  # to the resident: their complaint email bounced


def queue(
    uow: UnitOfWork,
    user_id: int,
    kind: NoticeKind,
    key: str,
    now: datetime,
    *,
    case_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    uow.schedule_reminder(
        user_id, kind.value, now, f"{kind.value}:{key}:{user_id}", case_id=case_id, payload=payload or {}
    )


def schedule_digest(uow: UnitOfWork, user: User, now: datetime) -> None:
    """The advocate's next daily summary, at their hour (local time), strictly after now."""
    if user.digest_hour is None:
        return
    local = now.astimezone(ZoneInfo(user.time_zone))
    at = local.replace(hour=user.digest_hour, minute=0, second=0, microsecond=0)
    if at <= local:
        at += timedelta(days=1)
    queue(uow, user.id, NoticeKind.DIGEST, f"{DIGEST_KEY}:{at.date().isoformat()}", at)


def tell_staff_of_approval(uow: UnitOfWork, landlord_id: int, now: datetime) -> int:
    """Each member of a newly approved landlord's team hears it (in their language, when it goes out)."""
    team = [user for user in uow.access.staff_of(landlord_id) if user.id is not None]
    for user in team:
        assert user.id is not None
        queue(uow, user.id, NoticeKind.LANDLORD_APPROVED, f"landlord:{landlord_id}", now)
    return len(team)


def tell_resident_and_advocates(
    uow: UnitOfWork, case_id: int, key: str, now: datetime, payload: dict[str, Any]
) -> int:
    """A landlord's answer, for the case's owner and every advocate linked to it now; how many told."""
    summary = uow.case_summary(case_id)
    people = [summary.owner_user_id] + [link.advocate_user_id for link in uow.access.links_of_case(case_id)]
    for user_id in people:
        queue(uow, user_id, NoticeKind.LANDLORD_UPDATE, key, now, case_id=case_id, payload=payload)
    return len(people)


# --- writing them, when they go out -----------------------------------------------------------------


def compose(uow: UnitOfWork, reminder: DueReminder, user: User, t: Translator, today: Any) -> Reply | None:
    """The message for a notice in the reader's language; None if there is nothing to say any more."""
    p = reminder.payload
    ref = str(p.get("case", ""))
    if reminder.kind == NoticeKind.LANDLORD_UPDATE:
        if reminder.case_id is None or not _may_see(uow, reminder.case_id, user.id):
            return None  # the advocate's link was revoked meanwhile
        event = CaseEvent(
            datetime.fromisoformat(p["date"]).date(),
            EventKind(p["event"]),
            new_due=datetime.fromisoformat(p["new_due"]).date() if p.get("new_due") else None,
        )
        case = uow.load_case(reminder.case_id)
        text = update_message(event, str(p.get("landlord", "")), ref, p.get("reason"), case, today, t)
        if p.get(
            "gaps_stage"
        ):  # the response letter was checked against the Code (bot.services.landlord_actions)
            gap = (case_record(uow, reminder.case_id).details.get("response_gaps") or {}).get(
                str(p["gaps_stage"])
            )
            if gap and (left_out := noted_gaps_message(gap, int(p["gaps_stage"]), t)) is not None:
                text += "\n\n" + left_out
        document = _response_document(uow, reminder.case_id, p.get("sha256"))
        button = Button(case_button_data(ref), t.gettext("Open the complaint"))
        return Reply(text, ((button,),), document)
    if reminder.kind == NoticeKind.SUBMISSION:
        if reminder.case_id is None or user.landlord_id is None:
            return None
        summary = uow.case_summary(reminder.case_id)
        if summary.landlord_id != user.landlord_id:
            return None  # the person left the landlord's team meanwhile
        stage = int(p.get("stage", 1))
        record = case_record(uow, reminder.case_id)
        profile = uow.profile(summary.owner_user_id)
        text = submission_message(
            ref, stage, record.case, record.details, today, t, profile, len(record.evidence)
        )
        return Reply(text, submission_buttons(ref, t))
    if reminder.kind in (NoticeKind.MAIL_SENT, NoticeKind.MAIL_FAILED):
        if reminder.case_id is None or uow.case_summary(reminder.case_id).owner_user_id != user.id:
            return None
        button = Button(case_button_data(ref), t.gettext("Open the complaint"))
        if reminder.kind == NoticeKind.MAIL_FAILED:
            return Reply(failed_message(str(p.get("to", "")), p.get("reply"), t), ((button,),))
        stage = int(p.get("stage", 1))
        proof = (uow.case_details(reminder.case_id).get("sent_by_email") or {}).get(str(stage))
        if proof is None or proof.get("bounced_at"):
            return None  # the record was corrected meanwhile, or it bounced (that notice says so)
        record = case_record(uow, reminder.case_id)
        text = sent_message(proof, stage, ref, t) + "\n\n" + deadline_summary(timeline_of(record, today), t)
        return Reply(text, ((button,),))
    if reminder.kind == NoticeKind.LANDLORD_APPROVED:
        if user.landlord_id is None:
            return None  # the person left the team meanwhile
        landlord = uow.access.landlord(user.landlord_id)
        if landlord is None or not landlord.approved:
            return None
        return Reply(
            t.gettext(
                "{landlord} is approved: complaints residents send through Fair Say now come to you here, with "
                "the buttons to answer them. /inbox lists them; /portal gives you the web portal."
            ).format(landlord=landlord.name)
        )
    if reminder.kind == NoticeKind.ADVOCATE_LINKED:
        scope = t.gettext("see it and act for you") if p.get("scope") == "act" else t.gettext("see it")
        text = t.gettext(
            "{name} entered your code and can now {scope} (complaint {ref}). If that is not who you meant, "
            "remove them at once with /helpers."
        ).format(name=_advocate_name(uow, p.get("helper"), t), scope=scope, ref=ref)
        return Reply(text)
    if reminder.kind == NoticeKind.APPROVAL:
        if reminder.case_id is None or uow.case_summary(reminder.case_id).owner_user_id != user.id:
            return None
        name = _advocate_name(uow, p.get("helper"), t)
        if p.get("what") == "referral":
            text = t.gettext(
                "{name} suggests taking complaint {ref} to the Housing Ombudsman. Nothing is sent until you go "
                "through it and agree."
            ).format(name=name, ref=ref)
        else:
            text = t.gettext(
                "{name} suggests asking for stage 2 of complaint {ref}. Nothing is sent until you go through it "
                "and agree."
            ).format(name=name, ref=ref)
        button = Button(approve_button_data(str(p.get("what")), ref), t.gettext("Go through it now"))
        return Reply(text, ((button,),))
    if reminder.kind == NoticeKind.CALL_ME:
        if reminder.case_id is None or not _may_see(uow, reminder.case_id, user.id):
            return None  # the resident removed this advocate meanwhile
        text = t.gettext(
            "The resident you help with complaint {ref} would like to talk to a person, and asked me to let you "
            "know. Please get in touch with them soon."
        ).format(ref=ref)
        return Reply(text, ((Button(case_button_data(ref), t.gettext("Open the complaint")),),))
    if reminder.kind in (NoticeKind.MAIL_RECEIVED, NoticeKind.MAIL_BOUNCED):
        if reminder.case_id is None or uow.case_summary(reminder.case_id).owner_user_id != user.id:
            return None
        from bot.mail.notices import mail_notice  # bot.mail imports this module

        return mail_notice(uow, reminder.case_id, int(p.get("email_id", 0)), reminder.kind, t, user.time_zone)
    if reminder.kind == NoticeKind.DIGEST:
        schedule_digest(uow, user, reminder.due_at + timedelta(minutes=1))  # the next day's, as this one goes
        shared = case_lists.advocate_cases(uow.session.connection(), user.id, today, page_size=_ALL)
        digest = digest_of_rows((listed.row(today) for listed in shared.cases), today, t)
        return Reply(digest, ((Button("/cases", t.gettext("Open my caseload")),),)) if digest else None
    return None


def _advocate_name(uow: UnitOfWork, user_id: object, t: Translator) -> str:
    advocate = uow.user(user_id) if isinstance(user_id, int) else None
    return (advocate.display_name if advocate is not None else None) or t.gettext("Your helper")


def _may_see(uow: UnitOfWork, case_id: int, user_id: int) -> bool:
    return (
        uow.case_summary(case_id).owner_user_id == user_id
        or uow.access.advocate_scope(case_id, user_id) is not None
    )


def _response_document(uow: UnitOfWork, case_id: int, sha256: object) -> Document | None:
    if not isinstance(sha256, str):
        return None
    for item in uow.evidence_of(case_id):
        if item.sha256 == sha256:
            return Document(
                item.original_name or "response.pdf", uow.evidence.read(item.stored_path), item.mime_type
            )
    return None
