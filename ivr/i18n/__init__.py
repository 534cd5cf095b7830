"""Translations: PO catalogs compiled in memory, looked up with explicit fallback.

The PO files in translations/ are the source of truth. They are read with
Babel at start-up (fuzzy and empty entries are skipped, exactly as
`pybabel compile` does), so a fresh clone needs no compile step and a stale
.mo file can never be served. A string with no usable translation falls back
to English *and says so* in the log; `ivr check` turns the same gap into a
failure before a patient ever sees it.
"""
from __future__ import annotations

import datetime as dt
import gettext
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from ivr.content import KEYWORDS_MSGID, PROJECT_DIR, Content, Node

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = PROJECT_DIR / "translations"
DOMAIN = "messages"
SOURCE_LOCALE = "en"


def content_context(node_id: str, field_name: str) -> str:
    """The msgctxt of a content field: the same English can differ per node."""
    return f"{node_id}|{field_name}"


@dataclass
class Catalog:
    """One locale's translations: {(context, msgid): msgstr or plural forms}."""

    locale: str
    messages: dict[tuple[str | None, str], str | tuple[str, ...]] = field(default_factory=dict)
    fuzzy: set[tuple[str | None, str]] = field(default_factory=set)
    plural: Callable[[int], int] = lambda n: int(n != 1)

    @classmethod
    def from_po(cls, path: Path, locale: str) -> "Catalog":
        """The catalog at `path`, parsed once while the file is unchanged (start-up reads it several times)."""
        stat = path.stat()
        return _parsed(str(path), locale, stat.st_size, stat.st_mtime_ns)

    @classmethod
    def _parse(cls, path: Path, locale: str) -> "Catalog":
        with path.open("rb") as handle:
            po = read_po(handle, locale=locale, domain=DOMAIN)
        catalog = cls(locale=locale, plural=gettext.c2py(po.plural_expr))
        for message in po:
            if not message.id:
                continue
            msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
            key = (message.context, msgid)
            if message.fuzzy:
                catalog.fuzzy.add(key)
                continue
            if isinstance(message.string, (tuple, list)):
                if all(message.string):
                    catalog.messages[key] = tuple(message.string)
            elif message.string:
                catalog.messages[key] = message.string
        return catalog


@lru_cache(maxsize=64)
def _parsed(path: str, locale: str, size: int, mtime: int) -> Catalog:
    return Catalog._parse(Path(path), locale)


