"""Sending a topic by SMS through Twilio's REST API (or pretending to, locally).

The sender looks up the call's numbers from its CallSid, so no phone number
ever sits in a queue. It sends the topic's first page in the caller's language
and sets the phone's SMS place there, so "reply MORE" and BACK carry on by text.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass, replace

from ivr.engine import Engine, State
from ivr.state.sessions import Sessions
from ivr.render.sms import SmsRenderer
from ivr.texting import TextJob

log = logging.getLogger(__name__)


class TopicTexts:
    """The first page of a topic, and the texter's place set there, so MORE and BACK go on by SMS."""

    def __init__(self, engine: Engine, renderer: SmsRenderer, sessions: Sessions) -> None:
        self.engine = engine
        self.renderer = renderer
        self.sessions = sessions

    def prepare(self, phone: str, job: TextJob) -> list[str]:
        """Messages to send to `phone` for `job`; none if the phone has opted out since."""
        saved = self.sessions.load(phone)
        if saved.state.opted_out:
            log.info("text-me dropped: the phone opted out after asking")
            return []
        turn = self.engine.go(replace(saved.state, lang=job.lang), job.node_id)
        if not saved.degraded:
            self.sessions.save(phone, turn.state, saved.state)
        return self.renderer.render(turn.screens)


class TwilioSender:
    """Real sends: Twilio's REST API through the twilio library's Client."""

    def __init__(self, client, texts: TopicTexts, messaging_service_sid: str = "") -> None:
        self.client = client
        self.texts = texts
        self.messaging_service_sid = messaging_service_sid

    def send(self, job: TextJob) -> None:
        call = self.client.calls(job.call_sid).fetch()
        sender = {"messaging_service_sid": self.messaging_service_sid} if self.messaging_service_sid \
            else {"from_": call.to}
        reports = self.texts.sessions.reports
        try:
            for body in self.texts.prepare(call._from, job):
                self.client.messages.create(to=call._from, body=body, **sender)
        except Exception:
            if reports is not None:
                reports.record("sms", job.lang, ["text_me_failed"])
            raise
        if reports is not None:
            reports.record("sms", job.lang, ["text_me_sent"])


@dataclass(frozen=True)
class DryRunRecord:
    call_sid: str
    node_id: str
    lang: str
    messages: tuple[str, ...]


class DryRunSender:
    """Records instead of sending: local mode without Twilio, and the simulator.

    With the caller's number (known in-process, never queued) it also moves the
    phone's SMS place exactly as a real send does.
    """

    def __init__(self, texts: TopicTexts) -> None:
        self.texts = texts
        self.sent: deque[DryRunRecord] = deque(maxlen=50)
        self._lock = threading.Lock()

    def send(self, job: TextJob, phone: str = "") -> None:
        if phone:
            messages = tuple(self.texts.prepare(phone, job))
        else:
            turn = self.texts.engine.go(State(lang=job.lang), job.node_id)
            messages = tuple(self.texts.renderer.render(turn.screens))
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
