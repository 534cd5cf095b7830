"""The `ivr` command: `ivr serve` runs the line locally, `ivr check` vets content and catalogs."""
from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys
from pathlib import Path

from ivr.config import ConfigError, load_settings

LOCAL_ENV = Path(".local") / "dev.env"


def local_secrets(path: Path = LOCAL_ENV) -> dict[str, str]:
    """Development token and hashing secret, made once and kept out of git."""
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    if not values.get("TWILIO_AUTH_TOKEN") or not values.get("IVR_HASH_SECRET"):
        values.setdefault("TWILIO_AUTH_TOKEN", "dev-" + secrets.token_hex(16))
        values.setdefault("IVR_HASH_SECRET", secrets.token_hex(32))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Local development secrets for `make run` (not for production).\n"
                        + "".join(f"{key}={value}\n" for key, value in values.items()))
        path.chmod(0o600)
    return values


def serve(args: argparse.Namespace) -> int:
    from ivr import create_app

    environ = {**local_secrets(), **os.environ, "IVR_MODE": os.environ.get("IVR_MODE", "local")}
    try:
        app = create_app(environ=environ)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    settings = app.config["IVR_SETTINGS"]
    url = f"http://{args.host}:{args.port}"
    store = "Redis at " + settings.redis_url if settings.redis_url else "in-process memory (set REDIS_URL for Redis)"
    print(f"Infoline is running at {url}\n"
          f"  SMS webhook:   {url}/sms\n"
          f"  state:         {store}\n"
          f"  dev token:     {settings.auth_token}  (requests must be signed with it; kept in {LOCAL_ENV})\n"
          f"  languages:     {', '.join(app.extensions['infoline'].translations.locales)}\n", flush=True)
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)
    return 0


def check(args: argparse.Namespace) -> int:
    from ivr.checks import run_checks

    try:
        settings = load_settings(overrides={"mode": "local", "auth_token": "check", "hash_secret": "x" * 16})
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    problems = run_checks(settings)
    for problem in problems:
        print(f"FAIL {problem}")
    if problems:
        print(f"{len(problems)} problem(s): fix them before patients see this.")
        return 1
    print(f"OK: content, catalogs ({', '.join(settings.locales)}), keywords and SMS budgets")
    return 0


def worker(args: argparse.Namespace) -> int:
    """Send queued text-me messages (production, with REDIS_URL)."""
    from redis import Redis
    from rq import Queue, Worker

    from ivr.texting import QUEUE_NAME

    settings = load_settings()
    if not settings.redis_url:
        print("configuration error: the worker needs REDIS_URL", file=sys.stderr)
        return 2
    connection = Redis.from_url(settings.redis_url)
    Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(with_scheduler=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="ivr", description="Infoline tools")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the line locally (development server)")
    run.add_argument("--host", default=os.environ.get("IVR_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("IVR_PORT", "5000")))
    run.set_defaults(func=serve)
    checker = commands.add_parser("check", help="fail on missing/fuzzy translations, keyword clashes, over-budget SMS")
    checker.set_defaults(func=check)
    commands.add_parser("worker", help="send queued text-me messages (RQ)").set_defaults(func=worker)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
