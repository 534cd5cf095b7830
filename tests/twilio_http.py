"""A test HTTP client for the twilio library: records REST requests, never sends."""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field

from twilio.http import HttpClient
from twilio.http.response import Response


@dataclass
class RecordedRequest:
    method: str
    url: str
    data: dict = field(default_factory=dict)


class RecordingHttpClient(HttpClient):
    """Answers like Twilio's API: a call's numbers on GET, a queued message on POST."""

    def __init__(self, caller: str = "+14125550123", line: str = "+14125550199", fail_times: int = 0) -> None:
        super().__init__(logging.getLogger('twilio.http_client'), is_async=False)
        self.caller = caller
        self.line = line
        self.fail_times = fail_times
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        with self._lock:
            self.requests.append(RecordedRequest(method, url, dict(data or {})))
            if self.fail_times > 0 and method == "POST":
                self.fail_times -= 1
                return Response(500, json.dumps({"message": "test failure", "status": 500}))
        if method == "GET" and "/Calls/" in url:
            sid = url.rsplit("/", 1)[-1].removesuffix(".json")
            return Response(200, json.dumps({"sid": sid, "from": self.caller, "to": self.line, "status": "in-progress"}))
        if method == "POST" and url.endswith("/Messages.json"):
            return Response(201, json.dumps({"sid": "SM" + "1" * 32, "status": "queued", "to": data.get("To"),
                                             "from": data.get("From"), "body": data.get("Body")}))
        return Response(404, json.dumps({"message": "not found", "status": 404}))

    @property
    def messages(self) -> list[RecordedRequest]:
        return [request for request in self.requests if request.method == "POST"
                and request.url.endswith("/Messages.json")]
