"""The `ivr` command: `ivr serve` runs the line locally, `ivr check` vets content and catalogs."""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import secrets
import sys
from pathlib import Path

from ivr.config import ConfigError, Settings, load_settings

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

    mode = os.environ.get("IVR_MODE", "local")
    # Development secrets only for local mode: production never invents a token or a hashing secret.
    environ = {**(local_secrets() if mode == "local" else {}), **os.environ, "IVR_MODE": mode}
    try:
        app = create_app(environ=environ)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    settings = app.config["IVR_SETTINGS"]
    url = f"http://{args.host}:{args.port}"
    store = "Redis at " + settings.redis_url if settings.redis_url else "in-process memory (set REDIS_URL for Redis)"
    print(f"Infoline is running at {url}\n"
          f"  web phone:     {url}/simulator\n"
          f"  SMS webhook:   {url}/sms    voice webhook: {url}/voice\n"
          f"  state:         {store}\n"
          f"  dev token:     {settings.auth_token}  (requests must be signed with it; kept in {LOCAL_ENV})\n"
          f"  languages:     {', '.join(app.extensions['infoline'].translations.locales)}\n"
          + "".join(f"  {locale}: {count} entries served in English until translated (`make check`)\n"
                    for locale, count in app.extensions["infoline"].untranslated.items() if count), flush=True)
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)
    return 0


def tool_settings() -> Settings:
    """The settings the offline tools run with (check, weights, import): local, no secrets needed."""
    return load_settings(overrides={"mode": "local", "auth_token": "tool", "hash_secret": "x" * 16})


def report_problems(label: str, problems: list[str], advice: str) -> int:
    for problem in problems:
        print(f"{label} {problem}")
    if problems:
        print(f"{len(problems)} problem(s): {advice}")
        return 1
    return 0


def check(args: argparse.Namespace) -> int:
    from ivr.tools.checks import run_checks

    settings = tool_settings()
    notes: list[str] = []
    problems = run_checks(settings, notes=notes)
    print("SMS cost of every topic sent in full (information, not a problem):")
    for note in notes:
        print(f"  {note}")
    failed = report_problems("FAIL", problems, "fix them before patients see this.")
    from ivr.tools.review import due_for_review

    reviews = due_for_review(settings)
    for line in reviews:
        print(f"{'FAIL' if args.strict else 'WARN'} review {line}")
    if reviews:
        print(f"{len(reviews)} review(s) due: see `ivr review`" + (" (--strict: failing)" if args.strict else ""))
    if failed or (args.strict and reviews):
        return 1
    print(f"OK: content, catalogs ({', '.join(settings.locales)}), keywords and SMS budgets")
    return 0


def review_command(args: argparse.Namespace) -> int:
    """List what is due for review, or record a review that took place."""
    from ivr.tools import review
    from ivr.i18n import TRANSLATIONS_DIR, po_path
    from ivr.understanding.safety import load_safety_lists

    settings = tool_settings()
    if args.action == "record":
        if not args.what or not args.locale or not args.by or args.locale not in settings.locales:
            print("usage: ivr review record translations|safety LOCALE --by \"Name, role\" "
                  f"(LOCALE one of {', '.join(settings.locales)})", file=sys.stderr)
            return 2
        today = dt.date.today()
        if args.what == "translations":
            po_file = po_path(args.locale)
            revision = review.english_revision(TRANSLATIONS_DIR / "messages.pot")
            review.record_catalog_review(po_file, args.by, revision, today)
            print(f"recorded: {po_file} reviewed {today} by {args.by} against {revision}")
        else:
            safety = load_safety_lists([args.locale])[0]
            review.record_safety_review(safety, args.by, today)
            print(f"recorded: {safety.path} reviewed {today} by {args.by}")
        return 0
    findings = review.due_for_review(settings, within=args.within)
    for line in findings:
        print(line)
    print(f"{len(findings)} item(s) due for review" if findings else "nothing is due for review")
    return 0


def weights_command(args: argparse.Namespace) -> int:
    """Recompute translations/word-weights.json from wordfreq (make translations runs it)."""
    from ivr.content import load_content
    from ivr.i18n import TRANSLATIONS_DIR, Translations
    from ivr.understanding.weights import write_weights

    settings = tool_settings()
    content = load_content()
    translations = Translations(content, settings.locales, settings.default_locale, TRANSLATIONS_DIR)
    print(f"wrote {write_weights(translations, content, TRANSLATIONS_DIR)}")
    return 0


