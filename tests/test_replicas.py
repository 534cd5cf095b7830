"""Two app replicas on different ports behind one address share every conversation.

Two gunicorn processes of the line (the compose file's ha profile runs two
the same way) share one Redis, behind nginx with deploy/nginx-ha.conf (TLS
swapped for a plain port). Each step of a conversation may reach either
replica; the conversation is one. When a replica dies, nginx sends the next
texts to the other, which carries every conversation on from its place.
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.phone import sign
from tests.redis_servers import RedisServer, free_port
from tests.test_proxy import wait_for_port

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "replica-test-token-0123456789abcdef"


def ha_conf(app_ports: list[int], proxy_port: int, workdir: Path) -> str:
    conf = (ROOT / "deploy" / "nginx-ha.conf").read_text()
    conf = conf.replace("server ha-app-a:8000; server ha-app-b:8000;",
                        " ".join(f"server 127.0.0.1:{port};" for port in app_ports))
    plain = (f"server {{\n        listen 127.0.0.1:{proxy_port};\n        location / {{\n"
             f"            proxy_pass http://line;\n            proxy_set_header Host $host;\n"
             f"            proxy_set_header X-Forwarded-Proto http;\n        }}\n    }}\n}}\n")
    conf = conf[:conf.index("    server {\n        listen 80;")] + "    " + plain
    return (f"daemon off;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log;\n"
            + conf.replace("http {", f"http {{\n    client_body_temp_path {workdir}/body;\n"
                                     f"    proxy_temp_path {workdir}/proxy;\n", 1))


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
    (workdir / "nginx.conf").write_text(ha_conf(ports, proxy_port, workdir))
    nginx = subprocess.Popen(["nginx", "-p", str(workdir), "-c", str(workdir / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for port in (*ports, proxy_port):
            wait_for_port(port)
        yield public, ports, apps
    finally:
        for process in (nginx, *apps):
            process.terminate()
            process.wait(timeout=10)
        redis_server.close()
        shutil.rmtree(workdir, ignore_errors=True)


_sids = itertools.count(1)


def text(public: str, body: str, phone: str, port: int | None = None) -> str:
    """A signed SMS webhook, through the proxy (the one address) or straight to one replica's port."""
    params = {"From": phone, "To": "+14125550199", "Body": body, "MessageSid": f"SMreplica{next(_sids):08d}"}
    url = f"http://127.0.0.1:{port}/sms" if port else public + "/sms"
    request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),
                                     headers={"X-Twilio-Signature": sign(TOKEN, public + "/sms", params)})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return response.read().decode()


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
