"""The bare route `make load` compares the line with: Flask under the same gunicorn, constant TwiML."""
from flask import Flask, Response
from twilio.twiml.messaging_response import MessagingResponse

app = Flask("bare")
_reply = MessagingResponse()
_reply.message("Metastatic breast cancer information.")
BODY = str(_reply)


@app.post("/sms")
@app.post("/voice")
@app.post("/voice/input")
def answer() -> Response:
    return Response(BODY, mimetype="text/xml")


@app.get("/healthz")
def health() -> Response:
    return Response("ok", mimetype="text/plain")
