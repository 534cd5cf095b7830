"""What each webhook leaves behind: one JSON log line and the Prometheus numbers; never a number or text."""
from __future__ import annotations

import json
import logging
import time

from flask import g

from ivr.engine import Turn
from ivr.web.metrics import observe
from ivr.state.sessions import Saved

webhook_log = logging.getLogger("ivr.webhook")


def log_webhook(channel: str, turn: Turn, saved: Saved, **extra: object) -> None:
    started = g.get("ivr_started")
    seconds = time.perf_counter() - started if started else 0.0
    record = {"channel": channel, "events": list(turn.events), "lang": turn.state.lang,
              "state_available": not saved.degraded, "saved": saved.stored,
              "ms": round(seconds * 1000, 2) if started else None, **extra}
    webhook_log.info(json.dumps(record, separators=(",", ":")))
    observe(channel, seconds, saved.degraded, list(turn.events))
