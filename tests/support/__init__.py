"""Test support shared by every test folder (the fake Telegram Bot API)."""
