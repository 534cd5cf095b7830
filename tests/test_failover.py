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
    assert answered > 0 and errors == 0

    lost = [patient.phone for patient in patients if "broken bones (fractures)" not in patient.send("2").text]
    assert lost == []
