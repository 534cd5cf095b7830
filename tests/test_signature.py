"""Only Twilio may drive the line: signatures checked against the public URL."""
from __future__ import annotations

import pytest

from ivr import create_app
from ivr.config import ConfigError
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import sign

PARAMS = {"From": "+14125550001", "To": "+14125550199", "Body": "MENU", "MessageSid": "SM1", "NumMedia": "0"}


def test_valid_signature_is_answered(client):
    response = client.post("/sms", data=PARAMS,
                           headers={"X-Twilio-Signature": sign(TEST_TOKEN, f"{PUBLIC_URL}/sms", PARAMS)})
    assert response.status_code == 200
    assert b"<Message>" in response.data


def test_missing_signature_is_forbidden(client):
    assert client.post("/sms", data=PARAMS).status_code == 403


def test_signature_with_another_token_is_forbidden(client):
    bad = sign("some-other-token", f"{PUBLIC_URL}/sms", PARAMS)
    assert client.post("/sms", data=PARAMS, headers={"X-Twilio-Signature": bad}).status_code == 403


def test_tampered_body_is_forbidden(client):
    signature = sign(TEST_TOKEN, f"{PUBLIC_URL}/sms", PARAMS)
    tampered = {**PARAMS, "Body": "STOP"}
    assert client.post("/sms", data=tampered, headers={"X-Twilio-Signature": signature}).status_code == 403


def test_unknown_parameters_are_part_of_the_signature(client):
    params = {**PARAMS, "FromCity": "PITTSBURGH", "SomeNewTwilioParam": "x"}
    good = sign(TEST_TOKEN, f"{PUBLIC_URL}/sms", params)
    assert client.post("/sms", data=params, headers={"X-Twilio-Signature": good}).status_code == 200
    without_new = sign(TEST_TOKEN, f"{PUBLIC_URL}/sms", PARAMS)
    assert client.post("/sms", data=params, headers={"X-Twilio-Signature": without_new}).status_code == 403


def test_signed_for_the_internal_url_is_forbidden(client):
    """Behind a proxy Twilio signs the public https URL, never the internal one."""
    internal = sign(TEST_TOKEN, "http://localhost/sms", PARAMS)
    assert client.post("/sms", data=PARAMS, headers={"X-Twilio-Signature": internal}).status_code == 403


def test_production_refuses_to_start_without_public_url(settings):
    # Otherwise the client would choose the signed host (X-Forwarded-Host), and a signature
    # made for another URL of the same account (staging, an old domain) would be accepted.
    with pytest.raises(ConfigError, match="IVR_PUBLIC_URL"):
        create_app({**settings, "public_url": ""}, environ={})


def test_locally_without_public_url_the_forwarded_scheme_and_host_are_used(settings):
    app = create_app({**settings, "public_url": "", "mode": "local"}, environ={})
    client = app.test_client()
    public = sign(TEST_TOKEN, "https://tunnel.example.net/sms", PARAMS)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tunnel.example.net"}
    assert client.post("/sms", data=PARAMS, headers={"X-Twilio-Signature": public, **forwarded}).status_code == 200
    assert client.post("/sms", data=PARAMS, headers={"X-Twilio-Signature": public}).status_code == 403
