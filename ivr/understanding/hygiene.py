"""Words that must not be commands or keywords because people use them every day.

Used by `ivr check`. A word is "everyday" in a language when it is among the
most frequent words of that language (the `wordfreq` lists, where they cover
it), appears in that language's catalog text, or is listed in its safety
file's `everyday` list. All comparisons are made after `fold`.
"""
from __future__ import annotations

from functools import lru_cache

from ivr.understanding.fold import fold

WORDFREQ_CODES = {"en": "en", "es": "es", "zh_Hans": "zh", "vi": "vi", "ar": "ar", "ru": "ru", "ko": "ko",
                  "fr": "fr", "pt_BR": "pt", "fil": "fil"}  # no lists for Haitian Creole or Nepali
TOP_WORDS = 5000  # an opt-out word must not be among a language's 5,000 most frequent words
TOP_WORDS_FOR_KEYWORDS = 500  # a keyword must not be among another language's 500 (its function words)
# Question words that say nothing about a topic: never keywords.
GENERIC_QUESTIONS = ("what is", "what is it", "what", "how", "why is", "ما هو", "ما هي", "무엇인가요", "뭐예요",
                     "के हो", "que es", "c est quoi", "o que e", "ano ang", "la gi", "что такое", "什么是")


@lru_cache(maxsize=None)
def frequent_words(locale: str, top: int = TOP_WORDS) -> frozenset[str]:
    """The language's most frequent words, folded (empty where wordfreq has no list)."""
    code = WORDFREQ_CODES.get(locale)
    if code is None:
        return frozenset()
    from wordfreq import top_n_list

    return frozenset(fold(word) for word in top_n_list(code, top))


def everyday_in(word: str, vocabularies: dict[str, frozenset[str]]) -> list[str]:
    """The locales in which `word` (or phrase) is an everyday word."""
    key = fold(word)
    return sorted(locale for locale, words in vocabularies.items() if key in words)


def check_words(translations, content, safety_lists, translations_dir) -> list[str]:
    """Opt-out words and keywords that are everyday words; generic or hidden keywords.

    Each problem names the PO file and line, the entry and the word it collides with.
    """
    from babel.messages.pofile import read_po

    from ivr.understanding.commands import START_WORDS, STOP_WORDS, Command, command_words
    from ivr.i18n import SOURCE_LOCALE, content_context, po_path
    from ivr.content.normalize import is_unspaced
    from ivr.understanding.fold import squeeze

    everyday = {item.locale: frozenset(fold(word) for word in item.lists["everyday"]) for item in safety_lists}
    vocabularies = {tr.locale: frequent_words(tr.locale) | everyday.get(tr.locale, frozenset())
                    for tr in translations}
    function_words = {tr.locale: frequent_words(tr.locale, TOP_WORDS_FOR_KEYWORDS) | everyday.get(tr.locale, frozenset())
                      for tr in translations}
    twilio = {fold(word) for word in (*STOP_WORDS, *START_WORDS)}
    problems: list[str] = []
    tables: dict[str, dict[str, str]] = {}
    for tr in translations:
        tables[tr.locale] = {fold(word): node.id for node in content.nodes.values() for word in tr.keywords(node)}
    for tr in translations:
        path = po_path(tr.locale, translations_dir)
        lines: dict[tuple[str | None, str], int] = {}  # (context, English) -> line: commands share a context
        if tr.locale != SOURCE_LOCALE and path.exists():
            with path.open("rb") as handle:
                lines = {(message.context, str(message.id)): message.lineno or 0 for message in read_po(handle)
                         if message.id}

        def where(context: str, english: str = "") -> str:
            if tr.locale == SOURCE_LOCALE:
                return "content/menu.yaml"
            line = next((number for (ctx, msgid), number in lines.items() if ctx == context
                         and msgid.startswith(english)), 0)
            return f"{path.relative_to(translations_dir.parent)}:{line}"

        words = command_words(tr)
        for command in (Command.STOP, Command.START):
            for word in words[command]:
                if fold(word) in twilio:
                    continue
                found = everyday_in(word, vocabularies)
                if found:
                    effect = "unsubscribed" if command is Command.STOP else "subscribed again"
                    problems.append(f"{where('command', command.name + ',')}: [{tr.locale}] {command.name} word {word!r} is an everyday "
                                    f"word in {', '.join(found)}: a patient saying it would be {effect}")
        for node in content.nodes.values():
            context = content_context(node.id, "keywords")
            for word in tr.keywords(node):
                key = fold(word)
                if key in {fold(question) for question in GENERIC_QUESTIONS}:
                    problems.append(f"{where(context)}: [{tr.locale}] keyword {word!r} of {node.id} is a generic "
                                    f"question word: it says nothing about the topic")
                    continue
                clashes = [locale for locale in everyday_in(word, {locale: vocab for locale, vocab in function_words.items()
                                                                 if locale != tr.locale})
                           if tables.get(locale, {}).get(key) != node.id]
                if clashes and len(key) <= 12:
                    problems.append(f"{where(context)}: [{tr.locale}] keyword {word!r} of {node.id} is an everyday "
                                    f"word in {', '.join(clashes)}")
                if is_unspaced(key) and len(squeeze(key)) == 1:
                    inside = sorted({other for other, target in tables[tr.locale].items()
                                     if target != node.id and squeeze(key) in squeeze(other)})
                    if inside:
                        problems.append(f"{where(context)}: [{tr.locale}] one-character keyword {word!r} of {node.id} "
                                        f"is inside keywords of other topics: {', '.join(inside[:3])}")
    return problems
