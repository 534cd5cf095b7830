"""gunicorn settings for the line (the Dockerfile uses them; `gunicorn -c deploy/gunicorn.conf.py 'ivr:create_app()'`)."""
import os
import shutil

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = 10  # Twilio waits 15 s for an answer: a stuck worker is replaced well before
accesslog = None  # the line writes its own JSON line per webhook (no numbers, no bodies)
# Prometheus multiprocess mode: every worker writes its numbers here; /metrics adds them up.
metrics_dir = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/tmp/infoline-metrics")


def on_starting(server):
    shutil.rmtree(metrics_dir, ignore_errors=True)  # the library wants an empty directory at start
    os.makedirs(metrics_dir, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
