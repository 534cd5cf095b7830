"""A Redis outage, for real: a redis-server killed and restarted under the line.

Patients are answered all through it (never an error), the line recovers by
itself, and conversations that had a place before the outage carry on.
"""
from __future__ import annotations

import pytest

from ivr import create_app
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Texter

pytestmark = pytest.mark.solo  # starts servers or times the line: alone, after the rest

SORRY = "something went wrong"


@pytest.fixture
def server(redis_server):
    return redis_server


@pytest.fixture
def outage_app(settings, server):
    return create_app({**settings, "redis_url": server.url, "redis_timeout": 0.2}, environ={})


def texters(app, count: int, start: int = 7000) -> list[Texter]:
    client = app.test_client()
    return [Texter(client, f"+1412556{start + n:04d}", TEST_TOKEN, PUBLIC_URL) for n in range(count)]


def test_down_degraded_back_and_every_place_carried_on(outage_app, server):
    patients = texters(outage_app, 30)
    for patient in patients:
        assert "Early signs" in patient.send("SYMPTOMS").text
    bystanders = texters(outage_app, 150, start=8000)

    server.kill()
    # More requests than the connection pool holds (100): none may leak a connection.
    for bystander in bystanders:
        reply = bystander.send("HELLO")
        assert reply.status == 200
        assert SORRY not in reply.text
        assert "Symptoms" in reply.text  # answered from the top
    assert outage_app.test_client().get("/healthz").get_json()["status"] == "degraded"

    server.restart()
    health = outage_app.test_client().get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"
    for patient in patients:
        # The place from before the outage is still there: 2 is Bone symptoms.
        assert "broken bones (fractures)" in patient.send("2").text
    newcomer = texters(outage_app, 1, start=9000)[0]
    assert "Early signs" in newcomer.send("SYMPTOMS").text


def test_after_a_restart_the_first_message_is_not_answered_from_the_top(outage_app, server):
    patient = texters(outage_app, 1)[0]
    patient.send("SYMPTOMS")
    server.restart()  # every pooled connection is now stale
    assert "broken bones (fractures)" in patient.send("2").text


def test_a_turn_answered_during_the_outage_is_what_counts_once_redis_is_back(outage_app, server):
    patient = texters(outage_app, 1)[0]
    patient.send("SYMPTOMS")  # saved: the symptoms menu
    server.kill()
    during = patient.send("TREATMENT")  # answered, not saved: the treatment menu
    assert "Chemotherapy" in during.text
    server.restart()
    # The patient answers the menu they saw (treatment), not the one saved before the outage.
    assert "medicines that travel in your blood" in patient.send("2").text


def test_a_full_redis_is_unhealthy_and_still_answers(outage_app, server):
    patient = texters(outage_app, 1)[0]
    patient.send("SYMPTOMS")
    server.client().config_set("maxmemory", "1")
    server.client().config_set("maxmemory-policy", "noeviction")
    health = outage_app.test_client().get("/healthz").get_json()
    assert health["status"] == "degraded"
    reply = patient.send("2")
    assert reply.status == 200 and SORRY not in reply.text
    assert "broken bones" in reply.text  # the place can still be read
