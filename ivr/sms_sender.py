"""Sending a topic by SMS through Twilio's REST API (or pretending to, locally).

The sender looks up the call's numbers from its CallSid, so no phone number
ever sits in a queue, and renders the topic in the caller's language within
the SMS segment budget, one message per page.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass

from ivr.engine import Engine, Kind, State
from ivr.sms_render import SmsRenderer
from ivr.texting import TextJob

log = logging.getLogger(__name__)
MAX_PAGES = 4


def topic_messages(engine: Engine, renderer: SmsRenderer, job: TextJob) -> list[str]:
    """The SMS pages of one topic, as the texter would get them by MORE."""
    turn = engine.go(State(lang=job.lang), job.node_id)
    messages = renderer.render(turn.screens)
    for _ in range(MAX_PAGES - 1):
        screen = turn.screens[-1]
        if screen.kind is not Kind.CONTENT or screen.page + 1 >= screen.pages:
            break
        turn = engine.more(turn.state)
        messages += renderer.render(turn.screens)
    return messages


class TwilioSender:
    """Real sends: Twilio's REST API through the twilio library's Client."""

    def __init__(self, client, engine: Engine, renderer: SmsRenderer, messaging_service_sid: str = "") -> None:
        self.client = client
        self.engine = engine
        self.renderer = renderer
        self.messaging_service_sid = messaging_service_sid

    def send(self, job: TextJob) -> None:
        call = self.client.calls(job.call_sid).fetch()
        sender = {"messaging_service_sid": self.messaging_service_sid} if self.messaging_service_sid \
            else {"from_": call.to}
        for body in topic_messages(self.engine, self.renderer, job):
            self.client.messages.create(to=call._from, body=body, **sender)


@dataclass(frozen=True)
class DryRunRecord:
    call_sid: str
    node_id: str
    lang: str
    messages: tuple[str, ...]


class DryRunSender:
    """Renders and records instead of sending: local mode without Twilio, and the simulator."""

    def __init__(self, engine: Engine, renderer: SmsRenderer) -> None:
        self.engine = engine
        self.renderer = renderer
        self.sent: deque[DryRunRecord] = deque(maxlen=50)
        self._lock = threading.Lock()

    def send(self, job: TextJob) -> None:
        messages = tuple(topic_messages(self.engine, self.renderer, job))
        with self._lock:
            self.sent.append(DryRunRecord(job.call_sid, job.node_id, job.lang, messages))
        log.info("text-me dry run: %d message(s) for node=%s", len(messages), job.node_id)

    def take(self, call_sid: str) -> list[DryRunRecord]:
        """The records of one call, removed from the log."""
        with self._lock:
            mine = [record for record in self.sent if record.call_sid == call_sid]
            for record in mine:
                self.sent.remove(record)
        return mine
