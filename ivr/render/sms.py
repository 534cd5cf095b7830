"""Engine screens as SMS text: the wording, the pages and the segment budget.

Every message leaving here fits `max_segments` SMS segments. Long content is
cut into pages on line (item) and sentence boundaries, each page ending with
the localized "Reply MORE" footer; short screens of one reply share a message.
In the locales of IVR_SMS_PLAIN_LOCALES a message goes out spelled in GSM-7
alone when that makes it cheaper (`plain_if_cheaper`), and pages are measured
as they will go out, so they hold 153 characters a segment instead of 67.
"""
from __future__ import annotations

import re
from ivr.content import Source
from ivr.engine import Kind, Screen
from ivr.i18n import Localizer, Translations
from ivr.render.segments import fits, plain_if_cheaper
from ivr.render.wording import (Contacts, crisis_text, emergency_text, left_to_right, notice_text, opt_out_unsaved_text,
                         opted_out_text, person_text)

SENTENCE_END = re.compile(r"(?<=[.!?;:؟।])\s+|(?<=[。！？；])\s*")
MAX_MESSAGES = 10  # Twilio's limit of <Message> per reply
INTRODUCES = (":", "：", "؛")  # a line ending so announces what follows
MEASURE_PAGES = 9  # footers are measured as "(9/9)", as wide as any real one below 10


RLM = "\u200f"


def more_footer(tr: Localizer, page: int, pages: int) -> str:
    """'(1/3) 2 more parts: reply MORE.' with the locale's plural rules."""
    remaining = pages - page
    phrase = tr.ngettext("%(count)s more part: reply MORE.", "%(count)s more parts: reply MORE.", remaining)
    return f"({tr.number(page)}/{tr.number(pages)}) " + phrase % {"count": tr.number(remaining)}


def end_footer(tr: Localizer) -> str:
    return tr.gettext("Reply BACK for other topics or MENU to start over.")


def directed(tr: Localizer, text: str) -> str:
    """Right-to-left languages: a mark at each line start keeps Latin words and digits in order."""
    if not tr.rtl:
        return text
    return "\n".join(RLM + line if line else line for line in text.split("\n"))


def page_text(tr: Localizer, body: str, page: int, pages: int) -> str:
    footer = more_footer(tr, page + 1, pages) if page + 1 < pages else end_footer(tr)
    return directed(tr, f"{body}\n{footer}")


