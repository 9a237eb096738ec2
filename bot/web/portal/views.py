"""What the portal's pages show, read inside the caller's unit of work.

Who may see a case is decided here and only here: a landlord's staff see the complaints delivered
to their (approved) organisation, an advocate the cases whose resident consented and has not
revoked it. Anything else, real or made up, is None, which the pages answer with one 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.services.case_records import case_record, letter_for
from bot.storage import case_lists
from bot.storage.access import Landlord
from bot.storage.records import AdvocateScope, CaseSummary, HistoryEntry, Role, StoredEvidence, User
from bot.storage.unit_of_work import UnitOfWork
from bot.web.portal.sessions import SessionCookie
from flows.awaab import deadline_lines
from flows.case import Case, EventKind
from flows.conversations.tracking import ways_forward
from flows.conversations.workspace import Letter
from flows.i18n import Translator
from flows.landlord_actions import open_stage
from flows.staff_view import ListRow, TimelineRow, timeline_row


@dataclass(frozen=True, slots=True)
class Visitor:
    """A signed-in person, as the database says they are now (roles are never taken from the cookie)."""

    user: User
    cookie: SessionCookie
    landlord: Landlord | None  # staff of an approved landlord
    advocate: bool
    operator: bool

    @property
    def home(self) -> str:
        if self.landlord is not None:
            return "inbox"
        if self.advocate:
            return "caseload"
        if self.operator:
            return "admin"
        if self.user.has_role(Role.LANDLORD_STAFF) and self.user.landlord_id is not None:
            return "awaiting_approval"  # staff of a landlord an operator has not approved yet
        return "nothing"


def load_visitor(uow: UnitOfWork, cookie: SessionCookie, now: datetime) -> Visitor | None:
    if uow.sign_ins.active(cookie.session_id, cookie.user_id, now) is None:
        return None
    user = uow.user(cookie.user_id)
    if user is None:
        return None
    landlord = None
    if user.has_role(Role.LANDLORD_STAFF) and user.landlord_id is not None:
        found = uow.access.landlord(user.landlord_id)
        landlord = found if found is not None and found.approved else None
    advocate = user.has_role(Role.ADVOCATE) or bool(uow.access.links_of_advocate(user.id))
    return Visitor(user, cookie, landlord, advocate, user.has_role(Role.OPERATOR))


@dataclass(frozen=True, slots=True)
class ListItem:
    summary: CaseSummary
    row: ListRow

    @property
    def ref(self) -> str:
        return self.summary.public_ref


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of an inbox or a caseload (`page` from 1), the most pressing first."""

    items: list[ListItem]
    total: int
    page: int
    pages: int


def inbox(uow: UnitOfWork, landlord_id: int, today: date, page: int = 1) -> ListPage:
    """The landlord's open complaints, the most pressing deadline first, a page at a time."""
    return _list_page(
        case_lists.landlord_open_cases(uow.session.connection(), landlord_id, today, page), today
    )


def caseload(uow: UnitOfWork, advocate_user_id: int, today: date, page: int = 1) -> ListPage:
    """The cases residents have shared with this advocate, the most pressing first."""
    return _list_page(
        case_lists.advocate_cases(uow.session.connection(), advocate_user_id, today, page), today
    )


def _list_page(found: case_lists.CasePage, today: date) -> ListPage:
    items = [ListItem(listed.summary, listed.row(today)) for listed in found.cases]
    return ListPage(items, found.total, found.page, found.pages)


_STAGE_START = ((1, EventKind.COMPLAINT_MADE), (2, EventKind.ESCALATION_REQUESTED))  # a letter each


@dataclass(frozen=True, slots=True)
class CaseView:
    summary: CaseSummary
    row: TimelineRow
    history: list[HistoryEntry]
    details: dict[str, object]
    letters: list[tuple[int, Letter]]
    evidence: list[StoredEvidence]
    can_act: bool  # landlord staff, and a stage is waiting for the landlord
    acknowledged: bool  # the waiting stage is acknowledged already
    proposals: tuple[str, ...]  # an advocate who may act: what they may ask the resident to approve
    # For Awaab's Law's clocks: the case's nation, landlord type and extra bank holidays, and the
    # moment of the request.
    awaab: tuple[str, str | None, frozenset[date], datetime] | None = None
    # The resident as they gave their details: name, address, tenancy reference, contact method.
    profile: dict[str, object] = field(default_factory=dict)

    def awaab_lines(self, t: Translator) -> list[str]:
        """Awaab's Law's clocks of a damp and mould case in a home it covers (none otherwise)."""
        if self.awaab is None:
            return []
        nation, landlord_type, extra_holidays, now = self.awaab
        return deadline_lines(self.details, nation, landlord_type, now, t, extra_holidays=extra_holidays)


def visible_case(uow: UnitOfWork, visitor: Visitor, ref: str) -> tuple[CaseSummary, str] | None:
    """The case and the visitor's relation to it ("landlord", "act", "view"), or None."""
    summary = uow.case_by_ref(ref)
    if summary is None:
        return None
    if visitor.landlord is not None and summary.landlord_id == visitor.landlord.id:
        return summary, "landlord"
    scope = uow.access.advocate_scope(summary.id, visitor.user.id)
    if scope is not None:
        return summary, scope.value
    return None


def case_view(
    uow: UnitOfWork, visitor: Visitor, ref: str, today: date, now: datetime | None = None
) -> CaseView | None:
    visible = visible_case(uow, visitor, ref)
    if visible is None:
        return None
    summary, relation = visible
    record = case_record(uow, summary.id)
    row = timeline_row(summary.public_ref, record.case, today)
    kinds = {event.kind for event in record.case.events}
    letters = [(stage, letter_for(uow, summary.id, stage)) for stage, kind in _STAGE_START if kind in kinds]
    waiting = open_stage(row.timeline)
    proposals: tuple[str, ...] = ()
    if relation == AdvocateScope.ACT.value:
        proposals = tuple("referral" if way == "ombudsman" else way for way in ways_forward(row.timeline))
    return CaseView(
        summary,
        row,
        uow.case_history(summary.id),
        dict(record.details),
        letters,
        uow.evidence_of(summary.id),
        relation == "landlord" and waiting is not None,
        waiting is not None and waiting[1],
        proposals,
        (record.case.nation.value, record.case.landlord_type, record.case.extra_holidays, now)
        if now is not None
        else None,
        profile=dict(uow.profile(summary.owner_user_id)),
    )


def case_for_check(uow: UnitOfWork, visitor: Visitor, ref: str) -> Case | None:
    """The case a landlord's staff member is about to answer, for checking their letter first."""
    visible = visible_case(uow, visitor, ref)
    if visible is None or visible[1] != "landlord":
        return None
    return case_record(uow, visible[0].id).case


def stage_letter(uow: UnitOfWork, visitor: Visitor, ref: str, stage: int) -> Letter | None:
    """The letter of a stage the resident has begun, if the visitor may see the case."""
    visible = visible_case(uow, visitor, ref)
    started_by = dict(_STAGE_START).get(stage)
    if visible is None or started_by is None:
        return None
    case_id = visible[0].id
    if started_by not in {event.kind for event in uow.load_case(case_id).events}:
        return None
    return letter_for(uow, case_id, stage)


def evidence_bytes(
    uow: UnitOfWork, visitor: Visitor, ref: str, sha256: str
) -> tuple[StoredEvidence, bytes] | None:
    visible = visible_case(uow, visitor, ref)
    if visible is None:
        return None
    for item in uow.evidence_of(visible[0].id):
        if item.sha256 == sha256:
            return item, uow.evidence.read(item.stored_path)
    return None
