"""Redis Cluster, for real: six redis-server processes, a phone's keys in one slot, a primary killed.

Three primaries and three replicas. Conversations spread over the primaries;
each phone's keys share a hash tag, so a turn reads one node and writes one.
A primary is killed; texts keep coming while its replica takes over (answered,
never an error); then every conversation carries on from its place.
"""
from __future__ import annotations

import time

import pytest
import redis

from ivr import create_app
from ivr.state.sessions import pseudonym
from tests.conftest import PUBLIC_URL, TEST_SECRET, TEST_TOKEN
from tests.phone import Texter
from tests.redis_servers import ClusterGroup

pytestmark = pytest.mark.solo  # starts servers or times the line: alone, after the rest

SORRY = "something went wrong"


@pytest.fixture(scope="module")
def cluster():
    group = ClusterGroup().start()
    yield group
    group.close()


def cluster_app(settings, cluster):
    return create_app({**settings, "redis_url": cluster.url, "redis_mode": "cluster", "redis_timeout": 0.3},
                      environ={})


def keys_of(cluster: ClusterGroup, phone: str) -> list[str]:
    tag = "{" + pseudonym(TEST_SECRET.encode(), "phone", phone) + "}"
    client = redis.RedisCluster(host="127.0.0.1", port=cluster.nodes[0].port, decode_responses=True)
    return [key for key in client.scan_iter(match=f"*{tag}*", target_nodes=redis.RedisCluster.ALL_NODES)]


def test_a_phones_keys_share_one_slot_and_conversations_spread_over_the_primaries(settings, cluster):
    client = cluster_app(settings, cluster).test_client()
    phones = [f"+1412563{n:04d}" for n in range(12)]
    for phone in phones:
        texter = Texter(client, phone, TEST_TOKEN, PUBLIC_URL)
        assert "Early signs" in texter.send("SYMPTOMS").text
        assert "broken bones (fractures)" in texter.send("2").text
    slots = []
    for phone in phones:
        keys = keys_of(cluster, phone)
        assert len(keys) >= 3, keys  # the profile, the place, the recent message ids
        phone_slots = {redis.RedisCluster.keyslot(cluster_client(cluster), key) for key in keys}
        assert len(phone_slots) == 1, f"one phone's keys span slots {phone_slots}"
        slots.append(phone_slots.pop())
    assert len({cluster.primary_for(slot) for slot in slots}) >= 2, "every conversation landed on one primary"


def cluster_client(cluster: ClusterGroup) -> redis.RedisCluster:
    return redis.RedisCluster(host="127.0.0.1", port=cluster.nodes[0].port)


def test_a_cluster_failover_keeps_every_conversation_and_never_errs(settings, cluster):
    client = cluster_app(settings, cluster).test_client()
    patients = [Texter(client, f"+1412564{n:04d}", TEST_TOKEN, PUBLIC_URL) for n in range(30)]
    for patient in patients:
        assert "Early signs" in patient.send("SYMPTOMS").text
    # The primary holding the first patient's conversation dies; its replica takes over.
    slot = cluster_client(cluster).keyslot("{" + pseudonym(TEST_SECRET.encode(), "phone", patients[0].phone) + "}")
    victim = cluster.node(cluster.primary_for(slot))
    cluster.settle()  # asynchronous replication: here the replicas have caught up, so nothing may be lost
    victim.kill()

    errors, answered, started = 0, 0, time.monotonic()
    while cluster.primary_for(slot) == victim.port and time.monotonic() - started < 20:
        for patient in (patients[0], Texter(client, "+14125649999", TEST_TOKEN, PUBLIC_URL)):
            reply = patient.send("HELLO") if patient is not patients[0] else patient.send("MENU")
            answered += 1
            errors += reply.status != 200 or SORRY in reply.text
        time.sleep(0.05)
    assert cluster.primary_for(slot) != victim.port, "the replica was not promoted"
    cluster.wait_until_ok()
    assert answered > 0 and errors == 0

    # The first patient went back to the main menu during the failover: that turn counts too.
    assert "Early signs" in patients[0].send("2").text
    lost = [patient.phone for patient in patients[1:] if "broken bones (fractures)" not in patient.send("2").text]
    assert lost == []
