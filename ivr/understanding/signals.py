"""Crisis signals: words that mean a crisis together, in wordings no phrase list holds.

The crisis lists catch the wordings people were heard to use; measured on phrase
sets written blind, they miss about one crisis text in six, each a new wording
("ya tengo las pastillas contadas, hoy es la noche"). Signals catch the
combination instead: a message holding words of two groups the line pairs
(a means of self-harm and an intent, one's own death and feeling a burden, one's
things given away and "I won't need them soon") is
read as a crisis, wherever the words sit in the message. Both words must come
from one language's groups, and neither may sit inside a guard ("dying to
know"). The groups are content: content/safety/<locale>.yaml, `signals`.

Emergencies pair the same way: a sudden onset and a loss of function (a stroke's
signs: "de repente no puede mover el brazo"), a drug being given and swelling (an
allergic reaction: "during the infusion her lips swelled").
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ivr.understanding.phrases import Phrase, PhraseIndex, compile_phrase, overlaps, span

CRISIS_GROUPS = ("self_harm", "intent", "means", "burden", "hopeless", "farewell", "finality")
EMERGENCY_GROUPS = ("sudden", "deficit", "infusion", "swelling")
GROUPS = CRISIS_GROUPS + EMERGENCY_GROUPS
# Which two groups make a crisis. Intent alone, hopelessness alone or a means alone
# are everyday words ("I want to stop chemo", "no point", "a rope"); together they are not.
CRISIS_PAIRS = frozenset({
    frozenset({"self_harm", "intent"}),
    frozenset({"self_harm", "burden"}),
    frozenset({"self_harm", "hopeless"}),
    frozenset({"self_harm", "means"}),
    frozenset({"means", "intent"}),
    frozenset({"burden", "hopeless"}),
    # Putting one's affairs in order (things given away, goodbye letters, the funeral paid)
    # is a warning sign a counsellor asks about, but also what a calm patient does; with
    # "I won't need them soon", no hope, a burden or a means at hand it is a crisis.
    frozenset({"farewell", "finality"}),
    frozenset({"farewell", "hopeless"}),
    frozenset({"farewell", "burden"}),
    frozenset({"farewell", "means"}),
})
# And an emergency: "suddenly" alone, or swelling after surgery, are calm questions.
EMERGENCY_PAIRS = frozenset({
    frozenset({"sudden", "deficit"}),
    frozenset({"infusion", "swelling"}),
})
PAIRS = CRISIS_PAIRS | EMERGENCY_PAIRS
KIND = "signal"


class Signals:
    """Every language's signal groups, found in one pass over a message."""

    def __init__(self, groups: Mapping[str, Mapping[str, Iterable[str]]], known: frozenset[str] = frozenset(),
                 common: frozenset[str] = frozenset()) -> None:
        """`groups`: locale -> group -> entries (phrase syntax: `*` gaps, `word*` starts)."""
        phrases = [compile_phrase(text, locale, f"{KIND}:{group}")
                   for locale, by_group in groups.items() for group, entries in by_group.items() for text in entries]
        phrases = [phrase for phrase in phrases if phrase.words]
        self.index = PhraseIndex(phrases, known | {word for phrase in phrases for word in phrase.words}, common,
                                 second_pass=False)

    def __bool__(self) -> bool:
        return bool(self.index.phrases)

    def find(self, folded: str, outside: Callable[[int, int], bool],
             pairs_of: frozenset[frozenset[str]] = PAIRS) -> list[tuple[Phrase, Phrase]]:
        """Pairs of signals (one language, two paired groups of `pairs_of`, on different words) found
        where `outside(start, end)` holds: one pair per language and pair of groups."""
        by_lang: dict[str, dict[str, list[tuple[Phrase, int, int]]]] = {}
        for phrase, start, end in self.index.find(folded):
            if outside(start, end):
                by_lang.setdefault(phrase.lang, {}).setdefault(group_of(phrase), []).append((phrase, start, end))
        pairs = []
        for found in by_lang.values():
            for pair in sorted(pairs_of, key=sorted):
                one, other = sorted(pair)
                pairs += [(a[0], b[0]) for a in found.get(one, ()) for b in found.get(other, ())
                          if not overlaps(span(*a[1:]), span(*b[1:]))][:1]
        return pairs


def group_of(phrase: Phrase) -> str:
    return phrase.kind.split(":", 1)[1]


def is_emergency(one: Phrase, other: Phrase) -> bool:
    """Whether a pair found by `Signals.find` means an emergency (else a crisis)."""
    return frozenset({group_of(one), group_of(other)}) in EMERGENCY_PAIRS
