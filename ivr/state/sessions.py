"""Saving where each phone is, without ever storing the phone number.

Keys per phone, all named by an HMAC of the number inside braces, a Redis
Cluster hash tag: a phone's keys live in one slot, so a turn's read and its
write stay one round trip each however Redis is deployed.
- ``ivr:p:{<hmac>}`` the profile (language, opted out), kept long;
- ``ivr:s:{<hmac>}`` the place in the menu, kept hours, plus the id of the last
  message handled and the state before it, so a retried webhook is answered
  again from the same place instead of moving the conversation;
- ``ivr:m:{<hmac>}`` the ids of its recent messages (replays change nothing),
  ``ivr:p:{<hmac>}:r<window>`` its message count (rate limit).
Calls keep their place under ``ivr:c:{<hmac of the caller>}:<hmac of CallSid>``.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

from typing import Callable, Sequence

from ivr.engine import State
from ivr.state.reports import Reports
from ivr.state.store import Store, StoreUnavailable

log = logging.getLogger(__name__)
RATE_WINDOW = 600  # seconds: a phone's messages are counted per ten minutes
SEEN_SECONDS = 3 * 24 * 3600  # message and request ids are remembered three days ...
SEEN_MAX = 40  # ... the last 40 of them per phone, in one key




def pseudonym(secret: bytes, kind: str, value: str) -> str:
    """A stable, irreversible name for a phone number or call id (22 chars)."""
    digest = hmac.new(secret, f"{kind}:{value.strip()}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def _encode_place(state: State) -> dict:
    place: dict = {}
    if state.node:
        place["n"] = state.node
    if state.page:
        place["p"] = state.page
    if state.menu:
        place["m"] = state.menu
    if state.choices:
        place["c"] = list(state.choices)
    if state.back:
        place["b"] = list(state.back)
    if state.silence:
        place["s"] = state.silence
    if state.misses:
        place["u"] = state.misses
    if state.texted:
        place["t"] = list(state.texted)
    if state.texts_off:
        place["o"] = 1
    return place


def _decode_place(data: dict, state: State) -> State:
    return replace(
        state, node=str(data.get("n", "")), page=int(data.get("p", 0)), menu=str(data.get("m", "")),
        choices=tuple(data.get("c", ())), back=tuple(data.get("b", ())), silence=int(data.get("s", 0)),
        misses=int(data.get("u", 0)), texted=tuple(data.get("t", ())), texts_off=bool(data.get("o")))


def stored(state: State) -> dict:
    """What the store keeps of a state (profile and place together): golden tests compare it."""
    return {**_encode_profile(state), **_encode_place(state)}


def _encode_profile(state: State) -> dict:
    return {"l": state.lang, **({"o": 1} if state.opted_out else {}), **({"k": 1} if state.chosen else {})}


def _decode_profile(data: dict) -> State:
    return State(lang=str(data.get("l", "")), opted_out=bool(data.get("o")), chosen=bool(data.get("k")))


@dataclass(frozen=True)
class Saved:
    """What the store holds for one phone (or call)."""

    state: State
    last_id: str = ""  # pseudonym of the last message or request handled
    before: State | None = None  # the state that message was answered from
    known: bool = False  # a profile existed (returning phone)
    degraded: bool = False  # the store could not be read
    placed: bool = False  # a place existed (a conversation under way)
    stored: bool = True  # False when the last save of this turn could not be written
    seen: bool = False  # this request id was handled before (a replay, or Twilio's retry)
    seen_ids: tuple[str, ...] = ()  # the phone's recent request ids, oldest first
    recent: int = 0  # messages from this phone in the current rate window (0: not counted)


class Pending:
    """Turns answered while the store was down, kept in this process until a write lands.

    During an outage a patient is answered from the top; what they saw then is
    the truth, so their next message (in this process) continues from it, and
    once the store answers again the first successful save writes it back,
    instead of a digit being applied to the menu shown before the outage.
    Keyed by pseudonyms only; bounded in size and age.
    """

    def __init__(self, limit: int = 10_000, max_age: float = 3600.0) -> None:
        self._items: OrderedDict[str, tuple[str, int, float]] = OrderedDict()
        self._lock = threading.Lock()
        self.limit = limit
        self.max_age = max_age

    def put(self, key: str, value: str, ttl: int) -> None:
        with self._lock:
            self._items[key] = (value, ttl, time.monotonic())
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            if time.monotonic() - entry[2] > self.max_age:
                del self._items[key]
                return None
            return entry[0]

    def take(self, count: int = 500) -> list[tuple[str, str, int]]:
        """The oldest writes still worth making, removed from here."""
        now = time.monotonic()
        with self._lock:
            items: list[tuple[str, str, int]] = []
            while self._items and len(items) < count:
                key, (value, ttl, since) = self._items.popitem(last=False)
                if now - since <= self.max_age:
                    items.append((key, value, ttl))
            return items

    def discard(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class Retention:
    place_seconds: int
    profile_seconds: int


class Sessions:
    """Loads and saves states through a Store; one read and one write a turn."""

    def __init__(self, store: Store, secret: bytes, retention: Retention) -> None:
        self.store = store
        self.secret = secret
        self.retention = retention
        self.pending = Pending()
        self.reports: Reports | None = None  # usage counts, written with each turn's state
        self.on_store_error: Callable[[str], None] = lambda operation: None  # the web layer counts them (/metrics)

    def keys(self, phone: str, call_sid: str | None = None) -> tuple[str, str]:
        """(profile key, place key); the recent-ids key is the profile key's neighbour (one HMAC a phone)."""
        tag = "{" + pseudonym(self.secret, "phone", phone) + "}"
        place = f"ivr:c:{tag}:{pseudonym(self.secret, 'call', call_sid)}" if call_sid else f"ivr:s:{tag}"
        return f"ivr:p:{tag}", place

    def request_id(self, value: str) -> str:
        return pseudonym(self.secret, "request", value)[:12]

    @staticmethod
    def _seen_key(profile_key: str) -> str:
        return "ivr:m:" + profile_key.removeprefix("ivr:p:")

    def load(self, phone: str, call_sid: str | None = None, request_id: str = "", count: bool = False) -> Saved:
        """The phone's state; with `request_id`, whether it was seen; with `count`, its recent messages.

        Still one round trip: the seen-marker and the rate counter ride along the MGET.
        """
        profile_key, place_key = self.keys(phone, call_sid)
        keys = [profile_key, place_key] + ([self._seen_key(profile_key)] if request_id else [])
        degraded, seen, recent = False, False, 0
        seen_ids: tuple[str, ...] = ()
        try:
            if count:
                window = int(time.time() // RATE_WINDOW)
                values, recent = self.store.get_many_and_count(keys, f"{profile_key}:r{window}", 2 * RATE_WINDOW)
            else:
                values = self.store.get_many(keys)
            raw_profile, raw_place = values[0], values[1]
            seen_ids = tuple(values[2].split(",")) if request_id and values[2] else ()
            seen = request_id in seen_ids
        except StoreUnavailable as exc:
            log.error("store unavailable on read (%s); answering from what this process knows", exc)
            self.on_store_error("read")
            raw_profile, raw_place, degraded = None, None, True
        if self.pending:  # answered during an outage: that is what the patient saw last
            raw_profile = self.pending.get(profile_key) or raw_profile
            raw_place = self.pending.get(place_key) or raw_place
        if degraded and raw_place is None:
            return Saved(State(), degraded=True)
        try:
            state = _decode_profile(json.loads(raw_profile)) if raw_profile else State()
            place = json.loads(raw_place) if raw_place else {}
            state = _decode_place(place, state)
            before = None
            if "v" in place:
                before = _decode_place(place["v"], _decode_profile(place["v"]))
            return Saved(state, str(place.get("i", "")), before, known=raw_profile is not None,
                         placed=raw_place is not None, degraded=degraded, seen=seen, recent=recent,
                         seen_ids=seen_ids)
        except (ValueError, TypeError, AttributeError) as exc:
            log.error("unreadable stored state (%s); starting over", type(exc).__name__)
            return Saved(State())

    def save(self, phone: str, state: State, before: State, request_id: str = "",
             call_sid: str | None = None, refresh_profile: bool = True, profile: bool = True,
             seen_ids: tuple[str, ...] = (), tally: Sequence[str] = ()) -> bool:
        """Write the place, and the profile when it changed or a new conversation starts.

        Returns False when the store refused: the turn is then kept in `pending`.
        `profile=False` never writes the profile (a turn answered from the top
        during an outage knows nothing of the phone's language).
        """
        profile_key, place_key = self.keys(phone, call_sid)
        place = _encode_place(state)
        if request_id:
            place["i"] = request_id
            place["v"] = {**_encode_place(before), **_encode_profile(before)}
        items = [(place_key, json.dumps(place, separators=(",", ":")), self.retention.place_seconds)]
        if request_id:  # remembered for days, so a replayed old message changes nothing
            recent = ",".join((*(i for i in seen_ids if i != request_id), request_id)[-SEEN_MAX:])
            items.append((self._seen_key(profile_key), recent, SEEN_SECONDS))
        profile_changed = (state.lang, state.opted_out, state.chosen) != (before.lang, before.opted_out, before.chosen)
        if state.lang and (profile_changed or refresh_profile) and (profile or state.opted_out != before.opted_out):
            items.insert(0, (profile_key, json.dumps(_encode_profile(state), separators=(",", ":")),
                             self.retention.profile_seconds))
        try:
            if tally and self.reports is not None:
                self.store.tally(self.reports.key(), tally, self.reports.ttl, items)
            else:
                self.store.set_many(items)
        except StoreUnavailable as exc:
            log.error("store unavailable on write (%s); kept in this process until it is back", exc)
            self.on_store_error("write")
            for key, value, ttl in items:
                self.pending.put(key, value, ttl)
            return False
        if self.pending:
            self.pending.discard([key for key, _, _ in items])
            self._write_back()
        return True

    def _write_back(self) -> None:
        """The store is back: write what was answered while it was down (opt-outs included)."""
        items = self.pending.take()
        if not items:
            return
        try:
            self.store.set_many(items)
            log.info("store back: %d turns answered during the outage written", len(items))
        except StoreUnavailable:
            for key, value, ttl in items:
                self.pending.put(key, value, ttl)
