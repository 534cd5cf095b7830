"""`make load`: the line under gunicorn on a real Redis, over real HTTP, beside a bare Flask route.

Drives signed SMS and voice webhooks from realistic conversations at a fixed
rate (default 170/s: a 10,000-patient campaign answered inside a minute) and
flat out, then kills Redis for a few seconds and a gunicorn worker mid-run,
and prints throughput, p50/p95/p99, the ratio to the bare route and the errors.
"""
from __future__ import annotations

import http.client
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.phone import sign  # noqa: E402
from tests.redis_servers import RedisServer, free_port  # noqa: E402

TOKEN = "load-test-token-0123456789abcdef"
SMS_SCRIPT = ["MENU", "SYMPTOMS", "2", "MORE", "BACK", "my bones hurt", "LANG", "2", "SINTOMAS", "MENU"]
BARE_APP = ROOT / "scripts" / "bare_app.py"
SECONDS = float(os.environ.get("LOAD_SECONDS", "8"))
RATE = float(os.environ.get("LOAD_RATE", "170"))


def start_gunicorn(app: str, port: int, env: dict, workers: int = 2) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                "--bind", f"127.0.0.1:{port}", "--workers", str(workers), app],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start on {port}")


class Driver:
    """Signed webhooks over keep-alive connections, one per thread, recording latency and errors."""

    def __init__(self, port: int, public: str) -> None:
        self.port, self.public = port, public
        self.latencies: list[float] = []
        self.errors = 0
        self.lock = threading.Lock()

    def request(self, connection, path: str, params: dict) -> None:
        body = urllib.parse.urlencode(params)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": sign(TOKEN, self.public + path, params)}
        started = time.perf_counter()
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
            failed = response.status != 200 or "something went wrong" in text
        except OSError:
            failed = True
            connection.close()
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            self.errors += failed

    def conversation(self, index: int, until: float, interval: float) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        phone = f"+1412{index:07d}"
        step, next_at = 0, time.perf_counter()
        while time.perf_counter() < until:
            if step % 13 == 12:  # now and then a call: dial, a key, a topic by speech
                call = f"CA{index:08d}{step:08d}"
                for path, extra in (("/voice", {}), ("/voice/input", {"Digits": "1"}),
                                    ("/voice/input", {"SpeechResult": "bone pain"})):
                    self.request(connection, path, {"CallSid": call, "From": phone, "To": "+14125550199",
                                                    "StirVerstat": "TN-Validation-Passed-A", **extra})
            else:
                self.request(connection, "/sms", {"From": phone, "To": "+14125550199", "Body": SMS_SCRIPT[step % 10],
                                                  "MessageSid": f"SM{index:08d}{step:010d}"})
            step += 1
            if interval:
                next_at += interval
                time.sleep(max(0.0, next_at - time.perf_counter()))


def run(port: int, public: str, seconds: float, rate: float | None, threads: int = 8, during=None) -> dict:
    driver = Driver(port, public)
    until = time.perf_counter() + seconds
    interval = threads / rate if rate else 0.0
    workers = [threading.Thread(target=driver.conversation, args=(n, until, interval)) for n in range(threads)]
    for worker in workers:
        worker.start()
    if during:
        during()
    for worker in workers:
        worker.join()
    ordered = sorted(driver.latencies)
    quantile = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0  # noqa: E731
    return {"requests": len(ordered), "per_second": len(ordered) / seconds, "p50": quantile(0.5),
            "p95": quantile(0.95), "p99": quantile(0.99), "errors": driver.errors,
            "mean_ms": statistics.fmean(ordered) * 1000 if ordered else 0.0}


def main() -> int:
    # Append-only, fsync once a second: Redis's advised durability setting, as operators run it.
    redis_server = RedisServer("--appendfsync", os.environ.get("LOAD_FSYNC", "everysec")).start()
    line_port, bare_port = free_port(), free_port()
    public = f"http://127.0.0.1:{line_port}"
    metrics_dir = tempfile.mkdtemp(prefix="ivr-load-metrics-")
    env = {**os.environ, "IVR_MODE": "production", "TWILIO_AUTH_TOKEN": TOKEN, "IVR_HASH_SECRET": "l" * 32,
           "REDIS_URL": redis_server.url, "IVR_ORG_PHONE": "+1 412 555 0100", "IVR_PUBLIC_URL": public,
           "IVR_ALLOW_HTTP": "1", "IVR_SMS_RATE_LIMIT": "1000", "PROMETHEUS_MULTIPROC_DIR": metrics_dir}
    line = start_gunicorn("ivr:create_app()", line_port, env)
    bare = start_gunicorn("scripts.bare_app:app", bare_port, env)
    try:
        rows = [("line, flat out", run(line_port, public, SECONDS, None)),
                ("bare route, flat out", run(bare_port, public, SECONDS, None)),
                (f"line at {RATE:.0f}/s", run(line_port, public, SECONDS, RATE))]

        def kill_redis() -> None:
            time.sleep(SECONDS / 4)
            redis_server.kill()
            time.sleep(3)
            redis_server.start()

        rows.append((f"line at {RATE:.0f}/s, Redis killed 3 s", run(line_port, public, SECONDS, RATE, during=kill_redis)))

        def kill_worker() -> None:
            time.sleep(SECONDS / 4)
            children = subprocess.run(["pgrep", "-P", str(line.pid)], capture_output=True, text=True).stdout.split()
            if children:
                os.kill(int(children[0]), signal.SIGKILL)

        rows.append((f"line at {RATE:.0f}/s, a worker killed", run(line_port, public, SECONDS, RATE, during=kill_worker)))
    finally:
        for process in (line, bare):
            process.terminate()
            process.wait(timeout=10)
        redis_server.close()
    print(f"{'run':<36} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, row in rows:
        print(f"{name:<36} {row['per_second']:>8.0f} {row['p50']:>8.2f} {row['p95']:>8.2f} {row['p99']:>8.2f} "
              f"{row['errors']:>7}")
    ratio = rows[0][1]["per_second"] / rows[1][1]["per_second"]
    print(f"ratio line / bare route (target >= 0.45): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