def worker(args: argparse.Namespace) -> int:
    """Send queued text-me messages (production, with REDIS_URL)."""
    from rq import Queue, Worker

    from ivr.line import queue_connection
    from ivr.texting import QUEUE_NAME

    settings = load_settings()
    connection = queue_connection(settings, 2.0)
    if connection is None:
        print("configuration error: the worker needs REDIS_URL, IVR_REDIS_MODE=sentinel, or IVR_QUEUE_URL "
              "(with a cluster)", file=sys.stderr)
        return 2
    try:
        connection.ping()
    except Exception as exc:  # noqa: BLE001 - one clear line, not a traceback
        print(f"Redis does not answer at REDIS_URL ({type(exc).__name__}): start it, or fix the setting",
              file=sys.stderr)
        return 1
    Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(with_scheduler=True)
    return 0


def _local_app():
    from ivr import create_app

    return create_app(environ={**local_secrets(), **os.environ, "IVR_MODE": os.environ.get("IVR_MODE", "local")})


def _phone_setup(args: argparse.Namespace):
    """(transport, token, signing base): a running line with --url, else the app in-process."""
    from ivr.web.phone_driver import AppTransport, HttpTransport

    if args.url:
        token = args.token or os.environ.get("TWILIO_AUTH_TOKEN") or local_secrets().get("TWILIO_AUTH_TOKEN", "")
        return HttpTransport(args.url), token, args.signing_url or args.url
    app = _local_app()
    settings = app.config["IVR_SETTINGS"]
    base = "http://localhost"
    return AppTransport(app, base), settings.auth_token, settings.public_url or base


