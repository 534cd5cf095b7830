"""Redis Sentinel, for real: the primary is killed mid-conversation and patients carry on.

A primary, a replica and three sentinels run as redis-server processes. Thirty
conversations reach a menu; the primary is killed; texts keep coming while
the sentinels promote the replica (answered, never an error); then every
conversation carries on from its place on the new primary.
"""
from __future__ import annotations

import time

import pytest

from ivr import create_app
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Texter
from tests.redis_servers import SentinelGroup

pytestmark = pytest.mark.solo  # starts servers or times the line: alone, after the rest

SORRY = "something went wrong"


@pytest.fixture
def group():
    group = SentinelGroup().start()
    yield group
    group.close()


def test_a_sentinel_failover_keeps_every_conversation_and_never_errs(settings, group):
    app = create_app({**settings, "redis_url": "", "redis_mode": "sentinel", "redis_sentinels": group.addresses,
                      "redis_timeout": 0.3}, environ={})
    client = app.test_client()
    patients = [Texter(client, f"+1412562{n:04d}", TEST_TOKEN, PUBLIC_URL) for n in range(30)]
    for patient in patients:
        assert "Early signs" in patient.send("SYMPTOMS").text
    old = group.primary_port()
    # Replication is asynchronous: writes of the last moment before a crash can be lost (the README
    # says so). Here the replica has caught up, so no conversation may be lost.
    group.settle()
    group.primary.kill()

    errors, answered, started = 0, 0, time.monotonic()
    while group.primary_port() == old and time.monotonic() - started < 20:
        reply = Texter(client, "+14125629999", TEST_TOKEN, PUBLIC_URL).send("HELLO")
        answered += 1
        errors += reply.status != 200 or SORRY in reply.text
        time.sleep(0.05)
    assert group.primary_port() != old, "the sentinels did not promote the replica"
    group.wait_until_promoted()  # the sentinels have named it; it now takes writes as a primary
    assert answered > 0 and errors == 0

    lost = [patient.phone for patient in patients if "broken bones (fractures)" not in patient.send("2").text]
    assert lost == []


def test_two_app_replicas_share_every_conversation(settings, phone_number):
    """Two processes of the line, one Redis: each message may reach either, the conversation is one."""
    replicas = [create_app(settings, environ={}).test_client() for _ in range(2)]
    texters = [Texter(client, phone_number, TEST_TOKEN, PUBLIC_URL) for client in replicas]
    texters[0].send("HOLA")
    assert "2 Síntomas" in texters[1].send("MENU").text  # the language chosen on one, kept on the other
    texters[0].send("2")
    assert "huesos rotos (fracturas)" in texters[1].send("2").text  # the place moved on one, used on the other
    back = texters[0].send("ATRAS").text  # and back on the first: the symptoms menu, in Spanish
    assert "2 Huesos" in back and "Los síntomas dependen" in back
