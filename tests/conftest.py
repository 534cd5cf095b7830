"""Fixtures, from the bottom up: Redis, settings, app, a signed texter.

Tests talk to a real Redis (REDIS_URL; `make test` starts a throwaway one).
If none answers, the suite fails instead of skipping.
"""
from __future__ import annotations

import itertools
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

from ivr import create_app
from tests.phone import Texter
from tests.twilio_http import RecordingHttpClient

TEST_TOKEN = "test-auth-token-0123456789abcdef"
TEST_SECRET = "test-hash-secret-0123456789abcdef"
PUBLIC_URL = "https://line.example.org"


def worker_database(url: str) -> str:
    """Under pytest-xdist (`make test` runs a worker per core) each worker flushes a database of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    parsed = urlsplit(url)
    base = int(parsed.path.strip("/") or 0)
    return urlunsplit(parsed._replace(path=f"/{(base + int(worker[2:])) % 16}"))


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = worker_database(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {url} ({exc}); run the tests with `make test`", pytrace=False)
    return url


@pytest.fixture
def redis_client(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def settings(redis_url, redis_client) -> dict:
    """Test overrides on top of the defaults (the environment is not read)."""
    return {
        "mode": "production",
        "auth_token": TEST_TOKEN,
        "hash_secret": TEST_SECRET,
        "public_url": PUBLIC_URL,
        "redis_url": redis_url,
        "org_name": "Infoline",
        "org_phone": "+1 412 555 0100",
        "locales": "en,es",
        "account_sid": "AC" + "0" * 32,
        "outbox": "thread",
    }


@pytest.fixture
def twilio_http() -> RecordingHttpClient:
    return RecordingHttpClient()


@pytest.fixture
def app(settings, twilio_http):
    app = create_app(settings, environ={}, twilio_http_client=twilio_http)
    app.extensions["infoline"].outbox.delays = (0.0, 0.0, 0.0)  # retry at once in tests
    return app


@pytest.fixture
def client(app):
    return app.test_client()


_numbers = itertools.count(1000)


@pytest.fixture
def phone_number() -> str:
    return f"+1412555{next(_numbers):04d}"


@pytest.fixture
def texter(client, phone_number) -> Texter:
    return Texter(client, phone_number, TEST_TOKEN, PUBLIC_URL)


@pytest.fixture
def new_sid():
    return lambda: "SM" + uuid.uuid4().hex


@pytest.fixture
def project_copy(tmp_path):
    """A copy of the project's content, catalogs and code to edit as a team member would."""
    from ivr.tools.checks import PROJECT_DIR, copy_project

    return copy_project(PROJECT_DIR, tmp_path / "project")


@pytest.fixture
def redis_server():
    """A redis-server of the test's own, to kill and restart."""
    from tests.redis_servers import RedisServer

    server = RedisServer().start()
    yield server
    server.close()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*.yaml with what the engine produces now (read the diff)")
