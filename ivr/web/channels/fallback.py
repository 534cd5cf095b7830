"""What a patient gets when something inside the line broke: a kind answer, not an error."""
from __future__ import annotations

from flask import Response
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

SMS_SORRY = "Sorry, something went wrong on our side. Please reply MENU to try again."
VOICE_SORRY = "Sorry, something went wrong on our side. Please call again later. Goodbye."


def fallback_twiml(path: str) -> Response:
    if path.startswith("/voice"):
        response = VoiceResponse()
        response.say(VOICE_SORRY)
        response.hangup()
    else:
        response = MessagingResponse()
        response.message(SMS_SORRY)
    return Response(str(response), mimetype="text/xml")
