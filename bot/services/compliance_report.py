"""A landlord's compliance figures (CH01, CH02, deadlines nearing) from the complaints delivered to it,
inside the caller's unit of work. The counting is `flows.compliance`'s; this only loads the cases.
"""

from __future__ import annotations

from datetime import date

from bot.cli.command_line import count
from bot.storage.unit_of_work import UnitOfWork
from flows.compliance import (
    DEFAULT_WINDOW_WORKING_DAYS,
    Compliance,
    Period,
    compliance_message,
    compute_compliance,
    financial_year_start,
)
from flows.compliance_csv import compliance_csv as compliance_csv_text
from flows.i18n import Translator
from flows.routing import part_ids


class UnknownLandlord(LookupError):
    """No landlord has this id."""


def landlord_compliance(
    uow: UnitOfWork,
    landlord_id: int,
    start: date,
    end: date,
    as_of: date,
    window_working_days: int = DEFAULT_WINDOW_WORKING_DAYS,
) -> Compliance:
    """Raises `UnknownLandlord`, or ValueError when `start` is after `end`."""
    landlord = uow.access.landlord(landlord_id)
    if landlord is None:
        raise UnknownLandlord(landlord_id)
    period = Period(start, end)
    cases = []
    parts: dict[str, tuple[str, ...]] = {}
    # One load per case: fine for a report asked for now and then, not for every update.
    for row in uow.access.cases_of_landlord(landlord_id):
        assert row.id is not None  # a stored row
        cases.append((row.public_ref, uow.load_case(row.id)))
        parts[row.public_ref] = part_ids(row.details or {})
    return compute_compliance(cases, period, landlord.homes, as_of, window_working_days, parts)


def compliance_csv(compliance: Compliance) -> bytes:
    """The summary and the complaint stages as one UTF-8 CSV file (see `flows.compliance_csv`)."""
    return compliance_csv_text(compliance).encode("utf-8")


def _figure(value: int | float | None, suffix: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}{suffix}"
    return f"{value:,}{suffix}"


def compliance_table(landlord_name: str, landlord_id: int, compliance: Compliance) -> str:
    """The figures as a small plain-text table for operators (`fairsay admin compliance`), in English."""
    period, (s1, s2) = compliance.period, compliance.stages
    homes = "unknown (CH01 needs it)" if compliance.homes is None else f"{compliance.homes:,}"

    def share(value: float | None) -> str:
        return _figure(None if value is None else value * 100, "%")

    measures = [
        ("received", _figure(s1.received), _figure(s2.received)),
        (
            "CH01 received per 1,000 homes",
            _figure(s1.received_per_1000_homes),
            _figure(s2.received_per_1000_homes),
        ),
        ("responses given in the period", _figure(s1.responses), _figure(s2.responses)),
        (
            "  within the Code's timescales",
            _figure(s1.responses_within_timescales),
            _figure(s2.responses_within_timescales),
        ),
        (
            "CH02 share within timescales",
            share(s1.share_within_timescales),
            share(s2.share_within_timescales),
        ),
    ]
    lines = [
        f"{landlord_name} (landlord {landlord_id}): complaints from {period.start} to {period.end}, "
        f"as of {compliance.as_of}",
        f"Homes: {homes}",
        "",
        f"{'measure':<32}{'stage 1':>10}{'stage 2':>10}",
        *(f"{name:<32}{first:>10}{second:>10}" for name, first, second in measures),
        "",
        f"Open deadlines missed or due within {count(compliance.window_working_days, 'working day')}: "
        f"{len(compliance.nearing)}",
    ]
    if compliance.nearing:
        lines.append(f"{'ref':<10}{'deadline':<24}{'due':<12}working days left")
        for item in compliance.nearing:
            left = f"{item.working_days_left}{' (missed)' if item.missed else ''}"
            lines.append(f"{item.ref:<10}{item.deadline.value:<24}{item.due.isoformat():<12}{left}")
    return "\n".join(lines)


# The Code's response times (Code 6.3, 6.14): a registered policy may be quicker, never slower.
_CODE_DAYS = {"stage1_response_working_days": (1, 10), "stage2_response_working_days": (2, 20)}


def longer_policy_lines(policy: dict[str, object], t: Translator) -> list[str]:
    """A registered timescale longer than the Code's, flagged: residents' deadlines use the Code's."""
    lines = []
    for key, (stage, code_days) in _CODE_DAYS.items():
        days = policy.get(key)
        if isinstance(days, int) and days > code_days:
            lines.append(
                t.gettext(
                    "Your registered stage {stage} timescale ({days} working days) is longer than the Code's "
                    "{code}: residents' deadlines use the Code's."
                ).format(
                    stage=t.format_number(stage), days=t.format_number(days), code=t.format_number(code_days)
                )
            )
    return lines


def compliance_for_chat(uow: UnitOfWork, landlord_id: int, today: date, t: Translator) -> tuple[str, bytes]:
    """The financial year to date, as a message in the reader's language and as CSV."""
    compliance = landlord_compliance(uow, landlord_id, financial_year_start(today), today, today)
    landlord = uow.access.landlord(landlord_id)
    flags = longer_policy_lines(dict(landlord.policy) if landlord is not None else {}, t)
    return "\n\n".join([compliance_message(compliance, t), *flags]), compliance_csv(compliance)
