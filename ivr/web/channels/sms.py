"""POST /sms: Twilio's messaging webhook.

Parses the request into one engine input, runs the engine on the phone's
saved state, saves the new state and answers with <Message> elements. A
retried webhook (same MessageSid or idempotency token) is answered again
from the saved state before it, and nothing moves.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from ivr.state.conversation import take_turn
from ivr.engine import Input, Kind, Media, OptOutRecorded, Screen, Text
from ivr.line import Line
from ivr.web.channels.observe import log_webhook
from ivr.web.security import twilio_only
from ivr.texting import can_receive_sms

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__)


def sms_input(form) -> Input:
    if form.get("OptOutType"):
        return OptOutRecorded(form["OptOutType"])
    body = form.get("Body", "")
    try:
        media = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        media = 0
    if not body.strip() and media > 0:
        return Media()
    return Text(body)


def twiml(messages: list[str]) -> Response:
    response = MessagingResponse()
    for text in messages:
        response.message(text)
    return Response(str(response), mimetype="text/xml")


@bp.post("/sms")
@twilio_only
def incoming_sms() -> Response:
    line: Line = current_app.extensions["infoline"]
    phone = str(request.form.get("From", "")).strip()
    event = sms_input(request.form)
    if not can_receive_sms(phone):
        # A short code or an alphanumeric sender is a machine (an auto-responder): never answer,
        # or two machines would text each other for ever at the line's cost.
        log.info("sms from a sender that is not a phone number: not answered")
        return twiml([])
    request_key = request.form.get("MessageSid") or request.headers.get("I-Twilio-Idempotency-Token", "")
    turn, saved, retry = take_turn(line.sessions, line.sms_engine, phone, event, request_key, count=True,
                                   limit=line.settings.sms_per_window)
    if retry:
        log.info("sms retry or replay, state unchanged: %s", ",".join(turn.events) or "answered again")
    screens = turn.screens
    if "opt_out" in turn.events and not saved.stored:
        screens = (Screen(Kind.OPT_OUT_UNSAVED, turn.state.lang),)  # say so: the patient must not believe it
    messages = line.sms_renderer.render(screens)
    if line.settings.keep_unanswered and "not_understood" in turn.events and line.sessions.reports and not retry:
        line.sessions.reports.keep_unanswered(str(request.form.get("Body", "")))
    log_webhook("sms", turn, saved, messages=len(messages))
    return twiml(messages)
