"""The database fixtures come from tests/support/databases.py (registered in tests/conftest.py)."""
