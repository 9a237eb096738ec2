"""Completing erasures that ran while SQLite's foreign keys were off (`fairsay db repair`, and on start).

Until foreign keys were checked on every connection, an SQLite connection could serve deletes with them
off: `/delete` and the retention purge removed the user's or the case's row, and the ON DELETE rules
never ran, so the person's cases, conversation, reminders and evidence stayed, pointing at nothing.

Each row SQLite's `foreign_key_check` names gets what its own ON DELETE rule would have done then:
CASCADE deletes it (and, foreign keys on now, whatever hangs from it), SET NULL blanks the reference.
Only rows whose parent is already gone are touched, so nobody else's data changes. The evidence
records removed give the files to remove afterwards, each only when no other case holds it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Connection, delete, func, literal_column, update
from sqlmodel import Session, select

from bot.cli.command_line import count
from bot.storage.db import foreign_key_problems
from bot.storage.errors import StorageError
from bot.storage.models import AuditEntryRow, EvidenceFileRow, metadata

# A round deletes the rows whose parent is gone (their cascades take the rest), or blanks references.
MAX_ROUNDS = 10


@dataclass
class Repaired:
    """Counts only (the rows were a deleted person's): rows removed per table, references blanked per
    table, and the hashes of evidence files that may now be unused."""

    removed: Counter[str] = field(default_factory=Counter)
    blanked: Counter[str] = field(default_factory=Counter)
    file_hashes: set[str] = field(default_factory=set)
    files_removed: int = 0

    def __bool__(self) -> bool:
        return bool(self.removed or self.blanked or self.files_removed)

    def summary(self) -> str:
        if not self:
            return "no broken references"
        if not (self.removed or self.blanked):
            return f"removed {count(self.files_removed, 'evidence file')} no record refers to"
        parts = [f"{count(n, 'row')} of {table}" for table, n in sorted(self.removed.items())]
        parts += [f"{count(n, 'reference')} in {table} blanked" for table, n in sorted(self.blanked.items())]
        parts.append(count(self.files_removed, "evidence file"))
        return "removed what deleted people and cases left: " + ", ".join(parts)


def complete_erasures(session: Session) -> Repaired:
    """Apply each broken reference's ON DELETE rule, in this transaction; what was done."""
    connection = session.connection()
    repaired = Repaired()
    if not foreign_key_problems(connection):
        return repaired
    rows_before = _row_counts(connection)
    evidence_before: dict[int | None, str] = dict(
        session.exec(select(EvidenceFileRow.id, EvidenceFileRow.sha256)).all()
    )
    for _ in range(MAX_ROUNDS):
        problems = foreign_key_problems(connection)
        if not problems:
            break
        rules = [(table, rowid, *_foreign_key(connection, table, key)) for table, rowid, _, key in problems]
        if unknown := {table for table, _, _, action in rules if action not in ("CASCADE", "SET NULL")}:
            raise StorageError(
                f"DATABASE_URL: broken references in {', '.join(sorted(unknown))} with no ON DELETE rule"
            )
        # Deletions first: a row they take with them is not one to blank (nor to count as blanked).
        cascades = [(table, rowid) for table, rowid, _, action in rules if action == "CASCADE"]
        for table, rowid in cascades:
            connection.execute(delete(metadata.tables[table]).where(_row(rowid)))
        if cascades:
            continue
        for table, rowid, column, _ in rules:
            connection.execute(update(metadata.tables[table]).where(_row(rowid)).values({column: None}))
            repaired.blanked[table] += 1
    if foreign_key_problems(connection):
        raise StorageError("DATABASE_URL: broken references remain after repairing")
    rows_after = _row_counts(connection)
    repaired.removed.update(
        {
            table: before - rows_after[table]
            for table, before in rows_before.items()
            if before > rows_after[table]
        }
    )
    evidence_after = set(session.exec(select(EvidenceFileRow.id)).all())
    repaired.file_hashes = {sha256 for id_, sha256 in evidence_before.items() if id_ not in evidence_after}
    session.add(
        AuditEntryRow(
            action="erasures_completed",
            detail={"removed": dict(repaired.removed), "blanked": dict(repaired.blanked)},
        )
    )
    return repaired


def _row(rowid: int) -> ColumnElement[bool]:
    return literal_column("rowid") == rowid  # SQLite's own row number, which foreign_key_check names


def _row_counts(connection: Connection) -> dict[str, int]:
    return {
        table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for table in metadata.sorted_tables
    }


def _foreign_key(connection: Connection, table: str, key: int) -> tuple[str, str]:
    """(the referring column, its ON DELETE rule) of key number `key` of `table`."""
    for row in connection.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")'):
        if row.id == key:
            return str(getattr(row, "from")), str(row.on_delete).upper()
    raise StorageError(f"DATABASE_URL: {table} has no foreign key {key}")
