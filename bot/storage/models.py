"""The tables. Rows are named `...Row` so they never pass for the domain's objects (`flows.case.Case`).

Conventions: UTC timestamps (`UtcDateTime`), JSON documents (`JsonDocument`), enums stored as their
text values, named constraints (Alembic's batch mode on SQLite needs the names), and ON DELETE
actions in the database itself, so deleting a user or a case removes what cannot outlive it even
when the delete is one SQL statement.

Personal data lives only in: users.email/display_name/profile, cases.details/subject/landlord_name,
case_events.note,
conversations.answers, evidence files (and their original_name), inbox.payload and outbox.reply/document
(until pruned). Never in audit_log.
"""

from __future__ import annotations

import datetime as dt  # dt.date: a column named `date` would shadow the type
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, LargeBinary, MetaData, Text, UniqueConstraint, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from bot.storage.column_types import JsonDocument, RoleSet, UtcDateTime, utcnow
from bot.storage.records import IDLE, Role

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TableBase(SQLModel, registry=registry(metadata=metadata)):
    """Our own metadata (not SQLModel's global one), so only these tables are migrated."""


# SQLite reuses the largest rowid after a delete unless told not to: a deleted user's id must never
# come back as somebody else's (old audit entries and exports name ids).
_NEVER_REUSE_IDS = {"sqlite_autoincrement": True}

# The due scan reads only reminders still pending; this partial index holds just those.
PENDING = "sent_at IS NULL AND cancelled_at IS NULL"
# The inbox reads a landlord's open cases by their nearest deadline; this partial index holds just those.
OPEN_CASE = "closed_at IS NULL"


