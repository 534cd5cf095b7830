"""Offline tools for the team: `ivr check`, `ivr review`, translators' spreadsheets, terminal chat and call."""
