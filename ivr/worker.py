"""The text-me worker's job: the RQ worker (`ivr worker`) runs `deliver_job` for each queued text.

It builds the line from the environment once (it sits above the builder, so
the texting layer never imports it). Jobs queued by earlier releases name
`ivr.texting.deliver_job`, which still runs them here.
"""
from __future__ import annotations

from ivr.config import load_settings
from ivr.line import Line
from ivr.texting import Sender, TextJob, TextSendFailed

_worker_sender: Sender | None = None


def deliver_job(call_sid: str, node_id: str, lang: str) -> None:
    """RQ entry point: the worker builds its sender from the environment once."""
    global _worker_sender
    if _worker_sender is None:
        _worker_sender = Line.build(load_settings()).text_sender
    if _worker_sender is None:
        raise TextSendFailed("no sender: TWILIO_ACCOUNT_SID is not set")
    try:
        _worker_sender.send(TextJob(call_sid, node_id, lang))
    except Exception as exc:  # noqa: BLE001 - Twilio's message names the number: keep only its code
        code = getattr(exc, "code", None) or getattr(exc, "status", None) or ""
        raise TextSendFailed(f"{type(exc).__name__} {code}".strip()) from None