class UserRow(TableBase, table=True):
    __tablename__ = "users"
    __table_args__ = (_NEVER_REUSE_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    email: str | None = Field(default=None, max_length=320, unique=True)
    language: str = Field(default="en", max_length=16)
    time_zone: str = Field(default="Europe/London", max_length=64)
    roles: frozenset[Role] = Field(default=frozenset({Role.RESIDENT}), sa_type=RoleSet)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    # Asked once, reused in every letter: name, address, tenancy reference, how to be contacted.
    profile: dict[str, Any] = Field(
        default_factory=dict, sa_type=JsonDocument, sa_column_kwargs={"server_default": text("'{}'")}
    )
    # How an advocate or a landlord's staff member is named to the people they work with.
    display_name: str | None = Field(default=None, max_length=120)
    # Landlord staff: their organisation, and "admin" (may invite colleagues) or "member".
    landlord_id: int | None = Field(default=None, foreign_key="landlords.id", ondelete="SET NULL", index=True)
    staff_role: str | None = Field(default=None, max_length=16)
    digest_hour: int | None = None  # advocates: the local hour of their daily digest, if they want one


class LandlordRow(TableBase, table=True):
    __tablename__ = "landlords"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    landlord_type: str = Field(max_length=32)
    registered_provider_number: str | None = Field(default=None, max_length=16, unique=True)
    council_name: str | None = Field(default=None, max_length=200)
    policy: dict[str, Any] = Field(default_factory=dict, sa_type=JsonDocument)  # LandlordPolicy fields
    contact_routes: dict[str, Any] = Field(default_factory=dict, sa_type=JsonDocument)
    approved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # checked by an operator
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    homes: int | None = None  # for the Regulator's complaints per 1,000 homes (CH01)
    complaint_email: str | None = Field(default=None, max_length=320)
    webhook_url: str | None = Field(default=None, max_length=500)
    webhook_secret: str | None = Field(default=None, max_length=128)  # signs what we send (HMAC-SHA256)
    api_key_hash: str | None = Field(default=None, max_length=64, unique=True)  # their systems' key, hashed


class CaseRow(TableBase, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        Index(
            "ix_cases_open_by_due",
            "landlord_id",
            "next_due",
            "public_ref",
            sqlite_where=text(OPEN_CASE),
            postgresql_where=text(OPEN_CASE),
        ),
        Index("ix_cases_clocks_stamp", "landlord_id", "clocks_stamp"),
        _NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    public_ref: str = Field(max_length=8, unique=True)
    owner_user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    landlord_id: int | None = Field(default=None, foreign_key="landlords.id", ondelete="SET NULL", index=True)
    nation: str = Field(max_length=20)
    code_choice: str = Field(max_length=8)
    landlord_type: str | None = Field(default=None, max_length=200)  # a LandlordType, or free text
    subject: str | None = Field(default=None, sa_type=Text)
    landlord_name: str | None = Field(default=None, max_length=200)
    landlord_policy: dict[str, Any] = Field(default_factory=dict, sa_type=JsonDocument)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JsonDocument)  # the resident's answers
    lifecycle_state: str = Field(max_length=40)  # cached: recomputed from the events on every append
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    # Kept clocks (issue 28, bot.storage.clocks): the nearest open deadline, and what the case's
    # clocks were computed with (flows.clocks.clocks_stamp); NULL: to be computed.
    next_due: dt.date | None = None
    clocks_stamp: str | None = Field(default=None, max_length=32)


class CaseClockRow(TableBase, table=True):
    """An open deadline of a case, kept: written with every event, read by the inbox and the reports.
    "Missed" is `due < today`, worked out when read, never kept."""

    __tablename__ = "case_clocks"

    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE", primary_key=True)
    deadline: str = Field(max_length=32, primary_key=True)  # a DeadlineId
    due: dt.date
    citation: str = Field(max_length=64)


class CaseStageRow(TableBase, table=True):
    """A complaint stage's figures for the compliance report, kept like the clocks (flows.clocks.KeptStage)."""

    __tablename__ = "case_stages"

    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE", primary_key=True)
    stage: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    began_on: dt.date | None = None
    received_on: dt.date | None = None
    acknowledged_on: dt.date | None = None
    responded_on: dt.date | None = None
    response_due: dt.date | None = None
    response_status: str = Field(max_length=32)  # a DeadlineStatus value, or "open"
    working_days_late: int | None = None


class CaseEventRow(TableBase, table=True):
    """Append-only: a correction is a new event, never an edit."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    position: int  # order of recording within the case, from 0
    date: dt.date
    kind: str = Field(max_length=32)
    new_due: dt.date | None = None
    extra_working_days: int | None = None
    reasons_given: bool = False
    source: str = Field(max_length=16)
    recorded_by_user_id: int | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    note: str | None = Field(default=None, sa_type=Text)
    # A correction names the event it corrects by its position: with the same kind and a new date it
    # replaces it; kind "removed" takes it out; kind "disputed" keeps it, noting the resident disputes
    # it (what the landlord recorded is disputed, never removed). See `mapping.effective_events`.
    replaces: int | None = None


class ConversationRow(TableBase, table=True):
    """The single source of truth of where a user's conversation stands (one row per user)."""

    __tablename__ = "conversations"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", unique=True)
    flow: str = Field(default=IDLE, max_length=64)
    state: str = Field(default=IDLE, max_length=64)
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JsonDocument)
    case_id: int | None = Field(default=None, foreign_key="cases.id", ondelete="SET NULL", index=True)
    version: int = 0  # optimistic concurrency: every save is UPDATE ... WHERE version = :read
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class InboxRow(TableBase, table=True):
    """A Telegram update, stored before Telegram is told we have it (bot/inbox.py). `handled_at` is
    set in the same transaction as the update's effects, so it is handled fully once or not at all.
    `payload` is the update as Telegram sent it (personal data: erased with its sender, pruned)."""

    __tablename__ = "inbox"

    update_id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    telegram_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    payload: dict[str, Any] | None = Field(default=None, sa_type=JsonDocument)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attempts: int = 0
    handled_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)


