"""The servers the delivery tests send to (tests/support/delivery_servers.py)."""

from support.delivery_servers import clock, receiver, smtp_server  # noqa: F401  (fixtures)
