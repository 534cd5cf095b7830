"""Understanding what a texter (or a caller's speech) asked for.

Order of precedence, so that behaviour is predictable:
1. the whole message is a command word (any language; never switches language);
2. the whole message is a number (answers the last menu shown);
3. the whole message is a language name ("Español", "Spanish");
4. topic keywords found anywhere in the message, in any language: exact
   words first, then small typos; the current language wins a tie, and a
   topic found only through another language's words switches to it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from ivr.understanding.commands import EXACT_ONLY, START_WORDS, STOP_WORDS, Command, command_words
from ivr.content import Content
from ivr.i18n import SOURCE_LOCALE, Translations, english_name
from ivr.content.normalize import is_unspaced
from ivr.understanding.fold import fold as normalize  # one spelling for keywords and messages
from ivr.understanding.langid import LanguageGuesser
from ivr.understanding.phrases import typo_min_letters
from ivr.understanding.retrieval import PageIndex
from ivr.understanding.weights import Weights

EXACT_WEIGHT = 1.0
FUZZY_WEIGHT = 0.8
MAX_WORDS = 40  # longer messages are read only up to here
PAGE_WEIGHT = 0.5  # how much a page's own words count beside its keywords
PAGE_ONLY_MIN = 2.5  # without any keyword, the page's words must say this much (two telling words)
PARENT_SHARE = 0.5  # how much naming a topic's menu adds to the topic
TIE_MARGIN = 0.02  # topics scoring within 2% of the best (a true tie) are offered as a choice ...
EITHER_MARGIN = 0.2  # ... within 20% when the message asks "this or that"
# Only words that mean nothing else in the other languages (not Spanish "o", Portuguese article "o",
# Creole "ou" = you, Spanish "ya" = already).
OR_WORDS = frozenset({"or", "hay", "hoac", "oswa", "или", "ili", "او", "walla", "वा", "athawa", "或", "还是", "或者",
                      "아니면", "또는"})
WHOLE_MESSAGE = "="  # a keyword written "=word" counts only when it is the whole message


@dataclass(frozen=True)
class CommandMatch:
    command: Command
    lang: str  # the language whose word it was
    twilio: bool = False  # one of Twilio's own opt-out/opt-in keywords: Twilio has answered it already


@dataclass(frozen=True)
class TopicMatch:
    nodes: tuple[str, ...]  # one node, or several equally good ones
    lang: str  # the language the conversation should continue in


@dataclass(frozen=True)
class Found:
    """A keyword found in a message: where (word spans, or character spans in unspaced text) and for what."""
    lang: str
    node: str
    spans: tuple[tuple[int, int], ...]
    weight: float
    unspaced: bool = False


def _occurrences(key: str, text: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], text.find(key)
    while start >= 0:
        spans.append((start, start + len(key)))
        start = text.find(key, start + 1)
    return tuple(spans)


def _outermost(found: list[Found], parents: dict[str, str]) -> list[Found]:
    """Drop a keyword found only inside a longer, no weaker keyword of the same language for another
    topic: "ty le song" (survival rate) is not also "ty le" (how common). A menu's word inside its
    topic's ("scan" in "ct scan") stays: naming the menu adds to the topic."""
    above = {match.node: ancestors(parents, match.node) for match in found}

    def hides(other: Found, match: Found, span: tuple[int, int]) -> bool:
        return (other.lang == match.lang and other.node != match.node and other.unspaced == match.unspaced
                and other.weight >= match.weight and match.node not in above[other.node]
                and any(start <= span[0] and span[1] <= end and end - start > span[1] - span[0]
                        for start, end in other.spans))

    return [match for match in found
            if not all(any(hides(other, match, span) for other in found) for span in match.spans)]


def ancestors(parents: dict[str, str], node_id: str) -> set[str]:
    """The menus above a node, up to the main menu."""
    found = set()
    while node_id in parents:
        node_id = parents[node_id]
        found.add(node_id)
    return found


NO_TYPOS_INTO = ("outlook",)  # a typo alone never opens the survival or cure pages


COMMON_ON_PAGES = 0.2  # a word on more than a fifth of the pages weighs less, down to ...
MIN_PAGE_FACTOR = 0.35  # ... about a third of its weight when it is on nearly every page


