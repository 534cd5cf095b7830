"""One turn of a conversation, the same for every channel: load, step, save.

A retried webhook (same request id) is answered again from the state saved
before it, and nothing is saved, so retries never move a conversation.
"""
from __future__ import annotations

from dataclasses import replace

from ivr.engine import Engine, Input, Turn
from ivr.sessions import Saved, Sessions


def take_turn(sessions: Sessions, engine: Engine, identity: str, event: Input, request_key: str = "",
              call_sid: str | None = None) -> tuple[Turn, Saved, bool]:
    """Run one input for `identity`; returns (turn, what was loaded, whether it was a retry)."""
    request_id = sessions.request_id(request_key) if request_key else ""
    saved = sessions.load(identity, call_sid)
    if request_id and saved.last_id == request_id and saved.before is not None:
        return engine.step(saved.before, event), saved, True
    turn = engine.step(saved.state, event)
    # The profile's long TTL restarts with each conversation, not with every message.
    # During an outage the save is kept in this process and written once the store is back.
    stored = sessions.save(identity, turn.state, saved.state, request_id, call_sid,
                           refresh_profile=not saved.placed or not saved.known,
                           profile=not (saved.degraded and not saved.known))
    return turn, replace(saved, stored=stored), False
