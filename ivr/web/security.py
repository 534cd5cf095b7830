"""Twilio request signatures: every webhook proves it came from Twilio.

The URL Twilio signed is the public one. Behind a TLS proxy the app sees
http://internal-host, so it rebuilds the public URL: IVR_PUBLIC_URL when set,
else the scheme and host forwarded by one proxy (ProxyFix in the app factory).
There is no switch to turn checking off; local tools sign with the dev token.
"""
from __future__ import annotations

import functools
import logging
from typing import Callable, Mapping

from functools import lru_cache
from urllib.parse import parse_qs, urlparse

from flask import Request, abort, current_app, request
from twilio.request_validator import RequestValidator, add_port, compare, remove_port

log = logging.getLogger(__name__)

#: The web phone marks its requests with this form field, signed like every parameter (Twilio never
#: sends it), so a text asked for on a simulated call goes to the web phone's thread, not to a phone.
SIMULATOR_FLAG = "IvrSimulator"


def signed_url(req: Request, public_url: str) -> str:
    """The URL Twilio used for this request, as it signed it."""
    if not public_url:
        return req.url
    query = req.query_string.decode("latin-1")
    return public_url.rstrip("/") + req.path + (f"?{query}" if query else "")


class OnceValidator(RequestValidator):
    """The twilio library's validator, stopping at the first URL form that matches.

    The library always computes the signature twice (the URL with and without
    its port, as Twilio signs either); the usual form comes first here, so most
    requests cost one HMAC. Signing and comparing are the library's own.
    """

    def validate(self, uri, params, signature, algorithm=None):
        parsed = urlparse(uri)
        if "bodySHA256" in parse_qs(parsed.query) or not isinstance(params, Mapping):
            return super().validate(uri, params, signature, algorithm)
        return any(compare(self.compute_signature(candidate, params, algorithm), signature)
                   for candidate in (remove_port(parsed), add_port(parsed)))


@lru_cache(maxsize=4)
def validator_for(auth_token: str) -> RequestValidator:
    return OnceValidator(auth_token)


def signature_is_valid(req: Request, auth_token: str, public_url: str) -> bool:
    signature = req.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    return validator_for(auth_token).validate(signed_url(req, public_url), req.form, signature)


def twilio_only(view: Callable) -> Callable:
    """Answer 403 unless the request carries a valid X-Twilio-Signature."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        settings = current_app.config["IVR_SETTINGS"]
        if not signature_is_valid(request, settings.auth_token, settings.public_url):
            log.warning("rejected unsigned or wrongly signed request to %s", request.path)
            abort(403)
        return view(*args, **kwargs)

    return checked
