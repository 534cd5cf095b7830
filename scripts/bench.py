"""Benchmark: the SMS webhook against a bare Flask route, on a real Redis.

Run with `make bench`. Both apps are driven in-process through Flask's test
client with requests signed beforehand, in interleaved rounds so that machine
noise hits both alike. Reports the rate ratio, Redis commands per webhook and
Redis memory per stored conversation, and what the understanding layer
(safety, language, topic) adds to a webhook. Targets: ratio >= 0.4, <= 4
commands, <= 512 bytes per conversation, understanding adds <= 20%.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import redis
from flask import Flask, Response
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ivr import create_app  # noqa: E402

TOKEN = "bench-token-0123456789abcdef"
PUBLIC = "https://bench.example.org"
SCRIPT = ["MENU", "SYMPTOMS", "2", "MORE", "BACK", "my bones hurt", "LANG", "2", "SINTOMAS", "MENU"]
PHONES = int(os.environ.get("BENCH_PHONES", "300"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "6"))


def bare_app() -> Flask:
    app = Flask("bare")
    reply = MessagingResponse()
    reply.message("Metastatic breast cancer information.")
    body = str(reply)

    @app.post("/sms")
    def sms() -> Response:
        return Response(body, mimetype="text/xml")

    return app


def floor_app(url: str) -> Flask:
    """A bare route plus only the two Redis round trips every webhook needs: the floor on this machine."""
    from ivr.state.store import RedisStore

    app = bare_app()
    store = RedisStore(url)
    reply = app.view_functions["sms"]

    @app.post("/floor")
    def floor() -> Response:
        store.get_many(["ivr:floor:a", "ivr:floor:b"])
        store.set_many([("ivr:floor:a", "x", 60)])
        return reply()

    return app


def signed_requests(offset: int) -> list[tuple[dict, dict]]:
    validator = RequestValidator(TOKEN)
    requests = []
    for step, text in enumerate(SCRIPT):
        for phone in range(PHONES):
            params = {"From": f"+1999{offset + phone:07d}", "To": "+14125550199", "Body": text,
                      "MessageSid": f"SM{offset}{step:02d}{phone:07d}", "NumMedia": "0"}
            requests.append((params, {"X-Twilio-Signature": validator.compute_signature(f"{PUBLIC}/sms", params)}))
    return requests


def drive(client, batch, path: str = "/sms") -> float:
    start = time.perf_counter()
    for params, headers in batch:
        response = client.post(path, data=params, headers=headers)
        assert response.status_code == 200, response.status_code
    return time.perf_counter() - start


def understanding_time(line, rounds: int = 200) -> float:
    """Seconds the understanding layer takes per webhook of the script, on its own: the safety check,
    the language guess and the keyword, number, language-name and sentence matching of every text,
    with and without typos, as a first text would (the dearest path)."""
    engine = line.sms_engine
    index, safety = engine.index, engine.safety
    from ivr.understanding.fold import fold

    start = time.perf_counter()
    for _ in range(rounds):
        for text in SCRIPT:
            safety.check(text)
            key = fold(text)
            index.command(key, "en", typos=False)
            index.number(key)
            index.language(key)
            guess = index.guesser.guess(text)
            prefer = guess.locale if guess is not None else ""
            index.topic(key, "en", typos=False, switch=True, prefer=prefer)
            index.command(key, "en", typos=True)
            index.topic(key, "en", typos=True, switch=True, prefer=prefer)
    return (time.perf_counter() - start) / (rounds * len(SCRIPT))


def command_calls(client: redis.Redis) -> int:
    stats = client.info("commandstats")
    return sum(value["calls"] for name, value in stats.items() if name not in ("cmdstat_info",))


def main() -> int:
    url = os.environ["REDIS_URL"]
    db = redis.Redis.from_url(url)
    db.flushdb()
    app = create_app({"mode": "production", "auth_token": TOKEN, "hash_secret": "b" * 32, "public_url": PUBLIC,
                      "redis_url": url, "org_phone": "+1 412 555 0100"}, environ={})
    line = app.test_client()
    bare = bare_app().test_client()
    floor = floor_app(url).test_client()
    line_time = bare_time = floor_time = 0.0
    webhooks = 0
    commands = 0
    for round_number in range(ROUNDS):
        batch = signed_requests(round_number * PHONES)
        bare_time += drive(bare, batch)
        floor_time += drive(floor, batch, "/floor")
        before = command_calls(db)
        line_time += drive(line, batch)
        commands += command_calls(db) - before - 1  # minus the INFO call itself
        webhooks += len(batch)
    conversations = ROUNDS * PHONES
    keys = list(db.scan_iter(match="ivr:*", count=1000))
    memory = sum(db.memory_usage(key) or 0 for key in keys)
    line_rate, bare_rate = webhooks / line_time, webhooks / bare_time
    results = {
        "webhooks": webhooks,
        "line webhooks/s": round(line_rate),
        "bare route requests/s": round(bare_rate),
        "ratio (target >= 0.4)": round(line_rate / bare_rate, 2),
        "floor ratio: bare route + 2 Redis round trips only": round(bare_time / floor_time, 2),
        "Redis commands per webhook (target <= 4)": round(commands / webhooks, 2),
        "Redis bytes per conversation (target <= 512)": round(memory / conversations),
        "keys per conversation": round(len(keys) / conversations, 2),
    }
    understanding = understanding_time(app.extensions["infoline"])
    results["understanding layer per webhook, us (safety, language, topic)"] = round(understanding * 1e6, 1)
    growth = understanding / (1 / line_rate - understanding)  # against the same webhook without the layer
    results["webhook cost added by understanding (target <= 20%)"] = f"{100 * growth:.1f}%"
    width = max(len(name) for name in results)
    for name, value in results.items():
        print(f"{name:<{width}}  {value}")
    ok = (line_rate / bare_rate >= 0.4 and commands / webhooks <= 4 and memory / conversations <= 512
          and growth <= 0.2)
    print("all targets met" if ok else "TARGET MISSED")
    db.flushdb()
    Path("bench-results.txt").write_text("\n".join(f"{name:<{width}}  {value}" for name, value in results.items()) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
