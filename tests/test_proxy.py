"""Slow uploads stall nothing: a real nginx buffers requests before a real gunicorn sees them.

Forty connections trickle a byte a second (a slowloris) at the proxy, and
signed webhooks through the same proxy are still answered at once. The
proxy's configuration is deploy/nginx.conf with the TLS server swapped for a
plain port (the test has no certificate).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.phone import sign
from tests.redis_servers import RedisServer, free_port

pytestmark = pytest.mark.solo  # starts servers or times the line: alone, after the rest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "proxy-test-token-0123456789abcdef"
METRICS_TOKEN = "metrics-token-0123456789abcdef"


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def wait_for_app(port: int, timeout: float = 90.0) -> None:
    """Until the app answers /healthz: gunicorn listens before its workers have built the line
    (several seconds on a slow machine), and a test's first webhook must not wait for that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the app on {port} did not answer /healthz")


def proxy_conf(app_ports: list[int], proxy_port: int, workdir: Path, conf_file: str = "nginx.conf") -> str:
    """A deploy/ nginx configuration with its upstream on local ports and the TLS server swapped
    for a plain port (the tests have no certificate)."""
    conf = (ROOT / "deploy" / conf_file).read_text()
    conf = re.sub(r"upstream line \{[^}]*\}", "upstream line { " + " ".join(
        f"server 127.0.0.1:{port};" for port in app_ports) + " }", conf)
    plain = (f"server {{\n        listen 127.0.0.1:{proxy_port};\n        location / {{\n"
             f"            proxy_pass http://line;\n            proxy_set_header Host $host;\n"
             f"            proxy_set_header X-Forwarded-Proto http;\n        }}\n    }}\n}}\n")
    conf = conf[:conf.index("    server {\n        listen 80;")] + "    " + plain
    return (f"daemon off;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log;\n"
            + conf.replace("http {", f"http {{\n    client_body_temp_path {workdir}/body;\n"
                                     f"    proxy_temp_path {workdir}/proxy;\n", 1))


@pytest.fixture
def stack():
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed (apt-get install nginx-light); .ci/run installs it", pytrace=False)
    workdir = Path(tempfile.mkdtemp(prefix="ivr-proxy-"))
    redis_server = RedisServer().start()
    app_port, proxy_port = free_port(), free_port()
    public = f"http://127.0.0.1:{proxy_port}"
    env = {**os.environ, "IVR_MODE": "production", "TWILIO_AUTH_TOKEN": TOKEN, "IVR_HASH_SECRET": "h" * 32,
           "REDIS_URL": redis_server.url, "IVR_ORG_PHONE": "+1 412 555 0100", "IVR_PUBLIC_URL": public,
           "IVR_ALLOW_HTTP": "1", "IVR_LOCALES": "en,es", "IVR_METRICS_TOKEN": METRICS_TOKEN,
           "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics")}
    gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{app_port}",
                                 "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--workers", "2", "ivr:create_app()"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (workdir / "nginx.conf").write_text(proxy_conf([app_port], proxy_port, workdir))
    nginx = subprocess.Popen(["nginx", "-p", str(workdir), "-c", str(workdir / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_app(app_port)
        wait_for_port(proxy_port)
        yield public, proxy_port
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
            process.wait(timeout=10)
        redis_server.close()
        shutil.rmtree(workdir, ignore_errors=True)


def trickle(port: int, stop: threading.Event) -> None:
    """A slow client: headers, then one byte of body a second, never finishing."""
    try:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"POST /sms HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 5000\r\n\r\n")
            while not stop.wait(1.0):
                sock.sendall(b"a")
    except OSError:
        pass  # the proxy hung up on it: exactly what it should do


def webhook(public: str, body: str, phone: str, port: int | None = None) -> tuple[int, float, str]:
    """A signed SMS webhook through the proxy, or (with `port`) straight to one app process."""
    params = {"From": phone, "To": "+14125550199", "Body": body, "MessageSid": f"SM{time.time_ns()}"}
    url = f"http://127.0.0.1:{port}/sms" if port else public + "/sms"
    request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),
                                     headers={"X-Twilio-Signature": sign(TOKEN, public + "/sms", params)})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, time.monotonic() - started, response.read().decode()


def test_forty_slow_uploads_do_not_delay_real_webhooks(stack):
    public, port = stack
    stop = threading.Event()
    slow = [threading.Thread(target=trickle, args=(port, stop), daemon=True) for _ in range(40)]
    for thread in slow:
        thread.start()
    try:
        time.sleep(2.0)  # every slow client is mid-upload now
        results = [webhook(public, "MENU", f"+1412559{n:04d}") for n in range(10)]
    finally:
        stop.set()
    assert all(status == 200 for status, _, _ in results)
    # A worker held by a slow upload would never answer (those uploads never finish): anything well under
    # the 10 s timeout shows none was, even on a machine busy with other work.
    assert max(seconds for _, seconds, _ in results) < 5.0
    assert all(re.search(r"Symptoms", text) for _, _, text in results)


def test_metrics_add_up_every_gunicorn_worker(stack):
    public, _ = stack
    for n in range(12):
        webhook(public, "BONE", f"+1412558{n:04d}")
    request = urllib.request.Request(public + "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
    found = re.search(r'infoline_webhook_seconds_count\{channel="sms"\} ([0-9.]+)', body)
    assert found and float(found.group(1)) == 12.0  # both workers' requests, added up
