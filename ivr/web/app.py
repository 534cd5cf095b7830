"""The Flask app factory: settings, the line's parts, channels, error pages."""
from __future__ import annotations

import logging
from typing import Any, Mapping

import time

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.config import load_settings, redact_url
from ivr.line import Line
from ivr.state.store import Store

log = logging.getLogger(__name__)
TWIML_PATHS = ("/sms", "/voice")
MAX_BODY = 64 * 1024  # Twilio's webhooks are a few kB
MAX_FIELDS = 300  # Twilio sends a few dozen parameters


def create_app(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None,
               store: Store | None = None, twilio_http_client: Any = None) -> Flask:
    """Build the app from the environment (and `overrides`, for tests and tools).

    Raises ConfigError with a clear message when a setting is missing or wrong.
    """
    settings = load_settings(environ, overrides)
    app = Flask(__name__)
    app.config["IVR_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY  # Werkzeug refuses longer bodies before parsing them
    app.extensions["infoline"] = Line.build(settings, store=store, twilio_http_client=twilio_http_client)
    if settings.has_redis and not app.extensions["infoline"].sessions.store.ping():
        log.error("Redis does not answer (%s): the line starts and answers from what each process "
                  "knows, but nothing is kept until Redis is back",
                  redact_url(settings.redis_url) if settings.redis_url else f"sentinels {settings.redis_sentinels}")
    if not settings.public_url:
        # Rebuild the URL Twilio signed from one proxy's X-Forwarded-Proto/Host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)  # type: ignore[method-assign]

    from ivr.web import metrics, report_page, simulator
    from ivr.web.channels import cards, sms, voice

    app.register_blueprint(sms.bp)
    app.register_blueprint(voice.bp)
    app.register_blueprint(simulator.bp)
    app.register_blueprint(cards.bp)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(report_page.bp)
    app.extensions["infoline"].sessions.on_store_error = metrics.count_store_error
    init_errors(app)
    init_limits(app)

    @app.get("/healthz")
    def health() -> Response:
        """Alive, and whether Redis takes writes: "degraded" still answers patients, from what it knows."""
        line: Line = app.extensions["infoline"]
        store_ok = line.sessions.store.writable()
        return jsonify(status="ok" if store_ok else "degraded", store=store_ok,
                       locales=line.translations.locales)

    @app.get("/readyz")
    def ready():
        """Ready for patients: Redis writable, catalogs loaded, languages offered (and what each lacks)."""
        line: Line = app.extensions["infoline"]
        store_ok = line.sessions.store.writable()
        body = {"ready": store_ok, "store": store_ok, "locales": line.translations.locales,
                "entries_served_in_english": line.untranslated}
        return jsonify(body), (200 if store_ok else 503)

    @app.get("/")
    def home():
        """Local mode: where to go (the web phone, the cards, the report). Production: nothing to see here."""
        if not settings.local:
            return Response("Infoline", mimetype="text/plain")
        from html import escape

        line: Line = app.extensions["infoline"]
        cards = "".join(f'<li><a href="/card/{escape(tr.locale)}">{escape(tr.name)}</a></li>' for tr in line.translations)
        page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(settings.org_name)}'
                f'</title></head><body style="font-family:system-ui;max-width:40em;margin:2em auto">'
                f'<h1>{escape(settings.org_name)}</h1><p><a href="/simulator">Try the line: the web phone</a></p>'
                f'<p><a href="/report">Usage report</a></p><h2>Clinic cards</h2><ul>{cards}</ul></body></html>')
        return Response(page, mimetype="text/html")

    return app


def init_limits(app: Flask) -> None:
    """Cheap refusals before any parsing or signature work: too long, or too many fields."""

    @app.before_request
    def start_clock():
        g.ivr_started = time.perf_counter()

    @app.before_request
    def limit_body():
        if request.method != "POST":
            return None
        if (request.content_length or 0) > MAX_BODY:
            return Response("request too large", status=413, mimetype="text/plain")
        body = request.get_data(cache=True)
        if body.count(b"&") >= MAX_FIELDS:
            return Response("too many fields", status=413, mimetype="text/plain")
        return None


def init_errors(app: Flask) -> None:
    """A crash on a Twilio webhook still answers kindly, never with a 500."""

    @app.errorhandler(Exception)
    def handle(error: Exception):
        if isinstance(error, HTTPException):
            return error
        log.exception("unhandled error on %s", request.path)
        if request.path.startswith(TWIML_PATHS):
            from ivr.web.channels.fallback import fallback_twiml

            return fallback_twiml(request.path)
        return Response("internal error", status=500, mimetype="text/plain")
