"""One turn of a conversation, the same for every channel: load, step, save.

A retried webhook (same request id) is answered again from the state saved
before it, and nothing is saved, so retries never move a conversation.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ivr.engine import Engine, Input, Turn
from ivr.state.sessions import Saved, Sessions


SAFETY_EVENTS = {"crisis", "emergency", "person"}
def take_turn(sessions: Sessions, engine: Engine, identity: str, event: Input, request_key: str = "",
              call_sid: str | None = None, count: bool = False, limit: int = 0,
              channel: str = "sms", then: Callable[[Turn, bool], Turn] | None = None) -> tuple[Turn, Saved, bool]:
    """Run one input for `identity`; returns (turn, what was loaded, whether it was a retry).

    `then(turn, retry)` is the host's side effect of the turn (text-me), run
    before the save so that what it learns (no more texts this call) is kept.

    A replay of an older message (seen, but not the last one) changes nothing
    and gets no answer. With `limit`, a phone over its rate gets no answer.
    """
    request_id = sessions.request_id(request_key) if request_key else ""
    saved = sessions.load(identity, call_sid, request_id, count=count)
    if request_id and saved.last_id == request_id and saved.before is not None:
        turn = engine.step(saved.before, event)
        return (then(turn, True) if then else turn), saved, True
    if saved.seen:
        return Turn(saved.state, events=("replay_ignored",)), saved, True
    turn = engine.step(saved.state, event)
    if limit and saved.recent > limit and not SAFETY_EVENTS & set(turn.events):
        # Over its rate a phone gets no answer, except to a crisis, an emergency or a call for a person.
        return Turn(saved.state, events=("rate_limited",)), saved, True
    if then is not None:
        turn = then(turn, False)
    # The profile's long TTL restarts with each conversation, not with every message.
    # During an outage the save is kept in this process and written once the store is back.
    stored = sessions.save(identity, turn.state, saved.state, request_id, call_sid,
                           refresh_profile=not saved.placed or not saved.known,
                           profile=not (saved.degraded and not saved.known), seen_ids=saved.seen_ids,
                           tally=sessions.reports.fields(channel, turn.state.lang, turn.events)
                           if sessions.reports is not None else ())
    return turn, replace(saved, stored=stored), False
