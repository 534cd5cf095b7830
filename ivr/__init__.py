"""Infoline: an SMS and voice information line about metastatic breast cancer."""
from ivr.app import create_app

__all__ = ["create_app"]
