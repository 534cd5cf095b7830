"""'Press 8 to get this by text': eligibility, a daily limit, and delivery off the call.

The caller never waits on Twilio's REST API: the request is queued (RQ on the
same Redis in production, a background thread locally) and sent by a worker.
A queued job holds only the CallSid, the topic id and the language, never
the phone number or the text: the worker asks Twilio for the call's numbers
and renders the topic itself. Failed sends are retried, then logged.
"""
from __future__ import annotations

import datetime as dt
import logging
import queue
import re
import threading
import time
from dataclasses import dataclass
from typing import Callable, Protocol

from ivr.engine import TextOutcome
from ivr.state.sessions import pseudonym
from ivr.state.store import Store, StoreUnavailable

log = logging.getLogger(__name__)

E164 = re.compile(r"^\+[1-9]\d{6,14}$")  # + and 7 to 15 digits: the one definition (config uses it too)
RETRY_DELAYS = (2.0, 10.0, 30.0)  # seconds before each retry of a failed send
QUEUE_NAME = "infoline-texts"


def can_receive_sms(number: str) -> bool:
    """A full international number: not 'anonymous', 'unknown', a short code or a SIP address."""
    return bool(E164.match(number.strip()))


def country_of(number: str) -> str:
    """The ISO country of an E.164 number ("" when unknown), from Google's libphonenumber data."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number.strip())
    except phonenumbers.NumberParseException:
        return ""
    # A number the tables do not place (a new range, a fictional 555) still has its country code.
    return phonenumbers.region_code_for_number(parsed) or phonenumbers.region_code_for_country_code(
        parsed.country_code or 0) or ""




@dataclass(frozen=True)
class TextJob:
    call_sid: str
    node_id: str
    lang: str


class Outbox(Protocol):
    def enqueue(self, job: TextJob) -> None: ...


class Sender(Protocol):
    def send(self, job: TextJob) -> None: ...


class TextMe:
    """Decides whether a caller may get a topic by SMS, and queues it."""

    def __init__(self, store: Store, secret: bytes, outbox: Outbox | None, per_day: int,
                 countries: tuple[str, ...] = ("US",), per_day_total: int = 500) -> None:
        self.store = store
        self.secret = secret
        self.outbox = outbox
        self.per_day = per_day
        self.countries = countries
        self.per_day_total = per_day_total

    @property
    def enabled(self) -> bool:
        return self.outbox is not None

    def _counter(self, caller: str, today: dt.date | None) -> str:
        return f"ivr:t:{pseudonym(self.secret, 'phone', caller)}:{(today or dt.date.today()).isoformat()}"

    def _refusal(self, caller: str, opted_out: bool, attested: bool = True) -> TextOutcome | None:
        if self.outbox is None:
            return TextOutcome.OFF
        if not can_receive_sms(caller):
            return TextOutcome.CANNOT_RECEIVE
        if not attested:
            return TextOutcome.UNVERIFIED
        if country_of(caller) not in self.countries:
            return TextOutcome.COUNTRY
        if opted_out:
            return TextOutcome.OPTED_OUT
        return None

    def request(self, caller: str, job: TextJob, opted_out: bool, today: dt.date | None = None,
                deliver: Callable[[TextJob], None] | None = None, attested: bool = True) -> TextOutcome:
        """SENT or a refusal. `deliver` replaces the queue (simulator).

        Every side effect happens once: a topic is sent at most once per call
        (so a replayed key press queues nothing), within the phone's and the
        whole line's daily limits.
        """
        refusal = self._refusal(caller, opted_out, attested)
        if refusal:
            return refusal
        day = (today or dt.date.today()).isoformat()
        once = f"ivr:tc:{pseudonym(self.secret, 'call', job.call_sid)}:{job.node_id}"
        try:
            if self.store.count(once, 2 * 24 * 3600) > 1:
                return TextOutcome.ALREADY_SENT
            if self.store.count(f"ivr:tl:{day}", 2 * 24 * 3600) > self.per_day_total:
                return TextOutcome.LINE_LIMIT
            if self.store.count(self._counter(caller, today), 2 * 24 * 3600) > self.per_day:
                return TextOutcome.LIMIT
            send = deliver or (self.outbox.enqueue if self.outbox is not None else None)
            if send is None:
                return TextOutcome.OFF
            send(job)
        except StoreUnavailable as exc:
            log.error("text-me not queued: store unavailable (%s)", exc)
            return TextOutcome.FAILED
        except Exception as exc:  # noqa: BLE001 - a queue failure must not break the call
            log.error("text-me not queued: %s", type(exc).__name__)
            return TextOutcome.FAILED
        return TextOutcome.SENT

    def outcome_of_retry(self, caller: str, opted_out: bool, today: dt.date | None = None,
                         attested: bool = True) -> TextOutcome:
        """What the first answer said, for a retried webhook: nothing is counted or sent again."""
        refusal = self._refusal(caller, opted_out, attested)
        if refusal:
            return refusal
        try:
            (count,) = self.store.get_many([self._counter(caller, today)])
        except StoreUnavailable:
            return TextOutcome.FAILED
        return TextOutcome.SENT if count is not None and int(count) <= self.per_day else TextOutcome.LIMIT


def deliver_with_retries(send: Callable[[TextJob], None], job: TextJob,
                         delays: tuple[float, ...] = RETRY_DELAYS, sleep: Callable[[float], None] = time.sleep) -> bool:
    for attempt in range(len(delays) + 1):
        try:
            send(job)
            log.info("text-me sent node=%s lang=%s attempt=%d", job.node_id, job.lang, attempt + 1)
            return True
        except Exception as exc:  # noqa: BLE001 - logged, retried, then reported
            code = getattr(exc, "code", "") or ""
            log.warning("text-me send failed node=%s attempt=%d: %s %s", job.node_id, attempt + 1,
                        type(exc).__name__, code)
            if attempt < len(delays):
                sleep(delays[attempt])
    log.error("text-me gave up after %d attempts node=%s lang=%s", len(delays) + 1, job.node_id, job.lang)
    return False


class ThreadOutbox:
    """Local mode: one background thread sends queued texts, with retries."""

    def __init__(self, sender: Sender, delays: tuple[float, ...] = RETRY_DELAYS) -> None:
        self.sender = sender
        self.delays = delays
        self._queue: queue.Queue[TextJob] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="text-me", daemon=True)
        self._thread.start()

    def enqueue(self, job: TextJob) -> None:
        self._queue.put(job)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                deliver_with_retries(self.sender.send, job, self.delays)
            finally:
                self._queue.task_done()

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until every queued text is sent or given up (for tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)


JOB = "ivr.worker.deliver_job"  # what the queue runs (`ivr worker`); see ivr/worker.py


class RQOutbox:
    """Production: jobs on Redis for the `ivr worker` process (RQ), retried by RQ."""

    def __init__(self, redis_url: str = "", connection=None) -> None:
        from redis import Redis
        from rq import Queue

        self.queue = Queue(QUEUE_NAME, connection=connection or Redis.from_url(redis_url, socket_timeout=1.0))

    def enqueue(self, job: TextJob) -> None:
        from rq import Retry

        self.queue.enqueue(JOB, job.call_sid, job.node_id, job.lang,
                           retry=Retry(max=len(RETRY_DELAYS), interval=[int(d) for d in RETRY_DELAYS]),
                           ttl=3600, result_ttl=0, failure_ttl=24 * 3600)




class TextSendFailed(RuntimeError):
    """A send failed; carries Twilio's error code only, never its message (it names the phone)."""


def deliver_job(call_sid: str, node_id: str, lang: str) -> None:
    """The job name of earlier releases: texts queued then are still sent (by ivr.worker)."""
    from ivr.worker import deliver_job as deliver  # the one upward import, for old queued jobs (tests/test_layers.py)

    deliver(call_sid, node_id, lang)
