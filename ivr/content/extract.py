"""Babel extractor for the content files, so `pybabel extract` sees the menu tree.

Registered as the `infoline_content` extractor (pyproject entry point) and
named in babel.cfg. Each field becomes a pgettext message whose context is
`<node id>|<field>`, so the same English can be translated differently per node.
Keyword lists share one msgid (KEYWORDS_MSGID) and carry the English words in a
comment: each language keeps its own list whatever the English list becomes.
"""
from __future__ import annotations

from typing import IO, Any, Iterator

from ivr.content import KEYWORDS_MSGID, parse_nodes

COMMENTS = {
    "title": "Menu label: a few words.",
    "text": "One sentence or list item per line (lines starting with '- ' are list items). "
            "Keep %(name)s placeholders exactly: Babel fills in the number for your language.",
    "keywords": "Comma-separated words a texter may send for this topic. Keep useful English words and add "
                "your language's, including forms typed without accents or tone marks. "
                "A word may lead to one topic only. A word written =WORD counts only when it is the whole "
                "message (for short words that sit inside longer ones, like Korean =간).",
}


def extract_content(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                    options: dict[str, Any]) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Yield (line, funcname, (context, message), comments) as Babel expects."""
    name = getattr(fileobj, "name", "<content>")
    for node in parse_nodes(fileobj.read().decode("utf-8"), name):
        yield node.line, "pgettext", (f"{node.id}|title", node.title), [COMMENTS["title"]]
        yield node.line, "pgettext", (f"{node.id}|text", node.text), [COMMENTS["text"]]
        if node.keywords:
            yield node.line, "pgettext", (f"{node.id}|keywords", KEYWORDS_MSGID), [
                COMMENTS["keywords"], "English: " + ", ".join(node.keywords)]
