"""Prometheus metrics: webhook latency per channel, answers given without state, Redis errors, events.

Served at /metrics (prometheus-client). Under gunicorn set PROMETHEUS_MULTIPROC_DIR
to an empty directory so every worker's numbers are added up (the library's
multiprocess mode). In production /metrics needs `Authorization: Bearer
$IVR_METRICS_TOKEN`; without that setting it is not served at all. No label
ever holds a number or text: channels, languages and event kinds only.
"""
from __future__ import annotations

import hmac
import os

from flask import Blueprint, Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

bp = Blueprint("metrics", __name__)

WEBHOOK_SECONDS = Histogram("infoline_webhook_seconds", "Time to answer a Twilio webhook", ["channel"],
                            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
WITHOUT_STATE = Counter("infoline_answers_without_state_total",
                        "Answers given while Redis could not be read (from what the process knows)", ["channel"])
STORE_ERRORS = Counter("infoline_store_errors_total", "Redis reads or writes that failed", ["operation"])
EVENTS = Counter("infoline_events_total", "What happened, by kind (topic, crisis, not_understood...)",
                 ["channel", "event"])


def count_store_error(operation: str) -> None:
    """A Redis read or write failed (the state layer reports it here: it knows nothing of metrics)."""
    STORE_ERRORS.labels(operation).inc()


def observe(channel: str, seconds: float, degraded: bool, events: list[str]) -> None:
    WEBHOOK_SECONDS.labels(channel).observe(seconds)
    if degraded:
        WITHOUT_STATE.labels(channel).inc()
    for event in events:
        EVENTS.labels(channel, event.split(":", 1)[0]).inc()  # "topic", never the node: labels stay few


@bp.get("/metrics")
def metrics() -> Response:
    settings = current_app.config["IVR_SETTINGS"]
    if not settings.local:
        if not settings.metrics_token:
            return Response("not found", status=404, mimetype="text/plain")
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {settings.metrics_token}".encode()):
            return Response("forbidden", status=403, mimetype="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
    return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)
