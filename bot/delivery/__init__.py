"""Complaints delivered to onboarded landlords by email and webhook (the Telegram route is notices).

document  the JSON every route carries (schema in docs/schema/submission.schema.json)
email     SMTP: a plain-text summary, the letter as PDF, the case as JSON
webhook   HTTPS POST of the JSON, signed with the landlord's secret (HMAC-SHA256)
worker    claims due submissions with a lease, sends them, records the outcome; retried with backoff
"""
