"""Which messages every locale must translate, and which locales fall short.

The template (translations/messages.pot, made by `pybabel extract`) lists the
code's strings; the content files list the rest. A locale with any of them
missing or fuzzy is incomplete: it is not offered, and `ivr check` fails.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

from ivr.content import KEYWORDS_MSGID, Content
from ivr.i18n import SOURCE_LOCALE, Catalog, content_context, po_path

TEMPLATE = "messages.pot"
MessageKey = tuple[str | None, str]


def content_messages(content: Content) -> set[MessageKey]:
    keys: set[MessageKey] = set()
    for node in content.nodes.values():
        keys.add((content_context(node.id, "title"), node.title))
        keys.add((content_context(node.id, "text"), node.text))
        if node.keywords:
            keys.add((content_context(node.id, "keywords"), KEYWORDS_MSGID))
    return keys


def template_messages(translations_dir: Path) -> set[MessageKey]:
    path = translations_dir / TEMPLATE
    if not path.exists():
        return set()
    stat = path.stat()
    return set(_template(str(path), stat.st_size, stat.st_mtime_ns))


@lru_cache(maxsize=8)
def _template(path: str, size: int, mtime: int) -> frozenset[MessageKey]:
    with open(path, "rb") as handle:
        template = read_po(handle)
    return frozenset((message.context, message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
                     for message in template if message.id)


def required_messages(content: Content, translations_dir: Path) -> set[MessageKey]:
    return content_messages(content) | template_messages(translations_dir)


def missing_messages(locale: str, content: Content, translations_dir: Path) -> tuple[set[MessageKey], set[MessageKey]]:
    """(missing, fuzzy) message keys of one locale."""
    path = po_path(locale, translations_dir)
    required = required_messages(content, translations_dir)
    if not path.exists():
        return required, set()
    catalog = Catalog.from_po(path, locale)
    missing = {key for key in required if key not in catalog.messages}
    return missing - catalog.fuzzy, missing & catalog.fuzzy


OFFER_THRESHOLD = 0.8  # a language still being written (under 80% done) is not offered yet


def gaps(locales: tuple[str, ...] | list[str], content: Content, translations_dir: Path) -> dict[str, tuple[int, int, int]]:
    """{locale: (missing, fuzzy, required)} for every locale with a catalog (English has none to miss)."""
    required = len(required_messages(content, translations_dir))
    out: dict[str, tuple[int, int, int]] = {}
    for locale in locales:
        if locale == SOURCE_LOCALE:
            out[locale] = (0, 0, required)
            continue
        missing, fuzzy = missing_messages(locale, content, translations_dir)
        out[locale] = (len(missing), len(fuzzy), required)
    return out


def unfinished_locales(locales: tuple[str, ...] | list[str], content: Content, translations_dir: Path) -> dict[str, str]:
    """Locales that cannot be offered: unknown to Babel, or less than OFFER_THRESHOLD translated.

    A few missing or changed entries never take a language away: those entries
    are served in English (logged once) until the translator updates them.
    """
    broken: dict[str, str] = {}
    for locale in locales:
        try:
            Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            broken[locale] = "not a locale Babel knows"
    for locale, (missing, fuzzy, required) in gaps([l for l in locales if l not in broken], content,
                                                   translations_dir).items():
        if required and (missing + fuzzy) / required > 1 - OFFER_THRESHOLD:
            broken[locale] = f"only {required - missing - fuzzy} of {required} entries translated"
    return broken
