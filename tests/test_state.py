"""Where each phone is: in Redis, private, expiring, and robust to retries and outages."""
from __future__ import annotations

import pytest

from ivr import create_app
from ivr.state.sessions import pseudonym
from ivr.state.store import MemoryStore, RedisStore, StoreUnavailable
from tests.conftest import PUBLIC_URL, TEST_SECRET, TEST_TOKEN
from tests.phone import Texter


def all_entries(redis_client) -> dict[str, tuple[str, int]]:
    """Every key with its value as text (a report hash as its fields and counts) and its TTL."""
    def value(key: str) -> str:
        if redis_client.type(key) == "hash":
            return repr(redis_client.hgetall(key))
        return redis_client.get(key) or ""
    return {key: (value(key), redis_client.ttl(key)) for key in redis_client.keys("*")}


def test_no_phone_number_in_keys_or_values_and_every_key_expires(texter, redis_client):
    for body in ("MENU", "SYMPTOMS", "2", "LANG", "my bones hurt"):
        texter.send(body)
    entries = all_entries(redis_client)
    assert entries, "the conversation was not stored in Redis"
    digits = texter.phone.lstrip("+")
    for key, (value, ttl) in entries.items():
        assert digits not in key and digits[-7:] not in key
        assert digits not in value and digits[-7:] not in value
        assert "bones hurt" not in value  # no message bodies either
        assert ttl > 0, f"{key} never expires"


def test_menu_place_expires_in_hours_and_language_much_later(texter, redis_client, settings):
    texter.send("SYMPTOMS")
    profile = "ivr:p:{" + pseudonym(TEST_SECRET.encode(), 'phone', texter.phone) + "}"
    place = "ivr:s:{" + pseudonym(TEST_SECRET.encode(), 'phone', texter.phone) + "}"
    assert 0 < redis_client.ttl(place) <= 4 * 3600
    assert redis_client.ttl(profile) > 30 * 24 * 3600