def page_share(content: Content, tr) -> dict[str, float]:
    """{word: weight factor} for words found on many pages of this language's content."""
    pages = [set(normalize(f"{tr.title(node)} {tr.body(node)}").split()) for node in content.nodes.values()]
    counts: dict[str, int] = defaultdict(int)
    for words in pages:
        for word in words:
            counts[word] += 1
    factors = {}
    for word, count in counts.items():
        share = count / len(pages)
        if share > COMMON_ON_PAGES:
            factors[word] = max(MIN_PAGE_FACTOR, 1 - (share - COMMON_ON_PAGES) * 1.5)
    return factors


def typo_budget(word: str) -> int:
    """How many edits still count as the same word: none for short words."""
    least = typo_min_letters(word)
    if len(word) >= least + 3:
        return 2
    return 1 if len(word) >= least else 0


class KeywordIndex:
    """Keyword, command and language-name tables for all enabled locales."""

    def __init__(self, content: Content, translations: Translations, weights: Weights | None = None,
                 everyday: dict[str, list[str]] | None = None, spoken: dict[str, list[str]] | None = None) -> None:
        """`everyday`: each language's everyday words (the safety files' lists), never a page's telling words.

        `spoken`: more of each language as people write it (the safety files' phrases), for telling
        languages apart: romanised Nepali or Creole have no word-frequency list to lean on.
        """
        everyday = {locale: [word for phrase in phrases for word in normalize(phrase).split()]
                    for locale, phrases in (everyday or {}).items()}
        self.content = content
        self.weights = weights or Weights.load(translations.directory)
        self.commands: dict[str, CommandMatch] = {}
        self.languages: dict[str, str] = {}
        self.topics: dict[str, dict[str, str]] = {}  # lang -> keyword -> node id
        self.collisions: list[str] = []
        self.whole: dict[tuple[str, str], str] = {}  # (lang, whole message) -> node id
        for tr in translations:
            for command, words in command_words(tr).items():
                for word in words:
                    key = normalize(word)
                    if key and key not in self.commands:
                        twilio = word.upper() in (STOP_WORDS if command is Command.STOP else START_WORDS) \
                            if command in EXACT_ONLY else False
                        self.commands[key] = CommandMatch(command, tr.locale, twilio)
                    elif key and self.commands[key].command is not command:
                        self.collisions.append(f"{tr.locale}: command word '{word}' already means "
                                               f"{self.commands[key].command.name} ({self.commands[key].lang})")
            # Names, never bare codes: "ko" is Tagalog for "my", "es" Spanish for "is".
            for name in (tr.name, english_name(tr.locale)):
                self.languages.setdefault(normalize(name), tr.locale)
        for tr in translations:
            table: dict[str, str] = {}
            for node in content.nodes.values():
                for word in tr.keywords(node):
                    if word.startswith(WHOLE_MESSAGE):  # "=간": only as the whole message (it sits inside 시간)
                        self.whole[(tr.locale, normalize(word[1:]))] = node.id
                        continue
                    key = normalize(word)
                    if not key:
                        continue
                    if key in table and table[key] != node.id:
                        self.collisions.append(
                            f"{tr.locale}: '{word}' leads to both '{table[key]}' and '{node.id}'")
                    table.setdefault(key, node.id)
                    if key in self.commands:
                        self.collisions.append(f"{tr.locale}: topic keyword '{word}' of '{node.id}' is a command word")
            self.topics[tr.locale] = table
        self._phrases: dict[str, list[tuple[str, str]]] = defaultdict(list)  # keyword -> [(lang, node)]
        self._unspaced: list[tuple[str, str, str]] = []
        for lang, table in self.topics.items():
            for key, node_id in table.items():
                if is_unspaced(key):
                    self._unspaced.append((key, lang, node_id))
                else:
                    self._phrases[key].append((lang, node_id))
        self._longest = max((key.count(" ") + 1 for key in self._phrases), default=1)
        # Typos are forgiven in the conversation's own language only: a near-miss
        # must never switch a patient to another language.
        guarded = {node.id for node in content.nodes.values()
                   if any(node.id == root or node.id.startswith(root + ".") for root in NO_TYPOS_INTO)}
        self._single_keys = {lang: sorted(key for key, node_id in table.items()
                                          if " " not in key and not is_unspaced(key) and node_id not in guarded)
                             for lang, table in self.topics.items()}
        self.guesser = LanguageGuesser({tr.locale: [text for node in content.nodes.values()
                                                    for text in (tr.title(node), tr.body(node), *tr.keywords(node))]
                                        + self.weights.frequent.get(tr.locale, [])
                                        + (self.weights.english if tr.locale == SOURCE_LOCALE else [])
                                        + [phrase.replace("*", " ") for phrase in (spoken or {}).get(tr.locale, [])]
                                        for tr in translations})
        self.pages = {tr.locale: PageIndex(tr.locale, {
            node.id: " ".join((tr.title(node), tr.body(node), *tr.keywords(node)))
            for node in content.nodes.values() if not node.is_menu},
            [*self.weights.common.get(tr.locale, ()), *everyday.get(tr.locale, ())])
            for tr in translations}
        # A word found on most pages ("breast cancer", "metastatic") says little about which page.
        spread = {tr.locale: page_share(content, tr) for tr in translations}
        self.vocabulary = frozenset(word for words in (set(normalize(f"{tr.title(node)} {tr.body(node)}").split())
                                                       for tr in translations for node in content.nodes.values())
                                    for word in words) | frozenset(
            word for common in self.weights.common.values() for word in common)
        self._weight = {(lang, key): self.weights.of(lang, key) * min(
            (spread[lang].get(word, 1.0) for word in key.split()), default=1.0)
            for lang, table in self.topics.items() for key in table}
        self._walk_order = {node.id: index for index, node in enumerate(content.walk())}
        self._fuzzy_commands: dict[str, list[str]] = defaultdict(list)
        for key, match in self.commands.items():
            if match.command not in EXACT_ONLY and " " not in key:
                self._fuzzy_commands[match.lang].append(key)

    # -- whole-message lookups (all take text already passed through normalize) --
    def command(self, key: str, current_lang: str = "", typos: bool = True) -> CommandMatch | None:
        """A command word of any language; a typo only of the conversation's language or English."""
        if key in self.commands:
            return self.commands[key]
        if not typos or " " in key or not key:
            return None
        budget = typo_budget(key)
        if budget == 0:
            return None
        candidates = self._fuzzy_commands.get(current_lang, []) + self._fuzzy_commands.get(SOURCE_LOCALE, [])
        found = extract(key, candidates, scorer=OSA.distance, score_cutoff=budget, limit=1)
        return self.commands[found[0][0]] if found else None

    def language(self, key: str) -> str | None:
        return self.languages.get(key)

    @staticmethod
    def number(key: str) -> int | None:
        return int(key) if key.isdigit() and len(key) <= 2 else None

    # -- topics ------------------------------------------------------------
    def topic(self, normalized: str, current_lang: str, typos: bool = True, switch: bool = True,
              prefer: str = "") -> TopicMatch | None:
        """The best topic(s) in a keyword or a short sentence, or None.

        `switch=False` (a language was chosen): only the conversation's own words
        and the English (international medical) words count, and the language
        stays. `prefer`: the language the message was identified as.
        """
        allowed = None if switch else {current_lang, SOURCE_LOCALE}
        own_lang = prefer or current_lang
        for lang in (own_lang, current_lang, *(sorted({lang for lang, _ in self.whole}) if switch else ())):
            node_id = self.whole.get((lang, normalized))
            if node_id is not None:
                return TopicMatch((node_id,), lang if switch else current_lang)
        words = normalized.split(" ")[:MAX_WORDS]
        scores: dict[tuple[str, str], float] = defaultdict(float)  # (lang, node) -> score
        covered: set[str] = set()
        found: list[Found] = []
        for size in range(1, self._longest + 1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start:start + size])
                entries = self._phrases.get(phrase, ())
                if allowed is not None:
                    entries = [entry for entry in entries if entry[0] in allowed]
                own = [entry for entry in entries if entry[0] == own_lang]
                for lang, node_id in own or entries:
                    found.append(Found(lang, node_id, ((start, start + size),),
                                       self._weight.get((lang, phrase), EXACT_WEIGHT)))
                    covered.update(words[start:start + size])
        if self._unspaced and is_unspaced(normalized):
            for key, lang, node_id in self._unspaced:
                if key in normalized and (allowed is None or lang in allowed):
                    # A longer word is more specific: 骨转移 (bone metastasis) over 转移 (spread).
                    found.append(Found(lang, node_id, _occurrences(key, normalized),
                                       EXACT_WEIGHT + 0.25 * max(0, len(key.replace(" ", "")) - 2), unspaced=True))
        for match in _outermost(found, self.content.parents):
            scores[(match.lang, match.node)] += match.weight
        if any(lang == own_lang for lang, _ in scores):
            # Words of the conversation's own language decide; another language's
            # words only count (and switch the language) when none of its own match.
            scores = defaultdict(float, {key: value for key, value in scores.items() if key[0] == own_lang})
        for word in words if typos else ():
            budget = typo_budget(word)
            if word in covered or budget == 0:
                continue
            keys = self._single_keys.get(own_lang, [])
            for key, distance, _ in extract(word, keys, scorer=OSA.distance, score_cutoff=budget, limit=None):
                if distance <= min(budget, typo_budget(key)):
                    scores[(own_lang, self.topics[own_lang][key])] += FUZZY_WEIGHT * self._weight.get(
                        (own_lang, key), EXACT_WEIGHT)
        # The pages' own words: they add to keyword matches in the message's language, and
        # find a topic when no keyword did (a sentence like "my skin is itchy and yellow").
        whole = any(normalized in self.topics.get(lang, {}) for lang in {own_lang, current_lang, SOURCE_LOCALE})
        by_keyword = {node_id for _, node_id in scores}
        pages = self.pages.get(own_lang)
        if pages is not None and (allowed is None or own_lang in allowed) and not whole:
            on_pages = pages.scores(" ".join(words))
            keyed = any(lang == own_lang for lang, _ in scores)
            for node_id, score in on_pages.items():
                if keyed or score >= PAGE_ONLY_MIN:
                    scores[(own_lang, node_id)] += PAGE_WEIGHT * score
        if not scores:
            return None
        # A topic found by a keyword whose menu the message also names gains part of the menu's weight:
        # "the goal of treatment if it can't be cured" is about Treatment's goals, not the cure page.
        for (lang, node_id), score in list(scores.items()):
            parent = self.content.parents.get(node_id)
            if parent is not None and (lang, parent) in scores and node_id in by_keyword:
                scores[(lang, node_id)] = score + PARENT_SHARE * scores[(lang, parent)]
        either = bool(OR_WORDS.intersection(words)) or any(word in normalized for word in ("还是", "或者", "아니면"))
        best = self._best(scores, own_lang, whole=whole, either=either, by_keyword=by_keyword)
        return best if switch else TopicMatch(best.nodes, current_lang)

    def _best(self, scores: dict[tuple[str, str], float], current_lang: str, whole: bool = False,
              either: bool = False, by_keyword: set[str] | None = None) -> TopicMatch:
        by_node: dict[str, float] = defaultdict(float)
        for (_, node_id), score in scores.items():
            by_node[node_id] = max(by_node[node_id], score)
        top = max(by_node.values())
        # A near tie ("my lungs or my liver") is a real question: offer both. A clearly
        # stronger word ("chemo side effects") decides alone.
        margin = EITHER_MARGIN if either else TIE_MARGIN
        winners = [node_id for node_id, score in by_node.items() if score >= top * (1 - margin) - 1e-9]
        found = self._drop_ancestors(winners)
        # One word naming a menu ("OUTLOOK") shows the menu; a sentence gets a topic.
        winners = list(dict.fromkeys(found if whole else (self._leaf_for(node_id, by_node, by_keyword)
                                                          for node_id in found)))
        winners.sort(key=lambda node_id: self._walk_order.get(node_id, 0))
        langs: dict[str, float] = defaultdict(float)
        for (lang, node_id), score in scores.items():
            if node_id in found or node_id in winners:
                langs[lang] += score
        if not langs:
            lang = current_lang
        elif current_lang in langs and langs[current_lang] >= max(langs.values()) - 1e-9:
            lang = current_lang
        else:
            lang = max(langs, key=lambda candidate: (langs[candidate], candidate == current_lang))
        return TopicMatch(nodes=tuple(winners[:3]), lang=lang)

    def _leaf_for(self, node_id: str, by_node: dict[str, float], by_keyword: set[str] | None = None) -> str:
        """A sentence that finds a menu is answered by a topic: the one the menu names, or the
        one of its topics that a keyword also found ("what tests are there?" stays the menu,
        though a test's page mentions tests)."""
        node = self.content.nodes.get(node_id)
        if node is None or not node.is_menu:
            return node_id
        if node.questions_go_to:
            return node.questions_go_to
        children = [(by_node[child], child) for child in node.children if by_node.get(child, 0) > 0
                    and (by_keyword is None or child in by_keyword)]
        if len(children) == 1 and children[0][0] >= by_node[node_id] * 0.5:
            return children[0][1]
        return node_id

    def _drop_ancestors(self, node_ids: list[str]) -> list[str]:
        """'bone symptoms' matches both SYMPTOMS and BONE: keep the more specific."""
        dropped = set().union(*(ancestors(self.content.parents, node_id) for node_id in node_ids))
        return [node_id for node_id in node_ids if node_id not in dropped]
