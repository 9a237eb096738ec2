"""The compliance figures as CSV (a data export: English headers, ISO dates, plain numbers).

Two tables: the summary, one row per stage (CH01 and CH02 with what they are worked out from), and
the complaint stages behind it, one row per complaint and stage (see `flows.compliance`). Each can be
written on its own; `compliance_csv` puts both in one file, the summary first, a blank line between.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import TextIO

from flows.compliance import Compliance

SUMMARY_COLUMNS = (
    "period_start",
    "period_end",
    "as_of",
    "homes",
    "stage",
    "received",
    "ch01_received_per_1000_homes",
    "responses",
    "responses_within_timescales",
    "ch02_percent_within_timescales",
)

COMPLAINT_STAGE_COLUMNS = (
    "ref",
    "stage",
    "received_on",
    "acknowledged_on",
    "response_due",
    "responded_on",
    "within_timescales",  # yes, no, open, or n/a (ended without an answer owed)
    "working_days_late",
    "parts",  # added: the parts sent to the landlord, ";" between them ("topic" or "topic:aspect")
)


def _cell(value: date | int | float | str | None) -> str:
    if value is None:
        return ""  # unknown or not applicable
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def write_summary(compliance: Compliance, out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(SUMMARY_COLUMNS)
    period = compliance.period
    for figures in compliance.stages:
        share = figures.share_within_timescales
        writer.writerow(
            _cell(value)
            for value in (
                period.start,
                period.end,
                compliance.as_of,
                compliance.homes,
                figures.stage,
                figures.received,
                figures.received_per_1000_homes,
                figures.responses,
                figures.responses_within_timescales,
                share * 100 if share is not None else None,
            )
        )


def write_complaint_stages(compliance: Compliance, out: TextIO, rows: slice | None = None) -> None:
    """The header and the complaint stages (`rows`: only those, and no header)."""
    writer = csv.writer(out)
    if rows is None:
        writer.writerow(COMPLAINT_STAGE_COLUMNS)
    for row in compliance.complaint_stages[rows or slice(None)]:
        writer.writerow(
            _cell(value)
            for value in (
                row.ref,
                row.stage,
                row.received_on,
                row.acknowledged_on,
                row.response_due,
                row.responded_on,
                row.within_timescales.value,
                row.working_days_late,
                ";".join(row.parts),
            )
        )


def compliance_csv(compliance: Compliance) -> str:
    """The summary, a blank line, then the complaint stages (CRLF line ends, as RFC 4180 has them)."""
    out = io.StringIO(newline="")
    write_summary(compliance, out)
    out.write("\r\n")
    write_complaint_stages(compliance, out)
    return out.getvalue()


def compliance_csv_chunks(compliance: Compliance, rows_per_chunk: int = 500) -> Iterator[str]:
    """`compliance_csv` a few hundred rows at a time, for a response that streams it."""
    out = io.StringIO(newline="")
    write_summary(compliance, out)
    out.write("\r\n")
    writer = csv.writer(out)
    writer.writerow(COMPLAINT_STAGE_COLUMNS)
    yield out.getvalue()
    for start in range(0, len(compliance.complaint_stages), rows_per_chunk):
        chunk = io.StringIO(newline="")
        write_complaint_stages(compliance, chunk, slice(start, start + rows_per_chunk))
        yield chunk.getvalue()