def chat_command(args: argparse.Namespace) -> int:
    from ivr.web.phone_driver import TextingPhone
    from ivr.tools.terminal import chat

    transport, token, signing = _phone_setup(args)
    phone = TextingPhone(transport, token, args.number, simulated=True, signing_base=signing)
    chat(phone, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    return 0


def call_command(args: argparse.Namespace) -> int:
    from ivr.web.phone_driver import CallingPhone
    from ivr.tools.terminal import call

    transport, token, signing = _phone_setup(args)
    phone = CallingPhone(transport, token, args.number, simulated=True, signing_base=signing)
    call(phone, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    return 0


def tree_command(args: argparse.Namespace) -> int:
    from ivr.tools.terminal import tree_mermaid, tree_text

    line = _local_app().extensions["infoline"]
    locales = line.translations.locales if args.lang == "all" else [args.lang]
    for locale in locales:
        if locale not in line.translations:
            print(f"unknown or incomplete locale {locale!r}; offered: {', '.join(line.translations.locales)}",
                  file=sys.stderr)
            return 2
        render = tree_mermaid if args.format == "mermaid" else tree_text
        if len(locales) > 1:
            print(f"%% {locale}" if args.format == "mermaid" else f"== {locale} ==")
        print(render(line.content, line.translations, locale))
    return 0


def report_command(args: argparse.Namespace) -> int:
    """Usage counts from Redis: `ivr report --since 30d --format table|csv|json`."""
    import datetime as dt

    from ivr.state.reports import Reports, as_csv, as_json, as_table
    from ivr.state.store import StoreUnavailable, make_store

    url = os.environ.get("REDIS_URL", "")
    if not url:
        print("ivr report reads the counts in Redis: set REDIS_URL (the line's own)", file=sys.stderr)
        return 2
    days = args.since.rstrip("d")
    if not days.isdigit():
        print(f"--since takes a number of days like 30d, got {args.since!r}", file=sys.stderr)
        return 2
    since = dt.date.today() - dt.timedelta(days=int(days) - 1)
    try:
        rows = Reports(make_store(url)).rows(since)
    except StoreUnavailable as exc:
        print(f"Redis did not answer at REDIS_URL ({exc})", file=sys.stderr)
        return 1
    print({"csv": as_csv, "json": as_json, "table": as_table}[args.format](rows).rstrip("\n"))
    return 0


def translations_command(args: argparse.Namespace) -> int:
    """Spreadsheet round trip: `ivr translations export|import` (see ivr/tools/spreadsheet.py)."""
    from pathlib import Path

    from ivr.i18n import po_path
    from ivr.tools import spreadsheet
    from ivr.tools.checks import PROJECT_DIR

    if args.action == "export":
        if not args.lang or not po_path(args.lang).exists():
            print(f"no catalog for --lang {args.lang!r} (e.g. es, zh_Hans)", file=sys.stderr)
            return 2
        out = Path(args.output or f"{args.lang}.{args.format}")
        count = spreadsheet.export(args.lang, args.format, out)
        print(f"wrote {out}: {count} entries")
        return 0
    path = Path(args.file or "")
    if not path.is_file():
        print(f"no such file: {path}", file=sys.stderr)
        return 2
    try:
        rows = spreadsheet.read_rows(path)
        locale = args.lang or spreadsheet.locale_of(path, rows)
        problems = spreadsheet.import_file(path, locale, PROJECT_DIR, tool_settings())
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if report_problems("REFUSED", problems, "nothing was written. Fix those rows and import again."):
        return 1
    print(f"imported {path} into {po_path(locale)}; run `make check`")
    return 0


def card_command(args: argparse.Namespace) -> int:
    from ivr.render.card import card_html

    line = _local_app().extensions["infoline"]
    if args.lang not in line.translations:
        print(f"unknown or incomplete locale {args.lang!r}", file=sys.stderr)
        return 2
    number = args.number or line.settings.line_number or "(IVR_LINE_NUMBER)"
    sys.stdout.write(card_html(line.content, line.translations[args.lang], number, line.settings.org_name, line.settings.contacts))
    return 0


def main(argv: list[str] | None = None) -> int:
    quiet = bool(argv or sys.argv[1:]) and (argv or sys.argv[1:])[0] in ("chat", "call", "tree", "card", "check", "weights", "report", "translations", "review")
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="ivr", description="Infoline tools")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the line locally (development server)")
    run.add_argument("--host", default=os.environ.get("IVR_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("IVR_PORT", "5000")))
    run.set_defaults(func=serve)
    checker = commands.add_parser("check", help="fail on missing/fuzzy translations, keyword clashes, over-budget SMS")
    checker.add_argument("--strict", action="store_true", help="also fail on reviews due (see `ivr review`)")
    checker.set_defaults(func=check)
    reviewer = commands.add_parser("review", help="topics, translations and safety lists due for review; record one")
    reviewer.add_argument("action", nargs="?", choices=("list", "record"), default="list")
    reviewer.add_argument("what", nargs="?", choices=("translations", "safety"))
    reviewer.add_argument("locale", nargs="?")
    reviewer.add_argument("--by", help="record: the reviewer's name and role")
    reviewer.add_argument("--within", type=int, help="days ahead a topic counts as due (default 30)")
    reviewer.set_defaults(func=review_command)
    commands.add_parser("worker", help="send queued text-me messages (RQ)").set_defaults(func=worker)
    report = commands.add_parser("report", help="usage counts per day, channel, language and event")
    report.add_argument("--since", default="30d", help="how many days back, like 30d (default)")
    report.add_argument("--format", choices=("table", "csv", "json"), default="table")
    report.set_defaults(func=report_command)
    sheets = commands.add_parser("translations", help="export a catalog to XLSX/CSV, or import one back")
    sheets.add_argument("action", choices=("export", "import"))
    sheets.add_argument("file", nargs="?", help="import: the XLSX or CSV file")
    sheets.add_argument("--lang", help="the locale, e.g. es")
    sheets.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    sheets.add_argument("-o", "--output", help="export: the file to write (default <lang>.<format>)")
    sheets.set_defaults(func=translations_command)
    commands.add_parser("weights", help="recompute the keyword weights file from word frequencies").set_defaults(
        func=weights_command)
    for name, func, what in (("chat", chat_command, "text the line"), ("call", call_command, "call the line")):
        client = commands.add_parser(name, help=f"{what} from the terminal (in-process, or --url)")
        client.add_argument("--url", help="a running line, e.g. http://127.0.0.1:5000 (default: in-process)")
        client.add_argument("--token", help="auth token to sign with (default: TWILIO_AUTH_TOKEN or the dev token)")
        client.add_argument("--signing-url", help="the public URL the line checks signatures against")
        client.add_argument("--number", "--from", dest="number", default="+15550100001", help="the phone you play")
        client.set_defaults(func=func)
    tree = commands.add_parser("tree", help="print the phone tree (text or Mermaid)")
    tree.add_argument("--lang", default="en", help="a locale, or 'all'")
    tree.add_argument("--format", choices=("text", "mermaid"), default="text")
    tree.set_defaults(func=tree_command)
    card = commands.add_parser("card", help="print the clinic card of one language as HTML")
    card.add_argument("--lang", default="en")
    card.add_argument("--number", help="the line's number (default: IVR_LINE_NUMBER)")
    card.set_defaults(func=card_command)
    args = parser.parse_args(argv)
    from ivr.content import ContentError
    from ivr.understanding.safety import SafetyError

    try:
        return args.func(args)
    except (ConfigError, ContentError, SafetyError, OSError) as exc:
        print(f"{type(exc).__name__.replace('Error', ' error').lower()}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
