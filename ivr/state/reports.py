"""Usage counts for the team's reports: per day, channel, language and event; never a person.

Each webhook adds one to a few counters in the day's Redis hash
(`ivr:r:<YYYY-MM-DD>`, field `channel|language|event`), in the same round
trip as the state it saves. No phone number, no hash of one, no message
text: a count cannot be traced to anyone. The hashes expire after
IVR_REPORT_TTL days (400 by default).
"""
from __future__ import annotations

import csv
import re
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Iterable, Sequence

from ivr.state.store import Store, StoreUnavailable

KEY = "ivr:r:{day}"
UNANSWERED_KEY = "ivr:u:{day}"
UNANSWERED_DAYS = 14
UNANSWERED_PER_DAY = 500
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DIGITS = re.compile(r"\d")


def scrub(text: str) -> str:
    """A text fit to keep for editors: e-mail addresses and every digit removed (no number survives)."""
    return _DIGITS.sub("#", _EMAIL.sub("[e-mail]", text)).strip()[:300]
SEPARATOR = "|"
# Engine events -> report events; events not listed are not counted.
EVENTS = {"not_understood": "not_understood", "crisis": "crisis", "emergency": "emergency", "person": "person",
          "opt_out": "opt_out", "opt_out_recorded": "opt_out", "opt_in": "opt_in", "opt_in_recorded": "opt_in",
          "language": "language_chosen", "call_new": "call_started", "call_returning": "call_started",
          "text_me": "text_me_asked", "transfer": "person", "text_me_sent": "text_me_sent",
          "text_me_failed": "text_me_failed"}


def report_events(events: Iterable[str]) -> list[str]:
    """The counted form of a turn's events: topics by node id ("topic:symptoms.bone")."""
    out = []
    for event in events:
        kind, _, node = event.partition(":")
        if kind in ("menu", "content") and node:
            out.append(f"topic:{node}")
        elif kind == "hangup":
            out.append(f"hangup:{node or '-'}")  # where calls end: the phone tree's drop-off points
        elif event in EVENTS:
            out.append(EVENTS[event])
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Row:
    date: str
    channel: str
    language: str
    event: str
    count: int


class Reports:
    def __init__(self, store: Store, ttl_days: int = 400) -> None:
        self.store = store
        self.ttl = ttl_days * 24 * 3600

    def fields(self, channel: str, language: str, events: Iterable[str]) -> list[str]:
        return [SEPARATOR.join((channel, language or "-", event)) for event in report_events(events)]

    def key(self, day: dt.date | None = None) -> str:
        return KEY.format(day=(day or dt.date.today()).isoformat())

    def record(self, channel: str, language: str, events: Iterable[str], day: dt.date | None = None) -> None:
        """Count outside a turn (text-me sent or failed, a call's end): never fails the caller."""
        fields = self.fields(channel, language, events)
        if not fields:
            return
        try:
            self.store.tally(self.key(day), fields, self.ttl)
        except StoreUnavailable:
            pass

    def keep_unanswered(self, text: str, day: dt.date | None = None) -> None:
        """IVR_KEEP_UNANSWERED: a text the line did not understand, scrubbed, kept 14 days. No number, no hash."""
        try:
            self.store.remember(UNANSWERED_KEY.format(day=(day or dt.date.today()).isoformat()), scrub(text),
                                UNANSWERED_PER_DAY, UNANSWERED_DAYS * 24 * 3600)
        except StoreUnavailable:
            pass

    def unanswered(self, days: int = UNANSWERED_DAYS) -> list[tuple[str, str]]:
        out = []
        for back in range(days):
            day = (dt.date.today() - dt.timedelta(days=back)).isoformat()
            out += [(day, text) for text in self.store.recall(UNANSWERED_KEY.format(day=day))]
        return out

    def rows(self, since: dt.date, until: dt.date | None = None) -> list[Row]:
        until = until or dt.date.today()
        rows: list[Row] = []
        day = since
        while day <= until:
            for field, count in sorted(self.store.tallies(self.key(day)).items()):
                channel, language, event = (field.split(SEPARATOR, 2) + ["", ""])[:3]
                rows.append(Row(day.isoformat(), channel, language, event, count))
            day += dt.timedelta(days=1)
        return rows


def as_csv(rows: Sequence[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "channel", "language", "event", "count"])
    writer.writerows([row.date, row.channel, row.language, row.event, row.count] for row in rows)
    return out.getvalue()


def as_json(rows: Sequence[Row]) -> str:
    return json.dumps([row.__dict__ for row in rows], ensure_ascii=False, indent=1)


def as_table(rows: Sequence[Row]) -> str:
    """Totals over the period, per event and language: what a person reads."""
    totals: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (row.event, row.channel, row.language)
        totals[key] = totals.get(key, 0) + row.count
    lines = [f"{'event':<32} {'channel':<7} {'language':<8} {'count':>7}"]
    lines += [f"{event:<32} {channel:<7} {language:<8} {count:>7}" for (event, channel, language), count
              in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]
    return "\n".join(lines)
