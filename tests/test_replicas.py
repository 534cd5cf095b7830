"""Two app replicas on different ports behind one address share every conversation.

Two gunicorn processes of the line (the compose file's ha profile runs two
the same way) share one Redis, behind nginx with deploy/nginx-ha.conf (TLS
swapped for a plain port). Each step of a conversation may reach either
replica; the conversation is one. When a replica dies, nginx sends the next
texts to the other, which carries every conversation on from its place.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.redis_servers import RedisServer, free_port
from tests.test_proxy import TOKEN, proxy_conf, wait_for_app, wait_for_port, webhook

pytestmark = pytest.mark.solo  # starts servers or times the line: alone, after the rest

ROOT = Path(__file__).resolve().parent.parent
@pytest.fixture
def replicas():
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed (apt-get install nginx-light); .ci/run installs it", pytrace=False)
    workdir = Path(tempfile.mkdtemp(prefix="ivr-replicas-"))
    redis_server = RedisServer().start()
    ports, proxy_port = [free_port(), free_port()], free_port()
    public = f"http://127.0.0.1:{proxy_port}"
    apps = []
    for number, port in enumerate(ports):
        env = {**os.environ, "IVR_MODE": "production", "TWILIO_AUTH_TOKEN": TOKEN, "IVR_HASH_SECRET": "h" * 32,
               "REDIS_URL": redis_server.url, "IVR_ORG_PHONE": "+1 412 555 0100", "IVR_PUBLIC_URL": public,
               "IVR_ALLOW_HTTP": "1", "IVR_LOCALES": "en,es", "PROMETHEUS_MULTIPROC_DIR": str(workdir / f"m{number}")}
        apps.append(subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "-c",
                                      str(ROOT / "deploy" / "gunicorn.conf.py"), "--workers", "1", "ivr:create_app()"],
                                     cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    (workdir / "nginx.conf").write_text(proxy_conf(ports, proxy_port, workdir, "nginx-ha.conf"))
    nginx = subprocess.Popen(["nginx", "-p", str(workdir), "-c", str(workdir / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for port in ports:
            wait_for_app(port)
        wait_for_port(proxy_port)
        yield public, ports, apps
    finally:
        for process in (nginx, *apps):
            process.terminate()
            process.wait(timeout=10)
        redis_server.close()
        shutil.rmtree(workdir, ignore_errors=True)


def text(public: str, body: str, phone: str, port: int | None = None) -> str:
    status, _, reply = webhook(public, body, phone, port)
    assert status == 200
    return reply


def test_each_step_may_reach_either_replica_and_the_conversation_is_one(replicas):
    public, (a, b), _ = replicas
    assert "Early signs" in text(public, "SYMPTOMS", "+14125570001", port=a)
    assert "broken bones (fractures)" in text(public, "2", "+14125570001", port=b)  # B knows where A left it
    assert "Early signs" in text(public, "BACK", "+14125570001", port=a)
    assert "Español" in text(public, "LANG", "+14125570001", port=b)
    assert "Síntomas" in text(public, "2", "+14125570001", port=a)  # the language chosen on B, on A


def test_when_a_replica_dies_the_other_carries_every_conversation_on(replicas):
    public, _, apps = replicas
    phones = [f"+141255710{n:02d}" for n in range(10)]
    for phone in phones:
        assert "Early signs" in text(public, "SYMPTOMS", phone)  # round robin over both
    apps[0].terminate()
    apps[0].wait(timeout=10)
    lost = [phone for phone in phones if "broken bones (fractures)" not in text(public, "2", phone)]
    assert lost == []