class OutboxRow(TableBase, table=True):
    """A reply to send, written in the same transaction as the change it answers; sent in `id` order
    per chat, at least once (bot/inbox.py)."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    reply: dict[str, Any] = Field(sa_type=JsonDocument)  # text, title, buttons, document name and type
    document: bytes | None = Field(default=None, sa_type=LargeBinary)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attempts: int = 0
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)


class ReminderRow(TableBase, table=True):
    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_due", "due_at", sqlite_where=text(PENDING), postgresql_where=text(PENDING)),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=40)
    due_at: datetime = Field(sa_type=UtcDateTime)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JsonDocument)  # ids and kinds
    dedupe_key: str = Field(max_length=200, unique=True)
    claimed_by: str | None = Field(default=None, max_length=100)
    # A claim's lease: nobody else may claim it before then. After a failure, the backoff's end.
    claimed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attempts: int = 0
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = Field(default=None, max_length=500)


class AdvocateLinkRow(TableBase, table=True):
    __tablename__ = "advocate_links"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE", index=True)
    advocate_user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    scope: str = Field(max_length=8)
    consent_given_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class EvidenceFileRow(TableBase, table=True):
    """One row per file per case; the bytes live once on disk at EVIDENCE_DIR/<stored_path>."""

    __tablename__ = "evidence_files"
    __table_args__ = (UniqueConstraint("case_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    telegram_file_id: str | None = Field(default=None, max_length=200)
    sha256: str = Field(max_length=64, index=True)
    size: int = Field(sa_type=BigInteger)
    mime_type: str = Field(max_length=100)
    stored_path: str = Field(max_length=200)
    original_name: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class AuditEntryRow(TableBase, table=True):
    """Who did what to which case: ids and kinds only, never message content or personal data."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id", ondelete="SET NULL", index=True)
    actor_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL", index=True)
    action: str = Field(max_length=40)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JsonDocument)


class InviteRow(TableBase, table=True):
    """A one-time code: a resident's consent for an advocate ("consent"), or a landlord's invitation to
    a colleague ("staff"). Only the code's hash is kept; it expires and works once."""

    __tablename__ = "invites"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=8)
    case_id: int | None = Field(default=None, foreign_key="cases.id", ondelete="CASCADE", index=True)
    landlord_id: int | None = Field(default=None, foreign_key="landlords.id", ondelete="CASCADE", index=True)
    scope: str | None = Field(default=None, max_length=8)  # consent: view/act; staff: admin/member
    created_by_user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    used_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class CodeAttemptRow(TableBase, table=True):
    """Codes a person typed that did not work: counted so guessing codes is slowed to a crawl."""

    __tablename__ = "code_attempts"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, index=True)


