"""A printable one-page card per language, for clinics to hand out.

Everything on it comes from the catalogs and the content (the same keywords
the line understands), so a card can never promise a word the line ignores.
"""
from __future__ import annotations

from html import escape

from ivr.understanding.commands import Command, plainest_word
from ivr.content import Content
from ivr.i18n import Localizer
from ivr.render.wording import Contacts, left_to_right, notice_text


def card_keywords(content: Content, tr: Localizer) -> list[tuple[str, str]]:
    """(word to text, what it is about) for the main topics and their first sub-topics."""
    rows = []
    for child_id in content.root.children:
        node = content.nodes[child_id]
        words = tr.keywords(node)
        if words:
            rows.append((words[0].upper(), tr.title(node)))
    return rows


def card_html(content: Content, tr: Localizer, line_number: str, org_name: str, contacts: Contacts | None = None) -> str:
    contacts = contacts or Contacts(org_name, "")
    number = left_to_right(tr, line_number)
    rows = "".join(f"<tr><th scope=\"row\">{escape(word)}</th><td>{escape(title)}</td></tr>"
                   for word, title in card_keywords(content, tr))
    direction = "rtl" if tr.rtl else "ltr"
    texts = {
        "title": tr.gettext("Information about metastatic breast cancer, by text message and by phone."),
        "text": tr.gettext("Text a word to %(number)s:") % {"number": number},
        "call": tr.gettext("Or call %(number)s and follow the spoken menu.") % {"number": number},
        "commands": tr.gettext("Text %(menu)s to see all topics, %(lang)s to change the language, "
                               "%(stop)s to stop messages.") % {
            "menu": plainest_word(tr, Command.MENU), "lang": plainest_word(tr, Command.LANG), "stop": "STOP"},
        "notice": notice_text(tr, contacts),
    }
    return f"""<!doctype html>
<html lang="{escape(tr.locale.replace('_', '-'))}" dir="{direction}">
<head><meta charset="utf-8"><title>{escape(org_name)}</title>
<style>
@page {{ size: A5; margin: 12mm; }}
body {{ font-family: system-ui, sans-serif; font-size: 14pt; line-height: 1.4; max-width: 40em; margin: auto; }}
h1 {{ font-size: 20pt; margin-bottom: .2em; }} .number {{ font-size: 24pt; font-weight: bold; }}
table {{ border-collapse: collapse; margin: .5em 0; }} th, td {{ padding: .2em .8em; border-bottom: 1px solid #999; }}
th {{ font-family: monospace; font-size: 15pt; text-align: start; }} .notice {{ font-size: 11pt; }}
</style></head>
<body>
<h1>{escape(org_name)}</h1>
<p>{escape(texts["title"])}</p>
<p class="number">{escape(texts["text"])}</p>
<table>{rows}</table>
<p>{escape(texts["commands"])}</p>
<p class="number">{escape(texts["call"])}</p>
<p class="notice">{escape(texts["notice"])}</p>
</body></html>
"""