def po_path(locale: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    """Where a locale's catalog lives: Babel's layout, the one definition of it."""
    return directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_catalog(locale: str, directory: Path = TRANSLATIONS_DIR) -> Catalog:
    if locale == SOURCE_LOCALE:
        return Catalog(locale=locale)
    path = po_path(locale, directory)
    if not path.exists():
        log.warning("no catalog for locale %s at %s", locale, path)
        return Catalog(locale=locale)
    return Catalog.from_po(path, locale)


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def previous_english(po_lines: list[str], lineno: int) -> str:
    """The English an entry had before it changed, from its `#|` comments (Babel's `update --previous`).

    Babel writes a multi-line previous msgid folded over several `#|` lines and reads
    it back only in part, so the comments are read here, whole.
    """
    collected: list[str] = []
    index = min(lineno, len(po_lines)) - 1
    while index >= 0 and not po_lines[index].startswith("#|"):
        if not po_lines[index].strip() or index < lineno - 4:
            return ""
        index -= 1
    while index >= 0 and po_lines[index].startswith("#|"):
        collected.insert(0, po_lines[index][2:].strip())
        index -= 1
    text = " ".join(collected)
    if "msgid" in text:
        text = text[text.index("msgid") + len("msgid"):]
    elif "msgctxt" in text:
        return ""
    parts = _QUOTED.findall(text)
    return "".join(parts).encode("latin-1", "backslashreplace").decode("unicode_escape") if parts else ""


def native_name(locale: str, capitalized: bool = True) -> str:
    """The language's name in itself, from CLDR ("Español" in a list, "español" in a sentence)."""
    parsed = Locale.parse(locale)
    name = parsed.get_display_name(locale) or locale
    return name[:1].upper() + name[1:] if capitalized else name


def english_name(locale: str) -> str:
    return Locale.parse(locale).get_language_name("en") or locale


class Translated(str):
    """A translation that remembers its English: a broken placeholder falls back, never crashes.

    `ivr check` fails on such a catalog; this keeps a patient from ever seeing an error.
    """

    english: str = ""

    def __new__(cls, text: str, english: str) -> "Translated":
        value = super().__new__(cls, text)
        value.english = english
        return value

    def __mod__(self, values):
        try:
            return str.__mod__(self, values)
        except (KeyError, ValueError, TypeError):
            log.warning("translation with a broken placeholder; using the English")
            return self.english % values


class Localizer:
    """Everything one locale says: UI phrases, content, numbers and dates."""

    def __init__(self, locale: str, catalog: Catalog, content: Content) -> None:
        self.locale = locale
        self.catalog = catalog
        self.content = content
        self.missing: set[tuple[str | None, str]] = set()
        self._numbers = {name: format_percent(value, locale=locale) for name, value in content.numbers.items()}
        self._rtl = Locale.parse(locale).character_order == "right-to-left"
        self._name = native_name(locale)

    # -- lookups ---------------------------------------------------------
    def _lookup(self, context: str | None, msgid: str) -> str | tuple[str, ...] | None:
        if self.locale == SOURCE_LOCALE:
            return None
        found = self.catalog.messages.get((context, msgid))
        if found is None and (context, msgid) not in self.missing:
            self.missing.add((context, msgid))
            reason = "fuzzy" if (context, msgid) in self.catalog.fuzzy else "missing"
            log.warning("translation %s for locale=%s context=%s; falling back to English",
                        reason, self.locale, context)
        return found

    def gettext(self, msgid: str) -> str:
        found = self._lookup(None, msgid)
        return Translated(found, msgid) if isinstance(found, str) else msgid

    def pgettext(self, context: str, msgid: str) -> str:
        found = self._lookup(context, msgid)
        return Translated(found, msgid) if isinstance(found, str) else msgid

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        english = singular if n == 1 else plural
        found = self._lookup(None, singular)
        if isinstance(found, tuple):
            index = self.catalog.plural(n)
            return Translated(found[min(index, len(found) - 1)], english)
        return english

    # -- content -----------------------------------------------------------
    def node_field(self, node: Node, field_name: str) -> str:
        english = getattr(node, field_name)
        text = self.pgettext(content_context(node.id, field_name), english)
        return self.fill_numbers(text, english)

    def title(self, node: Node) -> str:
        return self.node_field(node, "title")

    def body(self, node: Node) -> str:
        return self.node_field(node, "text")

    def keywords(self, node: Node) -> list[str]:
        """The words a texter of this locale may send for the topic (English: the content's own)."""
        if not node.keywords:
            return []
        if self.locale == SOURCE_LOCALE:
            return list(node.keywords)
        own = self.pgettext(content_context(node.id, "keywords"), KEYWORDS_MSGID)
        return [] if own == KEYWORDS_MSGID else split_words(own)

    def fill_numbers(self, text: str, english: str) -> str:
        """Put Babel-formatted numbers into %(name)s placeholders."""
        if "%(" not in text:
            return text
        try:
            return text % self._numbers
        except (KeyError, ValueError, TypeError):
            log.warning("bad placeholder in locale=%s translation; using English", self.locale)
            return english % self._numbers

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    @property
    def rtl(self) -> bool:
        return self._rtl

    def percent(self, name: str) -> str:
        return self._numbers[name]

    def date(self, value: dt.date) -> str:
        return format_date(value, format="long", locale=self.locale)

    @property
    def name(self) -> str:
        return self._name


def split_words(value: str) -> list[str]:
    """Comma-separated keyword lists, as written in content and catalogs."""
    return [word.strip() for word in value.split(",") if word.strip()]


class Translations:
    """All enabled locales, in the order the LANG menu offers them."""

    def __init__(self, content: Content, locales: Iterable[str], default: str = SOURCE_LOCALE,
                 directory: Path = TRANSLATIONS_DIR) -> None:
        self.content = content
        self.locales = list(dict.fromkeys(locales))
        if default not in self.locales:
            raise ValueError(f"default locale {default!r} is not among the enabled locales {self.locales}")
        self.default = default
        self.directory = directory
        self._by_locale = {
            locale: Localizer(locale, load_catalog(locale, directory), content) for locale in self.locales
        }

    def __getitem__(self, locale: str) -> Localizer:
        return self._by_locale.get(locale) or self._by_locale[self.default]

    def __contains__(self, locale: object) -> bool:
        return locale in self._by_locale

    def __iter__(self):
        return iter(self._by_locale.values())
