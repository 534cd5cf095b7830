"""Infoline: an SMS and voice information line about metastatic breast cancer."""
from __future__ import annotations

from typing import Any, Mapping

from ivr.app import create_app

__all__ = ["create_app"]
