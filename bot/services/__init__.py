"""The service layer: what the chat, the landlord API, the portal and the workers do with the
database, whichever adapter asks. Each function runs inside the caller's unit of work.

case_records       a case as letters and the landlord's copy need it
chat_service       one update, one transaction: load, run the flow, store, reply
compliance_report  a landlord's compliance figures from its delivered complaints
documents          letters as PDF, the referral pack and the data export as zip
landlord_desk      a landlord's side of a complaint (buttons, API, portal)
notices            news for people other than the one acting
people             sharing with advocates, an advocate's caseload, a landlord's team
reminder_planning  a case's reminders planned again after any change
reminder_sender    due reminders claimed, written and sent
response_reading   a landlord's response file as text (PDF, Word, OCR)
workspace          the resident's data for the conversation flows
"""
