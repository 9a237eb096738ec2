"""Storage: the database (SQLite embedded, or PostgreSQL), its migrations, and evidence files on disk.

Import from the modules: `repository` (what handlers call), `db` (engines and migrations),
`models` (the tables), `records` (the plain objects handed out), `evidence` (files on disk).
This package file imports nothing, so `fairsay timeline` does not pay for SQLAlchemy.
"""
