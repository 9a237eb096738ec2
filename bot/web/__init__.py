"""The web adapter (Starlette): the service itself (app: the Telegram webhook, health, readiness and
metrics), the guards every request passes, the landlord API (/api/v1) and the portal (/portal).
"""