class SubmissionRow(TableBase, table=True):
    """A complaint (or stage 2 request) delivered to an onboarded landlord through one of its routes."""

    __tablename__ = "submissions"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE", index=True)
    landlord_id: int = Field(foreign_key="landlords.id", ondelete="CASCADE", index=True)
    stage: int
    channel: str = Field(max_length=16)  # telegram, email, webhook
    idempotency_key: str = Field(max_length=64, unique=True)
    status: str = Field(default="pending", max_length=16)  # pending, delivered, failed
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, index=True)
    last_error: str | None = Field(default=None, max_length=200)
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class PortalSignInRow(TableBase, table=True):
    """A one-time sign-in link to the web portal and, once used, the session it opened. Only the
    link's hash is kept; the link works once, within minutes; signing out ends the session."""

    __tablename__ = "portal_sign_ins"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class CaseReplyAddressRow(TableBase, table=True):
    """A case's reply address: `case-<token>@<MAIL_REPLY_DOMAIN>` (bot.mail.addresses). The token is
    unguessable (130 bits from `secrets`) and lowercase, because mail systems often fold the case of
    local parts; mail to a token nobody holds is refused at the SMTP dialogue."""

    __tablename__ = "case_reply_addresses"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE", unique=True)
    token: str = Field(max_length=32, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class CaseEmailRow(TableBase, table=True):
    """One email of a case, either way: "out" (sent for the resident: the complaint) or "in" (what came
    back to the case's reply address: a reply, an automatic reply, a delivery status notification).

    status, out: queued, accepted (the relay took it: `accepted_at`, `queue_id`, `relay_reply` are the
    proof), delivered, delayed, bounced, failed (never accepted). in: received (stored; `forwarded_at`
    says when the resident was shown it), confirmed (their tap recorded the event), dismissed ("Not
    that"; the mail is kept), refused (kept for the record only: a delivery report nothing matched).
    Personal data: addresses, subject, body_text (erased with the case)."""

    __tablename__ = "case_emails"
    __table_args__ = (_NEVER_REUSE_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE", index=True)
    direction: str = Field(max_length=3)  # "out" or "in"
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    # The Date header as sent (the day a reply counts from), or for "out" the time we composed it.
    mail_date: datetime | None = Field(default=None, sa_type=UtcDateTime)
    message_id: str | None = Field(default=None, max_length=500, index=True)  # with its <>
    in_reply_to: str | None = Field(default=None, max_length=500)
    from_address: str | None = Field(default=None, max_length=320)
    to_address: str | None = Field(default=None, max_length=320)
    subject: str | None = Field(default=None, sa_type=Text)
    body_text: str | None = Field(default=None, sa_type=Text)
    raw_sha256: str | None = Field(default=None, max_length=64)  # of the message as sent/received
    raw_size: int | None = Field(default=None, sa_type=BigInteger)
    status: str = Field(max_length=16)
    status_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    # Out: the relay's answer to DATA and the queue id read from it; the RFC 3461 ENVID we gave it.
    relay_reply: str | None = Field(default=None, max_length=1000)
    queue_id: str | None = Field(default=None, max_length=100)
    accepted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    envelope_id: str | None = Field(default=None, max_length=100, index=True)
    dsn_requested: bool = False
    # A delivery status notification's word on an "out" row: Status (5.1.1) and the diagnostic.
    delivery_status: str | None = Field(default=None, max_length=16)
    delivery_diagnostic: str | None = Field(default=None, max_length=1000)
    # In: acknowledgement, extension, response, other (flows.mail_replies); automatic replies (RFC 3834,
    # out of office) are flagged and never offered as an acknowledgement.
    classification: str | None = Field(default=None, max_length=16)
    auto_submitted: bool = False
    # In: the "out" email a delivery report or a reply is about, when known.
    about_email_id: int | None = Field(default=None, foreign_key="case_emails.id", ondelete="SET NULL")
    forwarded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # the resident's notice queued
    # In: attachments refused (disguised, unsupported, too large): [{"name": ..., "reason": ...}].
    refused_attachments: list[Any] = Field(
        default_factory=list, sa_type=JsonDocument, sa_column_kwargs={"server_default": text("'[]'")}
    )


class CaseEmailAttachmentRow(TableBase, table=True):
    """An email's attachments, as the case's evidence (the bytes once, with their SHA-256)."""

    __tablename__ = "case_email_attachments"

    email_id: int = Field(foreign_key="case_emails.id", ondelete="CASCADE", primary_key=True)
    evidence_id: int = Field(
        foreign_key="evidence_files.id", ondelete="CASCADE", primary_key=True, index=True
    )
    position: int = 0  # order in the mail


class CaseEmailSendRow(TableBase, table=True):
    """The sending of an "out" case email (bot.delivery.resident_sending): the resident's consent, the
    durable delivery's attempts and lease, and the recipient folded to lower case for the limits."""

    __tablename__ = "case_email_sends"
    __table_args__ = (
        Index("ix_case_email_sends_user_id_created_at", "user_id", "created_at"),
        Index("ix_case_email_sends_recipient_created_at", "recipient", "created_at"),
    )

    email_id: int = Field(foreign_key="case_emails.id", ondelete="CASCADE", primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    stage: int
    recipient: str = Field(max_length=320)
    consent_at: datetime = Field(sa_type=UtcDateTime)
    consent_version: str = Field(max_length=40)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UtcDateTime, index=True)
    last_error: str | None = Field(default=None, max_length=200)
    left_out: list[Any] = Field(
        default_factory=list, sa_type=JsonDocument, sa_column_kwargs={"server_default": text("'[]'")}
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class MailSendTallyRow(TableBase, table=True):
    """One complaint emailed for a resident, as the limits count it (bot.delivery.resident_sending):
    a SHA-256 of what is limited and when, naming no one, so /delete does not reset the limits."""

    __tablename__ = "mail_send_tally"
    __table_args__ = (Index("ix_mail_send_tally_key_created_at", "key", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)
