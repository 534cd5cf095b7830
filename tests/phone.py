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
