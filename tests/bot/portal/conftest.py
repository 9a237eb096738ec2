"""The servers the portal tests send to."""

from support.delivery_servers import smtp_server  # noqa: F401  (a fixture)
