"""A pretend phone for tests: signs requests exactly as Twilio does."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from twilio.request_validator import RequestValidator

LINE_NUMBER = "+14125550199"


def sign(token: str, url: str, params: dict[str, str]) -> str:
    return RequestValidator(token).compute_signature(url, params)


@dataclass
class Reply:
    status: int
    content_type: str
    xml: str
    messages: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n---\n".join(self.messages)


def parse_messages(xml: str) -> list[str]:
    root = ET.fromstring(xml)
    assert root.tag == "Response", xml
    return [(message.text or "") for message in root.iter("Message")]


class Texter:
    """Sends signed SMS webhooks for one phone number."""

    def __init__(self, client, phone: str, token: str, public_url: str, path: str = "/sms") -> None:
        self.client = client
        self.phone = phone
        self.token = token
        self.url = public_url.rstrip("/") + path
        self.path = path

    def send(self, body: str, sid: str | None = None, headers: dict | None = None, **extra: str) -> Reply:
        params = {"From": self.phone, "To": LINE_NUMBER, "Body": body,
                  "MessageSid": sid or "SM" + uuid.uuid4().hex, "NumMedia": "0",
                  "AccountSid": "AC" + "0" * 32, **extra}
        signature = sign(self.token, self.url, params)
        response = self.client.post(self.path, data=params,
                                    headers={"X-Twilio-Signature": signature, **(headers or {})})
        xml = response.get_data(as_text=True)
        messages = parse_messages(xml) if response.status_code == 200 else []
        return Reply(response.status_code, response.content_type, xml, messages)


@dataclass
class Heard:
    """What a caller hears from one TwiML answer, and what the call does next."""

    status: int
    xml: str
    sayings: list[tuple[str, str, str]] = field(default_factory=list)  # (voice, language, text)
    plays: list[str] = field(default_factory=list)
    gather: dict[str, str] | None = None
    redirect: str | None = None
    hangup: bool = False
    dial: str | None = None

    @property
    def text(self) -> str:
        return " ".join(text for _, _, text in self.sayings)


def parse_voice(status: int, xml: str) -> Heard:
    heard = Heard(status, xml)
    if status != 200:
        return heard
    root = ET.fromstring(xml)
    assert root.tag == "Response", xml
    for element in root.iter():
        if element.tag == "Say":
            text = " ".join(" ".join(element.itertext()).split())
            heard.sayings.append((element.get("voice", ""), element.get("language", ""), text))
        elif element.tag == "Play":
            heard.plays.append(element.text or "")
        elif element.tag == "Gather":
            heard.gather = dict(element.attrib)
        elif element.tag == "Redirect":
            heard.redirect = element.text
        elif element.tag == "Hangup":
            heard.hangup = True
        elif element.tag == "Number":
            heard.dial = element.text
    return heard


class Caller:
    """Places a signed call and follows the TwiML like Twilio: Gather action, Redirect, Hangup."""

    def __init__(self, client, phone: str, token: str, public_url: str, call_sid: str | None = None,
                 verstat: str = "TN-Validation-Passed-A") -> None:
        self.verstat = verstat  # SHAKEN/STIR verdict Twilio adds; "" for a call that carries none
        self.client = client
        self.phone = phone
        self.token = token
        self.public_url = public_url.rstrip("/")
        self.call_sid = call_sid or "CA" + uuid.uuid4().hex
        self.last: Heard | None = None

    def _post(self, path: str, extra: dict[str, str] | None = None, headers: dict | None = None) -> Heard:
        params = {"CallSid": self.call_sid, "From": self.phone, "To": LINE_NUMBER, "CallStatus": "in-progress",
                  "Direction": "inbound", "AccountSid": "AC" + "0" * 32,
                  **({"StirVerstat": self.verstat} if self.verstat else {}), **(extra or {})}
        signature = sign(self.token, self.public_url + path, params)
        response = self.client.post(path, data=params, headers={"X-Twilio-Signature": signature, **(headers or {})})
        self.last = parse_voice(response.status_code, response.get_data(as_text=True))
        return self.last

    def dial(self) -> Heard:
        return self._post("/voice", {"CallStatus": "ringing"})

    def press(self, key: str, headers: dict | None = None) -> Heard:
        assert self.last and self.last.gather, "nothing is listening for a key"
        return self._post(self.last.gather["action"], {"Digits": key}, headers)

    def say(self, words: str, confidence: str = "0.9") -> Heard:
        assert self.last and self.last.gather, "nothing is listening for speech"
        return self._post(self.last.gather["action"], {"SpeechResult": words, "Confidence": confidence})

    def wait(self) -> Heard:
        """Stay silent: Twilio moves on to the <Redirect> after the <Gather>."""
        assert self.last and self.last.redirect, "no redirect to follow after silence"
        return self._post(self.last.redirect)

    def act(self, action: str) -> Heard:
        """Transcript actions: 'dial', 'press 2', 'say bone pain', 'wait'."""
        verb, _, rest = action.partition(" ")
        if verb == "dial":
            return self.dial()
        if verb == "press":
            return self.press(rest)
        if verb == "say":
            return self.say(rest)
        if verb == "wait":
            return self.wait()
        raise ValueError(f"unknown call action {action!r}")