def test_state_survives_a_restart_of_the_app(settings, phone_number):
    first = Texter(create_app(settings, environ={}).test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    first.send("SYMPTOMS")
    restarted = Texter(create_app(settings, environ={}).test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    reply = restarted.send("2")
    assert "broken bones (fractures)" in reply.text
    assert "not medical advice" not in reply.text  # a returning phone gets no first-contact notice


def test_a_retried_webhook_gets_the_same_answer_and_does_not_move(texter):
    texter.send("SYMPTOMS")
    first = texter.send("2", sid="SMretry1")
    again = texter.send("2", sid="SMretry1")
    assert again.messages == first.messages
    assert "broken bones" in first.text
    # Had the retry moved the conversation, BACK would not land on the symptoms menu.
    assert "1 Early signs" in texter.send("BACK").text


def test_a_retry_by_idempotency_token_is_deduplicated(texter):
    texter.send("TREATMENT")
    token = {"I-Twilio-Idempotency-Token": "idem-123"}
    first = texter.send("MORE", sid="", headers=token)
    again = texter.send("MORE", sid="", headers=token)
    assert first.messages == again.messages


def test_redis_down_still_answers_from_the_top(settings, phone_number, caplog):
    app = create_app({**settings, "redis_url": "redis://127.0.0.1:1/0", "redis_timeout": 0.1}, environ={})
    texter = Texter(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    reply = texter.send("2")
    assert reply.status == 200
    assert "2 Symptoms" in reply.text or "Symptoms depend" in reply.text
    assert "store unavailable" in caplog.text
    assert phone_number not in caplog.text and phone_number.lstrip("+") not in caplog.text


def test_logs_carry_neither_numbers_nor_message_bodies(texter, caplog):
    caplog.set_level("DEBUG")
    texter.send("my bones hurt a lot")
    texter.send("SYMPTOMS")
    assert texter.phone.lstrip("+") not in caplog.text
    assert "bones hurt" not in caplog.text


def redis_calls(redis_client, action) -> dict[str, int]:
    before = redis_client.info("commandstats")
    action()
    after = redis_client.info("commandstats")
    return {name: after[name]["calls"] - before.get(name, {"calls": 0})["calls"]
            for name in after if name.startswith("cmdstat_") and name not in ("cmdstat_info", "cmdstat_flushdb")
            and after[name]["calls"] != before.get(name, {"calls": 0})["calls"]}


@pytest.mark.solo  # counts the Redis server's commands: no other test may send any meanwhile
def test_one_read_and_one_pipelined_write_per_message(texter, redis_client):
    texter.send("")  # opens the app's Redis connection (HELLO, SELECT) before counting
    redis_client.flushdb()
    # The read carries the phone's rate counter (INCR, EXPIRE NX); the write carries the
    # message ids remembered against replays and the day's usage counts (HINCRBY, EXPIRE NX).
    # Still two round trips a message.
    counted = {"cmdstat_mget": 1, "cmdstat_incr": 1, "cmdstat_expire": 2, "cmdstat_hincrby": 1}
    first = redis_calls(redis_client, lambda: texter.send("MENU"))
    assert first == {**counted, "cmdstat_set": 3}  # a new conversation writes place and profile
    texter.send("SYMPTOMS")
    later = redis_calls(redis_client, lambda: texter.send("2"))
    assert later == {**counted, "cmdstat_set": 2}  # mid-conversation only the place moves
    switch = redis_calls(redis_client, lambda: texter.send("SINTOMAS"))
    assert switch == {**counted, "cmdstat_set": 3}  # a language change is saved at once


@pytest.fixture(params=["memory", "redis"])
def store(request, redis_url, redis_client):
    return MemoryStore() if request.param == "memory" else RedisStore(redis_url)


def test_both_stores_keep_values_with_their_ttl_and_count(store):
    store.set_many([("ivr:test:a", "1", 100), ("ivr:test:b", "2", 100)])
    assert store.get_many(["ivr:test:a", "ivr:test:b", "ivr:test:none"]) == ["1", "2", None]
    assert [store.count("ivr:test:n", 60) for _ in range(3)] == [1, 2, 3]


def test_memory_store_forgets_expired_values():
    now = [0.0]
    store = MemoryStore(clock=lambda: now[0])
    store.set_many([("k", "v", 10)])
    now[0] = 11
    assert store.get_many(["k"]) == [None]


def test_unreachable_redis_raises_store_unavailable():
    with pytest.raises(StoreUnavailable):
        RedisStore("redis://127.0.0.1:1/0", timeout=0.1).get_many(["x"])


def test_advanced_opt_out_is_recorded_without_a_reply(texter):
    assert texter.send("STOP", OptOutType="STOP").messages == []
    assert texter.send("SYMPTOMS").messages == []  # opted out: nothing is sent
    assert texter.send("START", OptOutType="START").messages == []  # Twilio already answered
    assert "Bone symptoms" in texter.send("SYMPTOMS").text


def test_a_picture_gets_a_kind_answer(texter):
    reply = texter.send("", NumMedia="1", MediaUrl0="https://example.invalid/a.jpg", MediaContentType0="image/jpeg")
    assert "I can only read text" in reply.text and "MENU" in reply.text


def test_a_crash_inside_the_line_still_answers_kindly(app, texter, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(app.extensions["infoline"].sms_engine, "step", broken)
    reply = texter.send("MENU")
    assert reply.status == 200 and "something went wrong" in reply.text


def test_a_redis_that_stops_answering_costs_a_short_timeout_not_the_reply(settings, phone_number):
    """A server that accepts connections and never answers: the line still replies, quickly."""
    import socket
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.extend(listener.accept() for _ in range(4)), daemon=True).start()
    port = listener.getsockname()[1]
    app = create_app({**settings, "redis_url": f"redis://127.0.0.1:{port}/0", "redis_timeout": 0.2}, environ={})
    texter = Texter(app.test_client(), phone_number, TEST_TOKEN, PUBLIC_URL)
    started = time.monotonic()
    reply = texter.send("SYMPTOMS")
    elapsed = time.monotonic() - started
    listener.close()
    assert reply.status == 200 and "2 Bone symptoms" in reply.text
    assert elapsed < 2.0, f"took {elapsed:.2f} s"
