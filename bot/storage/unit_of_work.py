"""One transaction for one incoming update: everything a handler reads and writes for it.

Get one from `Repository.unit_of_work()`; it commits when the `with` block ends and rolls back if
the block raises. Methods hand out plain objects (`records`, `flows.case.Case`), never live rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Executable, update
from sqlmodel import Session, col, select

from bot.holidays import configured_extra_holidays
from bot.storage import clocks, inbox, privacy, queries
from bot.storage.access import Access
from bot.storage.column_types import utcnow
from bot.storage.dialects import insert_or_conflict, lock_file_hash
from bot.storage.errors import ConcurrentUpdate, NotFound
from bot.storage.evidence import EvidenceStore, clean_file_name
from bot.storage.mapping import (
    DISPUTED,
    REMOVED,
    effective_events,
    policy_to_json,
    recorded_events,
    to_case,
    to_case_event,
    to_case_summary,
    to_conversation,
    to_evidence,
    to_user,
)
from bot.storage.models import (
    CaseEmailRow,
    CaseEmailSendRow,
    CaseEventRow,
    CaseRow,
    ConversationRow,
    EvidenceFileRow,
    ReminderRow,
    UserRow,
)
from bot.storage.records import (
    IDLE,
    CaseSummary,
    Conversation,
    EventSource,
    HistoryEntry,
    Role,
    StoredEvidence,
    User,
)
from bot.storage.refs import new_public_ref, normalise_ref
from bot.storage.sign_ins import SignIns
from flows.case import Case, CaseEvent, CodeChoice, EventKind, LandlordPolicy
from flows.clocks import clocks_stamp
from flows.conversations.types import Reply
from flows.lifecycle import State
from flows.working_days import Nation

NOTICE_PREFIX = "notice_"

# An audit detail value: an id, a count, a flag, or a kind ("stage1_response") — never free text.
_AUDIT_TOKEN = re.compile(r"[A-Za-z0-9_.:/-]{0,64}")


class UnitOfWork:
    def __init__(
        self,
        session: Session,
        evidence: EvidenceStore,
        default_time_zone: str,
        clock_offset: timedelta = timedelta(0),
    ) -> None:
        self.session = session
        self.clock_offset = clock_offset  # the database's clock less this machine's (for leases)
        self.evidence = evidence
        self.default_time_zone = default_time_zone
        self.files_created: list[str] = []  # hashes written by this unit, removed again on rollback
        self._connection: Connection | None = None

    @property
    def access(self) -> Access:
        """Codes, advocates' links, landlords and their staff, submissions (bot.storage.access)."""
        return Access(self.session, self.audit)

    @property
    def sign_ins(self) -> SignIns:
        """The web portal's one-time sign-in links and sessions (bot.storage.sign_ins)."""
        return SignIns(self.session, self.audit)

    # Users and conversations ----------------------------------------------------------------------

    def user(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        return to_user(row) if row is not None else None

    def user_by_telegram_id(self, telegram_id: int, language: str = "en") -> User:
        """The user with this Telegram id, created (as a resident, in `language`) on first contact."""
        row = self._run(queries.USER_BY_TELEGRAM_ID, telegram_id=telegram_id).first()
        if row is None:
            # Two first messages at once from one person: ON CONFLICT keeps one user, not an error.
            insert = insert_or_conflict(self.session, UserRow).values(
                telegram_id=telegram_id,
                language=language,
                time_zone=self.default_time_zone,
                roles=frozenset({Role.RESIDENT}),
                created_at=utcnow(),
            )
            self.session.execute(insert.on_conflict_do_nothing(index_elements=["telegram_id"]))
            row = self._run(queries.USER_BY_TELEGRAM_ID, telegram_id=telegram_id).one()
        return to_user(row)

    def user_with_telegram_id(self, telegram_id: int) -> User | None:
        """The user with this Telegram id, if there is one (never creates one)."""
        row = self._run(queries.USER_BY_TELEGRAM_ID, telegram_id=telegram_id).first()
        return to_user(row) if row is not None else None

    def mark_update_handled(self, update_id: int) -> bool:
        """True the first time; False for an update already handled (a redelivery, or another instance)."""
        return inbox.mark_handled(self._connection_now(), update_id, utcnow())

    def queue_replies(self, chat_id: int, replies: list[Reply], claimer: str, lease: timedelta) -> list[int]:
        """The replies into the outbox, in this transaction: none goes out unless it commits."""
        now = utcnow() + self.clock_offset  # a lease other machines compare with theirs
        return inbox.queue(self._connection_now(), chat_id, replies, claimer, now, lease)

    def conversation(self, user_id: int) -> Conversation:
        """Where the user's conversation stands (a new, idle one on first use)."""
        row = self._run(queries.CONVERSATION_OF, user_id=user_id).first()
        if row is None:
            insert = insert_or_conflict(self.session, ConversationRow).values(
                user_id=user_id, flow=IDLE, state=IDLE, answers={}, version=0, updated_at=utcnow()
            )
            self.session.execute(insert.on_conflict_do_nothing(index_elements=["user_id"]))
            row = self._run(queries.CONVERSATION_OF, user_id=user_id).one()
        return to_conversation(row)

    def save_conversation(self, conversation: Conversation) -> None:
        """Save if nobody else saved since it was read, else raise ConcurrentUpdate (and change nothing).
        On success `conversation.version` moves on, so the same object can be saved again."""
        result = self._run(
            queries.SAVE_CONVERSATION,
            for_user_id=conversation.user_id,
            read_version=conversation.version,
            new_flow=conversation.flow,
            new_state=conversation.state,
            new_answers=conversation.answers,
            new_case_id=conversation.case_id,
            now=utcnow(),
        )
        if result.rowcount != 1:
            raise ConcurrentUpdate(f"conversation of user {conversation.user_id} changed since it was read")
        conversation.version += 1

    def _run(self, statement: Executable, **parameters: Any) -> CursorResult[Any]:
        """A prepared Core statement (bot.storage.queries) in this unit's transaction."""
        return self._connection_now().execute(statement, parameters)

    def _connection_now(self) -> Connection:
        if self._connection is None:
            self._connection = self.session.connection()  # the same one until the unit ends
        return self._connection

    # The person's own settings and details ----------------------------------------------------------

    LOCAL_EMAIL = "terminal@localhost"  # the one user of the terminal chat on this machine

    def local_user(self, language: str = "en") -> User:
        """The terminal chat's user (there is one per database), created on first use."""
        row = self.session.exec(select(UserRow).where(col(UserRow.email) == self.LOCAL_EMAIL)).first()
        if row is None:
            row = UserRow(email=self.LOCAL_EMAIL, language=language, time_zone=self.default_time_zone)
            self.session.add(row)
            self.session.flush()
        return to_user(row)

    def user_by_email(self, email: str) -> User:
        """The user with this email address (the web portal's sign-in), created on first use."""
        address = email.strip().lower()
        row = self.session.exec(select(UserRow).where(col(UserRow.email) == address)).first()
        if row is None:
            row = UserRow(email=address, time_zone=self.default_time_zone)
            self.session.add(row)
            self.session.flush()
        return to_user(row)

    def user_with_email(self, email: str) -> User | None:
        """The user with this email address, if there is one (never creates one)."""
        address = email.strip().lower()
        row = self.session.exec(select(UserRow).where(col(UserRow.email) == address)).first()
        return to_user(row) if row is not None else None

    def _user_row(self, user_id: int) -> UserRow:
        row = self.session.get(UserRow, user_id)
        if row is None:
            raise NotFound(f"user {user_id}")
        return row

    def set_language(self, user_id: int, language: str) -> None:
        self._user_row(user_id).language = language

    def set_display_name(self, user_id: int, name: str | None) -> None:
        self._user_row(user_id).display_name = name

    def set_digest_hour(self, user_id: int, hour: int | None) -> None:
        self._user_row(user_id).digest_hour = hour

    def add_role(self, user_id: int, role: Role) -> None:
        row = self._user_row(user_id)
        row.roles = frozenset({*row.roles, Role(role)})

    def profile(self, user_id: int) -> dict[str, Any]:
        return dict(self._user_row(user_id).profile or {})

    def update_profile(self, user_id: int, values: dict[str, Any]) -> None:
        row = self._user_row(user_id)
        row.profile = {**(row.profile or {}), **values}  # a new dict, so the change is seen and saved

    def export_everything(self, user_id: int) -> bytes:
        """The user's data export (a zip), inside this unit of work."""
        return privacy.export_user(self.session, self.evidence, user_id)

    def delete_user(self, user_id: int) -> set[str]:
        """Erase the user now; returns file hashes to forget once this unit has committed."""
        return privacy.delete_user(self.session, user_id, None)

    # Cases and their events ---------------------------------------------------------------------

    def create_case(
        self,
        owner_id: int,
        *,
        nation: Nation = Nation.ENGLAND,
        code: CodeChoice = CodeChoice.AUTO,
        landlord_type: str | None = None,
        subject: str | None = None,
        landlord_name: str | None = None,
        landlord_policy: LandlordPolicy | None = None,
        details: dict[str, Any] | None = None,
        landlord_id: int | None = None,
    ) -> str:
        """A new case with no events yet; returns its public ref."""
        public_ref = new_public_ref()
        while self.session.exec(select(CaseRow.id).where(col(CaseRow.public_ref) == public_ref)).first():
            public_ref = new_public_ref()
        row = CaseRow(
            public_ref=public_ref,
            owner_user_id=owner_id,
            landlord_id=landlord_id,
            nation=Nation(nation).value,
            code_choice=CodeChoice(code).value,
            landlord_type=landlord_type,
            subject=subject,
            landlord_name=landlord_name,
            landlord_policy=policy_to_json(landlord_policy or LandlordPolicy()),
            details=details or {},
            lifecycle_state=State.DRAFTING.value,
            clocks_stamp=clocks_stamp(
                self._approved_policy(landlord_id), configured_extra_holidays()
            ),  # no events: no clocks to keep
        )
        self.session.add(row)
        self.session.flush()
        self.audit("case_created", case_id=row.id, actor_user_id=owner_id)
        return public_ref

    def case_by_ref(self, typed_ref: str) -> CaseSummary | None:
        """The case with this ref, as the resident typed it (case, dashes, O/0 and I/1 slips forgiven)."""
        ref = normalise_ref(typed_ref)
        if ref is None:
            return None
        row = self.session.exec(select(CaseRow).where(col(CaseRow.public_ref) == ref)).first()
        return to_case_summary(row) if row is not None else None

    def case_summary(self, case_id: int) -> CaseSummary:
        row = self.session.get(CaseRow, case_id)
        if row is None:
            raise NotFound(f"case {case_id}")
        return to_case_summary(row)

    def open_cases(self) -> list[CaseSummary]:
        """Every case not closed (for planning reminders again after the calendar changed)."""
        query = select(CaseRow).where(col(CaseRow.closed_at).is_(None)).order_by(col(CaseRow.id))
        return [to_case_summary(row) for row in self.session.exec(query)]

    def cases_of(self, user_id: int) -> list[CaseSummary]:
        """The cases the user owns, oldest first."""
        query = select(CaseRow).where(col(CaseRow.owner_user_id) == user_id).order_by(col(CaseRow.id))
        return [to_case_summary(row) for row in self.session.exec(query)]

    def case_details(self, case_id: int) -> dict[str, Any]:
        row = self.session.get(CaseRow, case_id)
        if row is None:
            raise NotFound(f"case {case_id}")
        return dict(row.details or {})

    def update_case_details(self, case_id: int, values: dict[str, Any]) -> None:
        row = self.session.get(CaseRow, case_id)
        if row is None:
            raise NotFound(f"case {case_id}")
        row.details = {**(row.details or {}), **values}
        row.updated_at = utcnow()

    def load_case(self, case_id: int) -> Case:
        """The complaint as the domain sees it: events by date, same-day events in recording order."""
        row = self.session.get(CaseRow, case_id)
        if row is None:
            raise NotFound(f"case {case_id}")
        events = recorded_events(self._run(queries.EVENTS_OF_CASE, case_id=case_id))
        return to_case(row, events, self._approved_policy(row.landlord_id))

    def case_history(self, case_id: int) -> list[HistoryEntry]:
        """The case's events as corrected, with who told us and the reason given (for the portal)."""
        rows = self.session.exec(select(CaseEventRow).where(col(CaseEventRow.case_id) == case_id))
        kept, disputed = effective_events(rows)
        return [
            HistoryEntry(to_case_event(row), EventSource(row.source), row.note, position in disputed)
            for position, row in sorted(_positions(kept), key=lambda pair: (pair[1].date, pair[1].position))
        ]

    def _approved_policy(self, landlord_id: int | None) -> dict[str, Any]:
        """An operator-approved landlord's own timescales; nothing for unapproved ones."""
        if landlord_id is None:
            return {}
        policy = self._run(queries.APPROVED_LANDLORD_POLICY, landlord_id=landlord_id).scalar()
        return dict(policy or {})

    def append_event(
        self,
        case_id: int,
        event: CaseEvent,
        source: EventSource,
        by_user_id: int | None,
        note: str | None = None,
    ) -> int:
        """Record an event (events are never edited: a correction is another event). Refreshes the case's
        cached lifecycle state, `closed_at` and kept clocks (bot.storage.clocks), in this transaction.
        Returns the event's position in recording order."""
        values = {
            "date": event.date,
            "kind": event.kind.value,
            "new_due": event.new_due,
            "extra_working_days": event.extra_working_days,
            "reasons_given": event.reasons_given,
            "note": note,
            "replaces": None,
        }
        return self._append(case_id, values, EventSource(source), by_user_id, "event_recorded")

    def correct_event(
        self, case_id: int, event: CaseEvent, how: str, source: EventSource, by_user_id: int | None
    ) -> int:
        """A correction of the first event as corrected equal to `event`, itself an event (audited):
        "removed", "disputed", or an ISO date (the same event on that day). What the landlord recorded
        can be disputed, not removed or re-dated. Raises NotFound, or ValueError for what is not allowed."""
        rows = list(self._run(queries.EVENTS_OF_CASE, case_id=case_id))
        kept, _ = effective_events(rows)
        position, original = next(
            ((p, row) for p, row in _positions(kept) if to_case_event(row) == event), (None, None)
        )
        if position is None or original is None:
            raise NotFound(f"event {event.kind.value} on {event.date} of case {case_id}")
        if original.source == EventSource.LANDLORD and how != DISPUTED:
            raise ValueError("what the landlord recorded can be disputed, not changed")
        if EventKind(original.kind) in self.delivered_kinds(case_id):
            raise ValueError("what Fair Say delivered to the landlord is not re-dated or removed")
        values = {
            "date": event.date if how in (REMOVED, DISPUTED) else date.fromisoformat(how),
            "kind": how if how in (REMOVED, DISPUTED) else event.kind.value,
            "new_due": event.new_due,
            "extra_working_days": event.extra_working_days,
            "reasons_given": event.reasons_given,
            "note": None,
            "replaces": position,
        }
        action = {REMOVED: "event_removed", DISPUTED: "event_disputed"}.get(how, "event_corrected")
        return self._append(case_id, values, EventSource(source), by_user_id, action)

    def delivered_kinds(self, case_id: int) -> frozenset[EventKind]:
        """The events that opened a stage Fair Say delivered to the landlord (the complaint, the stage 2
        request): their day is the delivery's, and the landlord's clocks run from it."""
        stages = {submission.stage for submission in self.access.submissions_of_case(case_id)}
        # Emailed for the resident (bot.delivery.resident_sending): the relay's acceptance dates it.
        stages |= set(
            self.session.exec(
                select(CaseEmailSendRow.stage)
                .join(CaseEmailRow, col(CaseEmailRow.id) == col(CaseEmailSendRow.email_id))
                .where(
                    col(CaseEmailRow.case_id) == case_id,
                    col(CaseEmailRow.accepted_at).is_not(None),
                    col(CaseEmailRow.status) != "bounced",  # never received: not delivered (withdraw_bounced)
                )
            ).all()
        )
        return frozenset(kind for stage, kind in _STAGE_OPENED_BY.items() if stage in stages)

    def event_marks(self, case_id: int) -> tuple[frozenset[CaseEvent], frozenset[CaseEvent]]:
        """The events (as corrected) the landlord recorded, and those the resident disputes."""
        kept, disputed = effective_events(self._run(queries.EVENTS_OF_CASE, case_id=case_id))
        landlord = frozenset(to_case_event(row) for row in kept if row.source == EventSource.LANDLORD)
        return landlord, frozenset(to_case_event(row) for p, row in _positions(kept) if p in disputed)

    def _append(
        self, case_id: int, values: dict[str, Any], source: EventSource, by_user_id: int | None, action: str
    ) -> int:
        case_row = self._run(queries.CASE_FOR_UPDATE, case_id=case_id).first()
        if case_row is None:
            raise NotFound(f"case {case_id}")
        rows: list[Any] = list(self._run(queries.EVENTS_OF_CASE, case_id=case_id))
        position = max((row.position for row in rows), default=-1) + 1
        new_row = _NewEvent(position=position, source=source.value, **values)
        # Computed before anything is written: a date the calendar cannot count raises here.
        policy = self._approved_policy(case_row.landlord_id)
        case = to_case(case_row, recorded_events([*rows, new_row]), policy)
        kept, state = clocks.computed(case)  # every event counts; none left (one removed): drafting
        now = utcnow()
        self._run(
            queries.INSERT_EVENT,
            case_id=case_id,
            position=position,
            source=source.value,
            recorded_by_user_id=by_user_id,
            recorded_at=now,
            **values,
        )
        closed_at = (case_row.closed_at or now) if state is State.CLOSED else None
        self._run(
            queries.REFRESH_CASE,
            for_case_id=case_id,
            new_lifecycle_state=state.value,
            now=now,
            new_closed_at=closed_at,
            new_next_due=kept.next_due,
            new_stamp=clocks_stamp(policy, configured_extra_holidays()),
        )
        clocks.write(self._connection_now(), [case_id], [kept])  # the case's clocks move with its events
        self.audit(
            action,
            case_id=case_id,
            actor_user_id=by_user_id,
            kind=str(values["kind"]),
            position=position,
            source=source.value,
            **({"replaces": values["replaces"]} if values["replaces"] is not None else {}),
        )
        return position

    # Reminders ----------------------------------------------------------------------------------

    def schedule_reminder(
        self,
        user_id: int,
        kind: str,
        due_at: datetime,
        dedupe_key: str,
        *,
        case_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Schedule, or move, the reminder with this key. Scheduling it again while pending updates its
        time and payload (and revives it if cancelled); once sent, it is never scheduled again."""
        insert = insert_or_conflict(self.session, ReminderRow).values(
            user_id=user_id,
            case_id=case_id,
            kind=kind,
            due_at=due_at,
            payload=payload or {},
            dedupe_key=dedupe_key,
            attempts=0,
        )
        upsert = insert.on_conflict_do_update(
            index_elements=["dedupe_key"],
            set_={
                "due_at": insert.excluded.due_at,
                "payload": insert.excluded.payload,
                "kind": insert.excluded.kind,
                "cancelled_at": None,
            },
            where=col(ReminderRow.sent_at).is_(None),
        )
        self.session.execute(upsert)

    def cancel_reminders(self, case_id: int, except_keys: frozenset[str] | set[str] = frozenset()) -> int:
        """Cancel the case's pending reminders except those keys (e.g. after its deadlines moved).
        Notices (news of what someone did, kinds starting "notice_") are never cancelled."""
        statement = (
            update(ReminderRow)
            .where(
                col(ReminderRow.case_id) == case_id,
                col(ReminderRow.sent_at).is_(None),
                col(ReminderRow.cancelled_at).is_(None),
                col(ReminderRow.dedupe_key).not_in(except_keys),
                col(ReminderRow.kind).not_like(NOTICE_PREFIX + "%"),  # news is not planned: never cancelled
            )
            .values(cancelled_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return cast(CursorResult[Any], self.session.execute(statement)).rowcount

    # Evidence and the audit log -------------------------------------------------------------------

    def store_evidence(
        self,
        case_id: int,
        data: bytes,
        original_name: str | None = None,
        telegram_file_id: str | None = None,
        *,
        by_user_id: int | None = None,
    ) -> StoredEvidence:
        """Keep a file as evidence for the case, or raise EvidenceRejected. The same bytes sent again for
        the same case give back the first record; for another case, a new record sharing the file."""
        checked = self.evidence.check(data)
        lock_file_hash(self.session, checked.sha256)
        query = select(EvidenceFileRow).where(
            col(EvidenceFileRow.case_id) == case_id, col(EvidenceFileRow.sha256) == checked.sha256
        )
        existing = self.session.exec(query).first()
        if existing is not None:
            return to_evidence(existing)
        if self.evidence.write(checked, data):
            self.files_created.append(checked.sha256)
        row = EvidenceFileRow(
            case_id=case_id,
            telegram_file_id=telegram_file_id,
            sha256=checked.sha256,
            size=checked.size,
            mime_type=checked.mime_type,
            stored_path=checked.stored_path,
            original_name=clean_file_name(original_name),
        )
        self.session.add(row)
        self.session.flush()
        self.audit(
            "evidence_stored",
            case_id=case_id,
            actor_user_id=by_user_id,
            evidence_id=row.id,
            type=checked.extension,
        )
        return to_evidence(row)

    def evidence_of(self, case_id: int) -> list[StoredEvidence]:
        query = (
            select(EvidenceFileRow)
            .where(col(EvidenceFileRow.case_id) == case_id)
            .order_by(col(EvidenceFileRow.id))
        )
        return [to_evidence(row) for row in self.session.exec(query)]

    def audit(
        self,
        action: str,
        *,
        case_id: int | None = None,
        actor_user_id: int | None = None,
        **detail: int | str | bool | None,
    ) -> None:
        """Note who did what. `detail` takes ids, counts and kinds only: free text raises ValueError."""
        for key, value in detail.items():
            if not (value is None or isinstance(value, int) or _AUDIT_TOKEN.fullmatch(str(value))):
                raise ValueError(f"audit detail {key!r}: ids and kinds only, never free text")
        self._run(
            queries.INSERT_AUDIT,
            case_id=case_id,
            actor_user_id=actor_user_id,
            action=action,
            at=utcnow(),
            detail=detail,
        )

    def discard_files_created(self) -> None:
        """On rollback: take back the files this unit wrote (it still holds their hash locks)."""
        for sha256 in self.files_created:
            self.evidence.remove(sha256)
        self.files_created.clear()


_STAGE_OPENED_BY = {1: EventKind.COMPLAINT_MADE, 2: EventKind.ESCALATION_REQUESTED}


@dataclass(slots=True)
class _NewEvent:
    """An event about to be written, read as its row would be (`mapping.RecordedColumns`)."""

    position: int
    date: dt.date
    kind: str
    new_due: dt.date | None
    extra_working_days: int | None
    reasons_given: bool
    note: str | None
    source: str
    replaces: int | None


def _positions(kept: list[Any]) -> list[tuple[int, Any]]:
    """Each event as corrected with the position a correction names it by (its first recording)."""
    return [(row.replaces if row.replaces is not None else row.position, row) for row in kept]
