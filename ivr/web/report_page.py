"""/report: the team's usage report, as charts (inline SVG, no scripts, no outside files).

Local mode: open. Production: only with IVR_REPORT_PASSWORD (HTTP Basic, any
user name; wrong tries throttled). Built from the same counters as `ivr report`.
"""
from __future__ import annotations

import datetime as dt
import hmac
from collections import defaultdict
from html import escape
from typing import Sequence

from flask import Blueprint, Response, current_app, request

from ivr.state.reports import Row

bp = Blueprint("report", __name__)
SAFETY = ("crisis", "emergency", "person", "opt_out")
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f",
          "#bcbd22", "#393b79", "#637939")


@bp.before_request
def guard():
    settings = current_app.config["IVR_SETTINGS"]
    if settings.local:
        return None
    if not settings.report_password:
        return Response("not found", status=404, mimetype="text/plain")
    auth = request.authorization
    given = (auth.password or "") if auth else ""
    if not hmac.compare_digest(given.encode(), settings.report_password.encode()):
        from ivr.web.simulator import Throttle

        if not current_app.extensions.setdefault("report_tries", Throttle()).allow(request.remote_addr or ""):
            return Response("Too many tries. Wait a minute.", 429, {"Retry-After": "60"})
        return Response("The report needs its password.", 401, {"WWW-Authenticate": 'Basic realm="Infoline report"'})
    return None


def bars(title: str, items: list[tuple[str, int]], color: str = COLORS[0]) -> str:
    """A horizontal bar chart with a text table for screen readers."""
    if not items:
        return f"<section><h2>{escape(title)}</h2><p>No data yet.</p></section>"
    top = max(count for _, count in items) or 1
    height = 22 * len(items)
    rows = "".join(
        f'<g transform="translate(0,{22 * index})"><text x="0" y="15">{escape(label)}</text>'
        f'<rect x="260" y="3" height="16" width="{max(1, int(400 * count / top))}" fill="{color}"/>'
        f'<text x="{265 + int(400 * count / top)}" y="15">{count}</text></g>'
        for index, (label, count) in enumerate(items))
    return (f'<section><h2>{escape(title)}</h2><svg role="img" aria-label="{escape(title)}" width="720" '
            f'height="{height}" class="chart">{rows}</svg></section>')


def lines(title: str, series: dict[str, list[float]], days: list[str], unit: str = "%") -> str:
    if not series:
        return f"<section><h2>{escape(title)}</h2><p>No data yet.</p></section>"
    width, height = 640, 160
    top = max((value for values in series.values() for value in values), default=1) or 1
    step = width / max(1, len(days) - 1)
    paths, legend = [], []
    for index, (name, values) in enumerate(sorted(series.items())):
        points = " ".join(f"{int(i * step)},{int(height - height * value / top)}" for i, value in enumerate(values))
        color = COLORS[index % len(COLORS)]
        paths.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        legend.append(f'<li><span style="color:{color}">■</span> {escape(name)}: '
                      f'{values[-1]:.0f}{unit} on {escape(days[-1])}</li>')
    return (f'<section><h2>{escape(title)}</h2><svg role="img" aria-label="{escape(title)}" width="{width}" '
            f'height="{height}" class="chart">{"".join(paths)}</svg><ul class="legend">{"".join(legend)}</ul></section>')


def unanswered_section(texts: list[tuple[str, str]]) -> str:
    if not texts:
        return ""
    items = "".join(f"<li><time>{escape(day)}</time> {escape(text)}</li>" for day, text in texts[:200])
    return (f'<section><h2>Texts the line did not understand (last 14 days)</h2><p>Digits and e-mail addresses '
            f'removed; no phone number. Words here may be worth adding as keywords.</p><ul class="unanswered">'
            f'{items}</ul></section>')


def render(rows: list[Row], since: dt.date, until: dt.date, unanswered: Sequence[tuple[str, str]] = ()) -> str:
    days = [(since + dt.timedelta(days=n)).isoformat() for n in range((until - since).days + 1)]
    topics: dict[str, int] = defaultdict(int)
    by_language: dict[str, int] = defaultdict(int)
    answered: dict[tuple[str, str], int] = defaultdict(int)  # (language, day) -> counted turns
    missed: dict[tuple[str, str], int] = defaultdict(int)
    safety: dict[str, int] = defaultdict(int)
    funnel: dict[str, int] = defaultdict(int)
    hangups: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.event.startswith("topic:"):
            topics[row.event[6:]] += row.count
            by_language[f"{row.language} ({row.channel})"] += row.count
        if row.channel == "sms" and (row.event.startswith("topic:") or row.event == "not_understood"):
            answered[(row.language, row.date)] += row.count
            if row.event == "not_understood":
                missed[(row.language, row.date)] += row.count
        if row.event in SAFETY:
            safety[f"{row.event} ({row.channel})"] += row.count
        if row.channel == "voice":
            if row.event in ("call_started", "language_chosen"):
                funnel[row.event] += row.count
            elif row.event.startswith("topic:"):
                funnel["topic_reached"] += row.count
            elif row.event.startswith("hangup:"):
                hangups[row.event[7:]] += row.count
                funnel["call_ended"] += row.count
    languages = sorted({language for language, _ in answered})
    rates = {language: [100 * missed[(language, day)] / answered[(language, day)] if answered[(language, day)]
                        else 0.0 for day in days] for language in languages}
    sections = [
        bars("Topics asked for", sorted(topics.items(), key=lambda item: -item[1])[:20]),
        bars("Topics by language and channel", sorted(by_language.items(), key=lambda item: -item[1]), COLORS[2]),
        lines("Not understood, per language (% of texts)", rates, days),
        bars("Phone calls: the funnel", [(name, funnel[name]) for name in
                                         ("call_started", "language_chosen", "topic_reached", "call_ended")],
             COLORS[3]),
        bars("Where calls ended", sorted(hangups.items(), key=lambda item: -item[1])[:15], COLORS[4]),
        bars("Safety events", sorted(safety.items(), key=lambda item: -item[1]), COLORS[1]),
    ]
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Infoline report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}
svg text{{font-size:13px}} .legend{{list-style:none;padding:0}} section{{margin-bottom:2em}}</style></head>
<body><h1>Infoline report</h1><p>{escape(days[0])} to {escape(days[-1])}. Counts only: no phone number,
no message text. <a href="?days=7">7 days</a> · <a href="?days=30">30 days</a> · <a href="?days=90">90 days</a></p>
{"".join(sections)}{unanswered_section(list(unanswered))}</body></html>"""


@bp.get("/report")
def report() -> Response:
    line = current_app.extensions["infoline"]
    try:
        days = max(1, min(400, int(request.args.get("days", "30"))))
    except ValueError:
        days = 30
    until = dt.date.today()
    since = until - dt.timedelta(days=days - 1)
    try:
        rows = line.sessions.reports.rows(since, until) if line.sessions.reports else []
        unanswered = (line.sessions.reports.unanswered() if line.sessions.reports and line.settings.keep_unanswered
                      else [])
    except Exception:  # noqa: BLE001 - Redis down: say so, never a 500
        return Response("The counts are in Redis, which is not answering right now.", status=503,
                        mimetype="text/plain")
    return Response(render(rows, since, until, unanswered), mimetype="text/html")
