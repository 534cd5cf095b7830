"""A pretend phone that talks to the line exactly as Twilio does.

Used by the web simulator and by `ivr chat` / `ivr call`: it signs each
request with the auth token (X-Twilio-Signature over the URL and every
parameter), posts Twilio's parameters, and follows the TwiML the line returns
(<Gather action>, <Redirect>, <Hangup>). There is no second code path: what
the simulator shows is what Twilio would get.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from twilio.request_validator import RequestValidator

from ivr.render.segments import count_segments
from ivr.web.security import SIMULATOR_FLAG

LINE_NUMBER = "+15550100000"


class Transport(Protocol):
    base_url: str

    def post(self, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]: ...


class AppTransport:
    """In-process: the Flask app's own WSGI stack, no network."""

    def __init__(self, app: Any, base_url: str) -> None:
        self.client = app.test_client()
        self.base_url = base_url.rstrip("/")

    def post(self, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = self.client.post(path, data=params, headers=headers, base_url=self.base_url)
        return response.status_code, response.get_data(as_text=True)


class HttpTransport:
    """A running line at a URL (local server, tunnel or staging)."""

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def post(self, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(self.base_url + path, data=body, headers={
            **headers, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def signed_post(transport: Transport, token: str, path: str, params: dict[str, str],
                signing_base: str | None = None) -> tuple[int, str]:
    url = (signing_base or transport.base_url).rstrip("/") + path
    signature = RequestValidator(token).compute_signature(url, params)
    return transport.post(path, params, {"X-Twilio-Signature": signature})


@dataclass
class TextMessage:
    text: str
    encoding: str
    segments: int


@dataclass
class Prompt:
    text: str
    language: str  # BCP 47, as Twilio's <Say language>
    voice: str


@dataclass
class CallStep:
    """What one answer of the line did: said, played, then listened, dialled or hung up."""

    status: int
    prompts: list[Prompt] = field(default_factory=list)
    plays: list[str] = field(default_factory=list)
    listening: bool = False
    hung_up: bool = False
    dialled: str = ""
    action: str = ""
    redirect: str = ""
    speech_language: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_messages(xml: str) -> list[TextMessage]:
    root = ET.fromstring(xml)
    messages = []
    for element in root.iter("Message"):
        text = element.text or ""
        count = count_segments(text)
        messages.append(TextMessage(text, count.encoding, count.segments))
    return messages


def parse_call(status: int, xml: str) -> CallStep:
    step = CallStep(status)
    if status != 200:
        return step
    for element in ET.fromstring(xml).iter():
        if element.tag == "Say":
            step.prompts.append(Prompt(" ".join(" ".join(element.itertext()).split()),
                                       element.get("language", ""), element.get("voice", "")))
        elif element.tag == "Play":
            step.plays.append(element.text or "")
        elif element.tag == "Gather":
            step.listening = True
            step.action = element.get("action", "")
            step.speech_language = element.get("language", "")
        elif element.tag == "Redirect":
            step.redirect = element.text or ""
        elif element.tag == "Hangup":
            step.hung_up = True
        elif element.tag == "Number":
            step.dialled = element.text or ""
    return step


class TextingPhone:
    def __init__(self, transport: Transport, token: str, number: str, simulated: bool = True,
                 signing_base: str | None = None) -> None:
        self.transport = transport
        self.token = token
        self.number = number
        self.simulated = simulated
        self.signing_base = signing_base

    def send(self, body: str, media: int = 0) -> tuple[int, list[TextMessage]]:
        params = {"From": self.number, "To": LINE_NUMBER, "Body": body, "NumMedia": str(media),
                  "MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32}
        if media:
            params["MediaUrl0"] = "https://example.invalid/picture.jpg"
            params["MediaContentType0"] = "image/jpeg"
        if self.simulated:
            params[SIMULATOR_FLAG] = "1"
        status, xml = signed_post(self.transport, self.token, "/sms", params, self.signing_base)
        return status, parse_messages(xml) if status == 200 else []


class CallingPhone:
    """One call: dial, then press keys, speak, stay silent; follows the line's TwiML."""

    def __init__(self, transport: Transport, token: str, number: str, simulated: bool = True,
                 call_sid: str | None = None, action: str = "", redirect: str = "",
                 signing_base: str | None = None) -> None:
        self.transport = transport
        self.token = token
        self.number = number
        self.simulated = simulated
        self.call_sid = call_sid or "CA" + uuid.uuid4().hex
        self.action = action
        self.redirect = redirect
        self.signing_base = signing_base
        self.ended = False

    def _post(self, path: str, extra: dict[str, str]) -> CallStep:
        if not path.startswith("/voice"):
            raise ValueError(f"the line asked to go to {path!r}, outside /voice")
        params = {"CallSid": self.call_sid, "From": self.number, "To": LINE_NUMBER, "CallStatus": "in-progress",
                  "Direction": "inbound", "AccountSid": "AC" + "0" * 32,
                  "StirVerstat": "TN-Validation-Passed-A", **extra}  # a fictional, fully attested caller
        if self.simulated:
            params[SIMULATOR_FLAG] = "1"
        status, xml = signed_post(self.transport, self.token, urllib.parse.urlsplit(path).path, params,
                                  self.signing_base)
        step = parse_call(status, xml)
        self.action, self.redirect = step.action, step.redirect
        self.ended = step.hung_up or not step.listening
        return step

    def dial(self) -> CallStep:
        return self._post("/voice", {"CallStatus": "ringing"})

    def press(self, key: str) -> CallStep:
        return self._post(self._listening(), {"Digits": key})

    def say(self, words: str) -> CallStep:
        return self._post(self._listening(), {"SpeechResult": words, "Confidence": "0.9"})

    def stay_silent(self) -> CallStep:
        if not self.redirect:
            raise RuntimeError("the call is not waiting for anything")
        return self._post(self.redirect, {})

    def _listening(self) -> str:
        if self.ended or not self.action:
            raise RuntimeError("the call has ended")
        return self.action
