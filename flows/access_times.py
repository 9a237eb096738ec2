"""How long codes and sign-in links last, and how often codes may be tried.

One source for the storage that enforces these times (bot.storage.access, bot.storage.sign_ins) and
for the messages that tell people about them: change a time here and both follow.
"""

from __future__ import annotations

from datetime import timedelta

CONSENT_CODE_LIFETIME = timedelta(hours=48)  # a resident's code for the person helping them
STAFF_CODE_LIFETIME = timedelta(days=7)  # a landlord's invitation to a colleague
FAILED_CODES_PER_WINDOW = 5  # wrong codes a person may type...
FAILED_CODES_WINDOW = timedelta(hours=1)  # ...in this time, before code entry pauses for the rest of it
LINK_LIFETIME = timedelta(minutes=15)  # a web portal sign-in link
SESSION_LIFETIME = timedelta(hours=12)
EMAIL_GAP = timedelta(minutes=5)  # one emailed link per person per gap: an inbox cannot be flooded


def whole_hours(span: timedelta) -> int:
    return int(span // timedelta(hours=1))


def whole_days(span: timedelta) -> int:
    return int(span // timedelta(days=1))


def whole_minutes(span: timedelta) -> int:
    return int(span // timedelta(minutes=1))