class SmsRenderer:
    """Turns screens into the text of <Message> elements, within budget."""

    def __init__(self, translations: Translations, organisation: Contacts, max_segments: int = 3,
                 text_only: frozenset[str] = frozenset(), plain: frozenset[str] = frozenset()) -> None:
        self.translations = translations
        self.organisation = organisation
        self.max_segments = max_segments
        self.text_only = text_only  # locales with no phone voice
        self.plain = plain  # IVR_SMS_PLAIN_LOCALES: locales sent in GSM-7 without the accents it lacks

    def sent(self, text: str, lang: str) -> str:
        """`text` as it goes out in `lang`: spelled plain where IVR_SMS_PLAIN_LOCALES asks and that is cheaper."""
        return self._sent(text, lang in self.plain)

    @staticmethod
    def _sent(text: str, plain: bool) -> str:
        return plain_if_cheaper(text) if plain else text

    def _fits(self, text: str, plain: bool) -> bool:
        """Within the budget as it will be sent (so a plain page may be as long as GSM-7 allows)."""
        return fits(self._sent(text, plain), self.max_segments)

    # -- paging ----------------------------------------------------------------
    def paginate(self, text: str, lang: str) -> list[str]:
        """Split content into pages that fit with their footer (the engine's pager)."""
        tr = self.translations[lang]
        plain = lang in self.plain

        def fits_as_page(chunk: str) -> bool:
            # A page must fit whichever footer it ends up with: many parts to go, one, or none.
            return all(self._fits(page_text(tr, chunk, page, MEASURE_PAGES), plain)
                       for page in (0, MEASURE_PAGES - 2, MEASURE_PAGES - 1))

        pieces = _pieces(text, fits_as_page)
        pages: list[str] = []
        current = ""
        for piece in pieces:
            candidate = f"{current}\n{piece}" if current else piece
            if current and not fits_as_page(candidate):
                # Never end a page on a line that introduces the next ("Relative" means this:):
                # carry it over, if the next page can take it.
                head, _, last = current.rpartition("\n")
                if head and last.rstrip().endswith(INTRODUCES) and fits_as_page(f"{last}\n{piece}"):
                    pages.append(head)
                    current = f"{last}\n{piece}"
                else:
                    pages.append(current)
                    current = piece
            else:
                current = candidate
        if current:
            pages.append(current)
        return pages

    # -- screens -----------------------------------------------------------------
    def render(self, screens: tuple[Screen, ...]) -> list[str]:
        """Texts of the messages for one reply: screens joined while they fit, each message as sent."""
        messages: list[str] = []
        plain: list[bool] = []  # per message: all its screens are in IVR_SMS_PLAIN_LOCALES
        for screen in screens:
            in_plain = screen.lang in self.plain
            for text in self.screen_texts(screen):
                if messages and self._fits(f"{messages[-1]}\n\n{text}", plain[-1] and in_plain):
                    messages[-1] = f"{messages[-1]}\n\n{text}"
                    plain[-1] = plain[-1] and in_plain
                else:
                    parts = self._split(text, in_plain)
                    messages.extend(parts)
                    plain.extend([in_plain] * len(parts))
        return [self._sent(message, flag) for message, flag in zip(messages, plain)][:MAX_MESSAGES]

    def screen_texts(self, screen: Screen) -> list[str]:
        """A screen's text, and for HELP in a language without a phone voice, a note saying so."""
        texts = [self.screen_text(screen)]
        if screen.kind is Kind.HELP and screen.lang in self.text_only:
            tr = self.translations[screen.lang]
            note = directed(tr, tr.gettext("Phone calls to this line are not yet available in this "
                                           "language. Please use text messages."))
            # HELP stays within the segment budget: the note joins it only where it fits.
            if self._fits(f"{texts[0]}\n{note}", screen.lang in self.plain):
                texts = [f"{texts[0]}\n{note}"]
        return texts

    def _split(self, text: str, plain: bool = False) -> list[str]:
        if self._fits(text, plain):
            return [text]
        return self._pack(_pieces(text, lambda chunk: self._fits(chunk, plain)), plain)

    def _pack(self, pieces: list[str], plain: bool = False) -> list[str]:
        out: list[str] = []
        for piece in pieces:
            if out and self._fits(f"{out[-1]}\n{piece}", plain):
                out[-1] = f"{out[-1]}\n{piece}"
            else:
                out.append(piece)
        return out

    def screen_text(self, screen: Screen) -> str:
        tr = self.translations[screen.lang]
        text = self._screen_text(screen, tr)
        return text if screen.kind is Kind.CONTENT else directed(tr, text)

    def _screen_text(self, screen: Screen, tr: Localizer) -> str:
        options = "\n".join(f"{option.number} {option.label}" for option in screen.options)
        kind = screen.kind
        if kind is Kind.MENU:
            hint = (tr.gettext("Reply with a number, or a word like BONE. LANG: language. HELP: help.")
                    if screen.node == "main" else
                    tr.gettext("Reply with a number. BACK: go back. MENU: main menu."))
            return f"{screen.text}\n{options}\n{hint}"
        if kind is Kind.CONTENT:
            return page_text(tr, screen.text, screen.page, screen.pages)
        if kind is Kind.END_OF_TOPIC:
            return tr.gettext("That is all on this topic. Reply BACK for other topics or MENU to start over.")
        if kind is Kind.LANGUAGES:
            header = tr.gettext("Choose a language. Reply with a number:")
            return f"{header}\n{options}"
        if kind is Kind.LANGUAGE_SET:
            return tr.gettext("Language: %(language)s.") % {"language": tr.name}
        if kind is Kind.CHOICES:
            header = tr.gettext("Which topic did you mean? Reply with a number:")
            return f"{header}\n{options}"
        if kind is Kind.INVALID_CHOICE:
            return tr.gettext("%(number)s is not on this menu.") % {"number": screen.text}
        if kind is Kind.NOT_UNDERSTOOD:
            return tr.gettext("Sorry, I did not understand. Send a word like SYMPTOMS, "
                              "or reply MENU to see all topics.")
        if kind is Kind.EMPTY:
            return tr.gettext("Sorry, I can only read text. Reply MENU to see the topics.")
        if kind is Kind.HELP:
            return self.help_text(tr)
        if kind is Kind.SOURCE:
            return source_text(tr, self.translations.content.source)
        if kind is Kind.NOTICE:
            return notice_text(tr, self.organisation)
        if kind is Kind.OPTED_IN:
            return tr.gettext("You will get messages from this line again.")
        if kind is Kind.OPTED_OUT:
            return opted_out_text(tr)
        if kind is Kind.OPT_OUT_UNSAVED:
            return opt_out_unsaved_text(tr)
        if kind is Kind.CRISIS:
            return crisis_text(tr, self.organisation)
        if kind is Kind.EMERGENCY:
            return emergency_text(tr, self.organisation)
        if kind in (Kind.PERSON, Kind.CALL_US):
            return person_text(tr, self.organisation)
        raise ValueError(f"SMS cannot show a {kind} screen")

    def help_text(self, tr: Localizer) -> str:
        return tr.gettext("%(org)s: free information about metastatic breast cancer. Reply MENU for "
                          "topics, LANG for language, STOP to end messages. Questions? Call %(phone)s.") % {
            "org": self.organisation.name, "phone": left_to_right(tr, self.organisation.phone)}


def source_text(tr: Localizer, source: Source) -> str:
    return tr.gettext("Source: \"%(title)s\" by %(author)s, %(publisher)s. Last reviewed "
                      "%(date)s. Written here in plain words.") % {
        "title": source.title, "author": source.author, "publisher": source.publisher,
        "date": tr.date(source.reviewed)}


def _pieces(text: str, fits_alone) -> list[str]:
    """Lines, then sentences, then words: the largest units that fit alone."""
    out: list[str] = []
    for line in text.split("\n"):
        if fits_alone(line):
            out.append(line)
            continue
        for sentence in SENTENCE_END.split(line):
            if fits_alone(sentence):
                out.append(sentence)
                continue
            out.extend(_cut(sentence, fits_alone))
    return out


def _cut(sentence: str, fits_alone) -> list[str]:
    """Between words; between characters for scripts without spaces or a word too long to fit."""
    units, joiner = (sentence.split(" "), " ") if " " in sentence else (list(sentence), "")
    out: list[str] = []
    current: list[str] = []
    for unit in units:
        if joiner and not fits_alone(unit):
            if current:
                out.append(joiner.join(current))
                current = []
            out.extend(_cut(unit, fits_alone))
            continue
        if current and not fits_alone(joiner.join([*current, unit])):
            out.append(joiner.join(current))
            current = []
        current.append(unit)
    if current:
        out.append(joiner.join(current))
    return out
