"""Alembic's entry point. Run migrations through `bot.storage.db` (`upgrade`, `downgrade`) or
`fairsay db upgrade`: they pass the connection in, so no alembic.ini or URL is needed here."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.storage.models import metadata

# Everyone migrating one PostgreSQL database takes this lock, so two deployments starting together
# apply each migration once. Any constant will do, as long as it never changes.
MIGRATION_LOCK_KEY = 7_406_295_117


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by rebuilding them
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("run migrations with `fairsay db upgrade` (bot.storage.db), which passes a connection")
run_migrations(connection)
