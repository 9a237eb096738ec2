"""Prometheus metrics (served at /metrics by the web service, or on METRICS_PORT when polling).

Counts and timings only: no labels that could identify a person.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

UPDATE_SECONDS = Histogram(
    "fairsay_update_seconds",
    "Time to handle one Telegram update, from receipt to the last reply sent.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
UPDATES = Counter("fairsay_updates_total", "Telegram updates handled, by outcome.", ["outcome"])
DUPLICATE_UPDATES = Counter(
    "fairsay_duplicate_updates_total", "Redelivered updates acknowledged and skipped."
)
FLOODED_UPDATES = Counter("fairsay_flooded_updates_total", "Updates dropped by per-user flood control.")
REMINDERS_SENT = Counter("fairsay_reminders_sent_total", "Reminders delivered, by kind.", ["kind"])
REMINDERS_FAILED = Counter(
    "fairsay_reminders_failed_total", "Reminder deliveries that failed (retried later)."
)
DEADLINES_MISSED = Counter(
    "fairsay_deadlines_missed_total",
    "Missed-deadline warnings sent to residents (Code and Awaab's Law clocks).",
)
SUBMISSIONS_DELIVERED = Counter(
    "fairsay_submissions_delivered_total", "Complaints delivered to landlords, by route.", ["channel"]
)
SUBMISSIONS_FAILED = Counter(
    "fairsay_submissions_failed_total",
    "Complaint deliveries that failed (retried later), by route.",
    ["channel"],
)
CRISIS_HELP = Counter(
    "fairsay_crisis_help_total",
    "Messages answered with crisis help first, by kind (suicide, domestic_abuse, ...; never the words).",
    ["kind"],
)
INBOUND_MAIL_RECEIVED = Counter(
    "fairsay_inbound_mail_received_total",
    "Emails accepted at cases' reply addresses, by kind (reply, automatic, delivery_report).",
    ["kind"],
)
INBOUND_MAIL_REFUSED = Counter(
    "fairsay_inbound_mail_refused_total",
    "Inbound emails (or their attachments) refused, by reason (unknown_address, other_domain, oversized, "
    "disguised_attachment, unsupported_attachment, ...; never an address).",
    ["reason"],
)
RESIDENT_MAIL = Counter(
    "fairsay_resident_mail_total",
    "Complaints emailed for residents, by outcome (queued, accepted, retried, failed).",
    ["outcome"],
)
RESIDENT_MAIL_LIMITED = Counter(
    "fairsay_resident_mail_limited_total",
    "Complaints not emailed for residents because a limit was reached, by which (resident, recipient).",
    ["which"],
)
