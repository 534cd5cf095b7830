"""Usage reports: counts per day, channel, language and event, and nothing that points to a person."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Caller, Texter, sign

ROOT = Path(__file__).resolve().parent.parent


def report_csv(redis_url: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "ivr.tools.cli", "report", "--since", "2d", "--format", "csv"],
                            cwd=ROOT, env={**os.environ, "REDIS_URL": redis_url}, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def count(rows: list[dict], channel: str, language: str, event: str) -> int:
    return sum(int(row["count"]) for row in rows
               if (row["channel"], row["language"], row["event"]) == (channel, language, event))


def test_a_mixed_run_of_texts_and_calls_is_counted_right(client, redis_url, redis_client):
    english = [Texter(client, f"+1412560{n:04d}", TEST_TOKEN, PUBLIC_URL) for n in range(3)]
    for texter in english:
        texter.send("BONE")
    english[0].send("blah blah")
    spanish = Texter(client, "+14125609999", TEST_TOKEN, PUBLIC_URL)
    spanish.send("hola")
    spanish.send("me duelen los huesos")
    spanish.send("quiero morir")
    caller = Caller(client, "+14125608888", TEST_TOKEN, PUBLIC_URL)
    caller.dial()
    caller.press("2")  # Español
    caller.press("2")  # Síntomas
    params = {"CallSid": caller.call_sid, "From": caller.phone, "CallStatus": "completed"}
    client.post("/voice/status", data=params,
                headers={"X-Twilio-Signature": sign(TEST_TOKEN, PUBLIC_URL + "/voice/status", params)})

    rows = report_csv(redis_url)
    assert rows and set(rows[0]) == {"date", "channel", "language", "event", "count"}
    assert count(rows, "sms", "en", "topic:symptoms.bone") == 3
    assert count(rows, "sms", "en", "not_understood") == 1
    assert count(rows, "sms", "es", "topic:symptoms.bone") == 1
    assert count(rows, "sms", "es", "crisis") == 1
    assert count(rows, "voice", "", "call_started") + count(rows, "voice", "-", "call_started") == 1
    assert count(rows, "voice", "es", "language_chosen") == 1
    assert count(rows, "voice", "es", "topic:symptoms") == 1
    assert count(rows, "voice", "es", "hangup:symptoms") == 1


def test_report_keys_hold_no_number_no_hash_and_no_text(client, redis_client):
    phone = "+14125607777"
    Texter(client, phone, TEST_TOKEN, PUBLIC_URL).send("my bones hurt so much")
    keys = redis_client.keys("ivr:r:*")
    assert keys
    from ivr.state.sessions import pseudonym
    from tests.conftest import TEST_SECRET

    name = pseudonym(TEST_SECRET.encode(), "phone", phone)
    for key in keys:
        assert redis_client.ttl(key) > 300 * 24 * 3600
        for field, value in redis_client.hgetall(key).items():
            assert phone.lstrip("+") not in field and name not in field and "bones hurt" not in field
            assert value.isdigit()


def test_one_json_log_line_per_webhook_without_numbers_or_text(texter, caplog):
    import json

    caplog.set_level("INFO", logger="ivr.webhook")
    texter.send("my bones hurt")
    lines = [record.getMessage() for record in caplog.records if record.name == "ivr.webhook"]
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["channel"] == "sms" and "content:symptoms.bone" in record["events"]
    assert record["state_available"] is True and record["ms"] > 0
    assert texter.phone.lstrip("+") not in lines[0] and "bones" not in lines[0]


def test_readyz_says_what_each_language_lacks_and_health_means_alive(client):
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body["ready"] and body["entries_served_in_english"] == {"es": 0}
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_the_home_page_leads_to_the_web_phone_locally(settings):
    from ivr import create_app

    local = create_app({**settings, "mode": "local"}, environ={}).test_client().get("/")
    body = local.get_data(as_text=True)
    assert local.status_code == 200 and 'href="/simulator"' in body and 'href="/card/es"' in body
    assert create_app(settings, environ={}).test_client().get("/").status_code == 200


def test_metrics_only_with_the_token_in_production_and_no_phone_digits(settings, phone_number):
    from ivr import create_app

    closed = create_app(settings, environ={}).test_client()
    assert closed.get("/metrics").status_code == 404  # no token set: not served at all
    token = "metrics-token-0123456789"
    app = create_app({**settings, "metrics_token": token}, environ={})
    client = app.test_client()
    Texter(client, phone_number, TEST_TOKEN, PUBLIC_URL).send("BONE")
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    body = client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).get_data(as_text=True)
    assert 'infoline_webhook_seconds_bucket{channel="sms"' in body
    assert 'infoline_events_total{channel="sms",event="content"}' in body
    assert phone_number.lstrip("+") not in body and phone_number[-7:] not in body


def test_kept_unanswered_texts_lose_digits_and_emails_and_show_on_the_report(settings, redis_client):
    from ivr import create_app

    app = create_app({**settings, "keep_unanswered": True, "mode": "local"}, environ={})
    client = app.test_client()
    texter = Texter(client, "+14125605555", TEST_TOKEN, PUBLIC_URL)
    texter.send("my number 412 555 0199, mail jane.doe@example.org about zorbles")
    texter.send("BONE")  # understood: never kept
    [key] = redis_client.keys("ivr:u:*")
    kept = redis_client.lrange(key, 0, -1)
    assert kept == ["my number ### ### ####, mail [e-mail] about zorbles"]
    assert 13 * 24 * 3600 < redis_client.ttl(key) <= 14 * 24 * 3600
    assert "zorbles" in client.get("/report").get_data(as_text=True)


def test_nothing_is_kept_by_default(client, texter, redis_client):
    texter.send("zorbles and frobnicate")
    assert redis_client.keys("ivr:u:*") == []
