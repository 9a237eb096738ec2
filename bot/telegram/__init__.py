"""The Telegram adapter (python-telegram-bot)."""

import os

# PTB 22 is moving `retry_after` and other durations to timedelta; opt in now, as it asks, so the
# rate limiter's reading of them raises no deprecation warning on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")
