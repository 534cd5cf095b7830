"""GET /card/<locale>: the printable clinic card for one language."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from ivr.render.card import card_html
from ivr.line import Line

bp = Blueprint("cards", __name__)


@bp.get("/card/<locale>")
def card(locale: str) -> Response:
    line: Line = current_app.extensions["infoline"]
    if locale not in line.translations.locales:
        abort(404)
    settings = line.settings
    number = settings.line_number or "(IVR_LINE_NUMBER)"
    return Response(card_html(line.content, line.translations[locale], number, settings.org_name, settings.contacts),
                    mimetype="text/html")
