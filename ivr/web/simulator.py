"""GET /simulator: a web phone for trying every path without a Twilio account.

The page's text thread and keypad call a small JSON API here, which drives the
real /sms and /voice webhooks in-process through `phone_driver` (signed with
the line's own token, following the TwiML). On by default in local mode; in
production only with IVR_SIMULATOR_PASSWORD (HTTP Basic auth). Requests it
makes are flagged (a signed parameter Twilio never sends), so "press 8" is a
dry run shown on the page, never a real SMS.
"""
from __future__ import annotations

import hmac
import logging
import threading
import time
from dataclasses import asdict

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    request,
    send_from_directory,
)

from ivr.line import Line
from ivr.web.phone_driver import AppTransport, CallingPhone, TextingPhone
from ivr.render.segments import count_segments

log = logging.getLogger(__name__)
bp = Blueprint("simulator", __name__, static_folder="static", static_url_path="/simulator/static")


def enabled() -> bool:
    settings = current_app.config["IVR_SETTINGS"]
    return settings.local or bool(settings.simulator_password)


@bp.before_request
def guard():
    settings = current_app.config["IVR_SETTINGS"]
    if not enabled():
        abort(404)
    if settings.simulator_password:
        auth = request.authorization
        given = (auth.password or "") if auth else ""
        if not hmac.compare_digest(given.encode(), settings.simulator_password.encode()):
            if not current_app.extensions.setdefault("simulator_tries", Throttle()).allow(request.remote_addr or ""):
                log.warning("simulator: too many wrong passwords; refusing for a minute")
                return Response("Too many tries. Wait a minute.", 429, {"Retry-After": "60"})
            log.warning("simulator: wrong or missing password")
            return Response("The simulator needs its password.", 401,
                            {"WWW-Authenticate": 'Basic realm="Infoline simulator"'})
    return None


class Throttle:
    """At most `limit` failures per address a minute, across the whole process (a guessing brake)."""

    def __init__(self, limit: int = 10, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 10_000:
                self._failures.clear()
            recent = [moment for moment in self._failures.get(address, []) if now - moment < self.window]
            recent.append(now)
            self._failures[address] = recent
            return len(recent) <= self.limit



FICTIONAL_PREFIX = "+1555"  # NANP 555 numbers: never a real patient


def _phone_number() -> str:
    number = str((request.get_json(silent=True) or {}).get("from") or request.args.get("from") or "").strip()
    if not number or len(number) > 32:
        abort(400, "give the caller's number as 'from'")
    if not current_app.config["IVR_SETTINGS"].local and not number.startswith(FICTIONAL_PREFIX):
        # In production the simulator must not read or move a real patient's state.
        abort(400, f"in production the simulator uses fictional numbers starting {FICTIONAL_PREFIX}")
    return number


def _transport() -> tuple[AppTransport, str]:
    settings = current_app.config["IVR_SETTINGS"]
    base = request.host_url.rstrip("/")
    return AppTransport(current_app, base), settings.public_url or base


@bp.get("/simulator")
def page():
    return send_from_directory(bp.static_folder, "simulator.html")


@bp.post("/simulator/api/sms")
def text():
    data = request.get_json(silent=True) or {}
    transport, signing = _transport()
    token = current_app.config["IVR_SETTINGS"].auth_token
    phone = TextingPhone(transport, token, _phone_number(), signing_base=signing)
    status, messages = phone.send(str(data.get("body", ""))[:1600], media=1 if data.get("picture") else 0)
    return jsonify(status=status, messages=[asdict(message) for message in messages])


@bp.post("/simulator/api/call")
def call():
    data = request.get_json(silent=True) or {}
    transport, signing = _transport()
    token = current_app.config["IVR_SETTINGS"].auth_token
    call_sid = data.get("call_sid") or None
    if call_sid is not None and (not isinstance(call_sid, str) or len(call_sid) > 64):
        abort(400, "call_sid must be the text the previous step returned")
    phone = CallingPhone(transport, token, _phone_number(), call_sid=call_sid,
                         action=str(data.get("action_url", "")), redirect=str(data.get("redirect_url", "")),
                         signing_base=signing)
    action, value = data.get("action"), str(data.get("value", ""))
    try:
        if action == "dial":
            step = phone.dial()
        elif action == "press" and len(value) == 1 and value in "0123456789*#":
            step = phone.press(value)
        elif action == "say" and value.strip():
            step = phone.say(value[:200])
        elif action == "silence":
            step = phone.stay_silent()
        else:
            abort(400, "action must be dial, press (one key), say (words) or silence")
    except (RuntimeError, ValueError) as error:
        abort(409, str(error))
    line: Line = current_app.extensions["infoline"]
    # Each text with its encoding and segments, so the page's thread can show its cost like any reply.
    texts = [{**asdict(record), "counts": [asdict(count_segments(message)) for message in record.messages]}
             for record in line.simulated_texts.take(phone.call_sid)]
    return jsonify(call_sid=phone.call_sid, step=step.to_dict(), texts=texts)


@bp.get("/simulator/api/state")
def state():
    line: Line = current_app.extensions["infoline"]
    saved = line.sessions.load(_phone_number())
    return jsonify(known=saved.known, degraded=saved.degraded, state=asdict(saved.state),
                   languages=line.translations.locales, voice_languages=line.voice_engine.locales)


@bp.errorhandler(400)
@bp.errorhandler(409)
def api_error(error):
    return jsonify(error=error.description), error.code
