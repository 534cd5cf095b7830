"""The conversation engine: pure, channel-free, storage-free.

`Engine.step(state, input)` returns the next state and the screens to show.
It never does I/O: channels turn requests into inputs and screens into
TwiML; the host loads and saves the state. A waiting conversation stores
only where it is (node, page, language, menu), never rendered text, so a
content fix reaches people already mid-conversation.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Callable, Union

from ivr.engine.channels import Calling, Channel, Texting
from ivr.understanding.commands import Command
from ivr.content import ROOT_ID, Content
from ivr.i18n import Translations
from ivr.understanding.matching import CommandMatch, KeywordIndex
from ivr.understanding.fold import fold as normalize
from ivr.understanding.numbers import spoken_number
from ivr.understanding.safety import Safety, SafetyCheck

log = logging.getLogger(__name__)

LANGUAGES_MENU = "@lang"
CHOICES_MENU = "@choices"
TRANSFER_TARGET = "@transfer"
MORE_LANGUAGES = "@more_languages"
TEXT_ME_KEY = 8
MORE_LANGUAGES_KEY = 8
BACK_DEPTH = 5
MAX_SILENCE = 3
MISSES_BEFORE_CALL_US = 2
QUIET_AFTER_MISSES = 4  # texts: after this many misses in a row, no reply until one is understood

Pager = Callable[[str, str], list[str]]


def single_page(text: str, lang: str) -> list[str]:
    return [text]


# -- inputs -------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """A text message, or what a caller said."""

    body: str


@dataclass(frozen=True)
class Media:
    """A message with only a picture or other attachment."""


@dataclass(frozen=True)
class Key:
    """A phone key pressed: '1'-'9', '0', '*', '#'."""

    key: str


@dataclass(frozen=True)
class Silence:
    """A caller said and pressed nothing before the timeout."""


@dataclass(frozen=True)
class CallStarted:
    """A new call reached the line."""


@dataclass(frozen=True)
class OptOutRecorded:
    """Twilio's Advanced Opt-Out already answered STOP/START/HELP."""

    kind: str


Input = Union[Text, Media, Key, Silence, CallStarted, OptOutRecorded]


# -- state and output -----------------------------------------------------------
@dataclass(frozen=True)
class State:
    """Where one phone is. `lang` is empty until the first contact."""

    lang: str = ""
    opted_out: bool = False
    node: str = ""  # the screen last shown ("" = none yet)
    page: int = 0
    menu: str = ""  # what a number answers: a node id, LANGUAGES_MENU or CHOICES_MENU
    choices: tuple[str, ...] = ()  # the topics offered when menu is CHOICES_MENU
    back: tuple[str, ...] = ()  # menus shown before `menu`, newest last
    silence: int = 0  # voice: timeouts in a row
    misses: int = 0  # messages not understood in a row (after two, the organisation's phone is offered)
    texted: tuple[str, ...] = ()  # voice: topics already sent by text in this call (8 is no longer offered)
    texts_off: bool = False  # voice: this call can get no more texts (the day's limit, or a number that cannot)
    chosen: bool = False  # the language was chosen (LANG, its name, or a clear sentence in it): it is kept


class Kind(str, Enum):
    MENU = "menu"
    CONTENT = "content"
    END_OF_TOPIC = "end_of_topic"
    LANGUAGES = "languages"
    LANGUAGE_SET = "language_set"
    CHOICES = "choices"
    INVALID_CHOICE = "invalid_choice"
    NOT_UNDERSTOOD = "not_understood"
    EMPTY = "empty"
    HELP = "help"
    SOURCE = "source"
    NOTICE = "notice"
    OPTED_IN = "opted_in"
    KEYS = "keys"  # voice: how the keys work
    WELCOME = "welcome"  # voice: a new caller hears the line's name first
    WELCOME_BACK = "welcome_back"
    REPROMPT = "reprompt"
    GOODBYE = "goodbye"
    TEXT_ME = "text_me"  # `outcome`: what the host did with the request; `pages`: how many texts
    LEAF_OPTIONS = "leaf_options"  # voice: what a caller can do after hearing a topic
    TRANSFER = "transfer"
    CRISIS = "crisis"  # safety: the crisis line, the emergency number and the organisation's phone
    EMERGENCY = "emergency"  # safety: one line, call the emergency number now
    PERSON = "person"  # how to reach a person
    CALL_US = "call_us"  # after repeated "not understood": the organisation's phone
    OPTED_OUT = "opted_out"  # confirmation of an opt-out in the patient's language
    OPT_OUT_UNSAVED = "opt_out_unsaved"  # the host could not record an opt-out


SAFETY_FIRST = (Kind.CRISIS, Kind.EMERGENCY, Kind.PERSON, Kind.TRANSFER)  # screens the notice never precedes


class TextOutcome(str, Enum):
    """What became of "press 8 to get this by text" (the host decides; the caller hears one sentence
    for every refusal: caller ID can be spoofed, so it must not learn why)."""

    SENT = "sent"
    OFF = "off"
    OPTED_OUT = "opted_out"
    CANNOT_RECEIVE = "cannot_receive"
    UNVERIFIED = "unverified"  # caller ID not attested: it may not be the caller's phone
    COUNTRY = "country"
    LIMIT = "limit"
    LINE_LIMIT = "line_limit"
    ALREADY_SENT = "already_sent"
    FAILED = "failed"

    @property
    def ends_texting_for_the_call(self) -> bool:
        """A refusal that holds for every topic of this call: 8 is offered no more."""
        return self not in (TextOutcome.SENT, TextOutcome.ALREADY_SENT, TextOutcome.FAILED)


@dataclass(frozen=True)
class Option:
    number: int
    label: str
    lang: str
    target: str = ""  # node id or locale the option leads to
    locales: tuple[str, ...] = ()  # "more languages": the languages of the next page, each invited in its own


@dataclass(frozen=True)
class Screen:
    kind: Kind
    lang: str
    node: str = ""
    title: str = ""
    text: str = ""
    options: tuple[Option, ...] = ()
    page: int = 0
    pages: int = 1
    outcome: TextOutcome | None = None  # TEXT_ME: what the host did with the request


@dataclass(frozen=True)
class Turn:
    state: State
    screens: tuple[Screen, ...] = ()
    hangup: bool = False
    events: tuple[str, ...] = field(default=())  # for the host's logs: what happened, no content
    text_request: str = ""  # voice: node id the caller asked to get by SMS (the host sends it)
    transfer: bool = False  # voice: connect the caller to a person


class Engine:
    """Navigation over the content tree, shared by SMS and voice."""

    def __init__(self, content: Content, translations: Translations, index: KeywordIndex | None = None,
                 pager: Pager = single_page, channel: Channel | None = None, locales: list[str] | None = None,
                 safety: SafetyCheck | None = None) -> None:
        self.content = content
        self.safety = safety
        self.translations = translations
        self.index = index or KeywordIndex(content, translations)
        self.pager = pager
        self.channel = channel or Texting()
        self.locales = locales or list(translations.locales)  # what the LANG menu offers
        # A caller starts in the default language if it has a voice, else in the first that does.
        self.default = translations.default if translations.default in self.locales else self.locales[0]
        self._page_cache: dict[tuple[str, str], list[str]] = {}  # content is fixed while the app runs

    def for_voice(self, locales: list[str], transfer: bool, text_me: bool) -> "Engine":
        """The same navigation for calls: no pages, keys, voice-capable locales only."""
        return Engine(self.content, self.translations, self.index, single_page, Calling(transfer, text_me),
                      locales=locales, safety=self.safety)

    # -- entry point ------------------------------------------------------
    def step(self, state: State, event: Input) -> Turn:
        first_contact = not state.lang
        if first_contact:
            state = replace(state, lang=self.default)
        elif state.lang not in self.locales:
            log.warning("stored locale %s is not offered here; using %s", state.lang, self.default)
            state = replace(state, lang=self.default)
            first_contact = self.channel.rechooses_an_unoffered_language  # a language without a voice
        if not isinstance(event, Silence) and state.silence:
            state = replace(state, silence=0)
        turn = self._dispatch(state, event, first_contact)
        if "not_understood" not in turn.events and turn.state.misses and isinstance(event, (Text, Key)):
            turn = replace(turn, state=replace(turn.state, misses=0))
        if first_contact and turn.screens and not turn.state.opted_out and not isinstance(event, CallStarted) \
                and "crisis" not in turn.events:
            notice = Screen(Kind.NOTICE, turn.state.lang)
            # Safety first: the emergency line or a person's number comes before the notice.
            first = 1 if turn.screens[0].kind in SAFETY_FIRST else 0
            turn = replace(turn, screens=(*turn.screens[:first], notice, *turn.screens[first:]))
        if self.channel.prompts_after_every_answer and not turn.screens:  # never dead air
            turn = replace(turn, screens=self._prompt_again(turn.state).screens)
        return turn

    def _dispatch(self, state: State, event: Input, first_contact: bool) -> Turn:
        if isinstance(event, OptOutRecorded):
            return self._opt_out_recorded(state, event.kind)
        if isinstance(event, Text):
            return self._text(state, event.body, first_contact)
        if isinstance(event, Media):
            return Turn(state) if state.opted_out else Turn(state, (Screen(Kind.EMPTY, state.lang),))
        if isinstance(event, CallStarted):
            return self.call_started(state, first_contact)
        if isinstance(event, Key):
            return self.key(state, event.key)
        if isinstance(event, Silence):
            return self.silence(state)
        raise TypeError(f"unsupported input {event!r}")

    # -- texts ------------------------------------------------------------
    def _text(self, state: State, body: str, first_contact: bool) -> Turn:
        if not body.strip():
            return Turn(state) if state.opted_out else Turn(state, (Screen(Kind.EMPTY, state.lang),), events=("empty",))
        found = self.safety.check(body) if self.safety else None
        if found is None:
            return self._understood(state, body, first_contact)
        if first_contact:
            # Answer in the language they wrote in: "ambulance bolaunus" is Nepali, though "ambulance" is English too.
            guess = self.index.guesser.guess(body)
            lang = guess.locale if guess is not None and guess.locale in found.langs else found.lang(self.default)
            state = replace(state, lang=self._offered(lang))
        if found.kind is Safety.CRISIS:
            return self._crisis(state)
        if found.kind is Safety.PERSON:
            return self._person(state)
        # An emergency: the line to call comes first; what they asked may follow.
        rest = self._understood(state, body, first_contact=False)
        screens = tuple(screen for screen in rest.screens if screen.kind not in (Kind.NOT_UNDERSTOOD, Kind.CALL_US))
        if not screens and self.channel.prompts_after_every_answer:
            screens = self._prompt_again(state).screens
        events = tuple(event for event in rest.events if event != "not_understood")
        next_state = rest.state if "not_understood" not in rest.events else replace(state, misses=0)
        return Turn(next_state, (Screen(Kind.EMERGENCY, state.lang), *screens), events=("emergency", *events))

    def _offered(self, locale: str) -> str:
        return locale if locale in self.locales else self.default

    def _crisis(self, state: State) -> Turn:
        """A fixed, kind reply with the numbers; no topic. The conversation keeps its place."""
        screens: tuple[Screen, ...] = (Screen(Kind.CRISIS, state.lang),)
        if self.channel.transfers:
            return Turn(state, (*screens, Screen(Kind.TRANSFER, state.lang)), transfer=True, events=("crisis",))
        if self.channel.prompts_after_every_answer:
            screens += self._prompt_again(state).screens
        return Turn(replace(state, misses=0), screens, events=("crisis",))

    def _person(self, state: State) -> Turn:
        if self.channel.transfers:
            return Turn(state, (Screen(Kind.TRANSFER, state.lang),), transfer=True, events=("person",))
        again = self._prompt_again(state).screens if self.channel.prompts_after_every_answer else ()
        return Turn(replace(state, misses=0), (Screen(Kind.PERSON, state.lang), *again), events=("person",))

    def _understood(self, state: State, body: str, first_contact: bool) -> Turn:
        key = normalize(body)
        command = self.index.command(key, state.lang, typos=False)
        if command is not None:
            return self._command_word(state, command, first_contact)
        if state.opted_out and self.channel.honours_opt_out:
            return Turn(state, events=("ignored_opted_out",))
        number = self.index.number(key)
        if number is None and self.channel.numbers_are_keys:
            number = spoken_number(body, state.lang)  # "two", "dos", "hai"
        if number is not None:
            return self.key(state, str(number)) if self.channel.numbers_are_keys else self.choose(state, number)
        language = self.index.language(key)
        if language is not None:
            return self.set_language(state, language)
        # A chosen language is kept: only LANG, a language's name, or another language's own script
        # (a Spanish conversation sent "骨头痛") changes it, never a Latin word another language shares.
        script = self.index.guesser.by_script(body)
        switch = first_contact or not state.chosen or script not in ("", state.lang)
        guess = self.index.guesser.guess(body) if switch else None
        prefer = guess.locale if guess is not None and guess.locale in self.locales else ""
        clear = prefer != "" and self.index.guesser.margin_ok(guess, len(key.split()))
        # Exact words first: a French "SANG" (blood) is a topic, not a typo of LANG.
        topic = self.index.topic(key, state.lang, typos=False, switch=switch, prefer=prefer)
        if topic is None:
            command = self.index.command(key, state.lang, typos=True)
            if command is not None:
                return self._command_word(state, command, first_contact)
            topic = self.index.topic(key, state.lang, typos=True, switch=switch, prefer=prefer)
        if topic is None:
            if clear:
                state = replace(state, lang=prefer)  # answered in the language they wrote in
            return self._not_understood(state)
        if switch and clear:
            # Clearly written in one language, though found by another's word ("IRM شو هي", the French
            # name of an MRI asked in Arabic; "ya3ni eh metastase?"): answered in the language written.
            topic = replace(topic, lang=prefer)
        if topic.lang != state.lang:
            log.info("language switched by keyword: %s -> %s", state.lang, topic.lang)
            state = replace(state, lang=topic.lang)
        if switch and clear and self.index.guesser.decisive(guess):
            state = replace(state, chosen=True)  # a clear sentence in one language: keep it
        if len(topic.nodes) == 1:
            return self.go(state, topic.nodes[0])
        return self._offer_choices(state, topic.nodes)

    def _not_understood(self, state: State) -> Turn:
        misses = state.misses + 1
        if misses > QUIET_AFTER_MISSES and self.channel.goes_quiet_after_misses:
            # An auto-responder, or someone we cannot help by text: stop paying for replies.
            # Safety phrases are read before this, so a crisis is still answered.
            return Turn(replace(state, misses=misses), events=("not_understood", "quiet"))
        screens: tuple[Screen, ...] = (Screen(Kind.NOT_UNDERSTOOD, state.lang),)
        if misses >= MISSES_BEFORE_CALL_US:
            screens += (Screen(Kind.CALL_US, state.lang),)
        if self.channel.prompts_after_every_answer:
            screens += self._prompt_again(state).screens
        return Turn(replace(state, misses=misses), screens, events=("not_understood",))

    def _command_word(self, state: State, match: CommandMatch, first_contact: bool) -> Turn:
        if first_contact and match.command not in (Command.STOP, Command.START):
            state = replace(state, lang=match.lang)  # "HOLA" as a first word picks Spanish
        if match.command is Command.STOP and self.channel.honours_opt_out:
            # Twilio answers its own keywords itself; a language's own word gets our confirmation.
            screens = () if match.twilio else (Screen(Kind.OPTED_OUT, self._offered(match.lang) if first_contact
                                                      else state.lang),)
            return Turn(replace(state, opted_out=True), screens, events=("opt_out",))
        if match.command is Command.START and self.channel.honours_opt_out:
            if not state.opted_out:
                return self.main_menu(state)  # "YES" from a subscribed phone is just a reply
            opted_in = replace(state, opted_out=False)
            menu = self.main_menu(opted_in)
            confirmation = () if match.twilio else (Screen(Kind.OPTED_IN, state.lang),)
            return Turn(menu.state, (*confirmation, *menu.screens), events=("opt_in",))
        return self.command(state, match.command)

    def command(self, state: State, command: Command) -> Turn:
        if self.channel.numbers_are_keys:
            return self._keypad_command(state, command)
        if command is Command.REPEAT:
            return self.repeat(state)
        if command is Command.TEXT_ME:
            return self._not_understood(state)
        if command is Command.HELP:
            return Turn(state, (Screen(Kind.HELP, state.lang),))
        if state.opted_out:
            return Turn(state, events=("ignored_opted_out",))
        if command in self.NAVIGATION:
            return self.NAVIGATION[command](self, state)
        if command is Command.MORE:
            return self.more(state)
        if command is Command.SOURCE:
            return Turn(state, (Screen(Kind.SOURCE, state.lang),))
        return Turn(state, (Screen(Kind.NOTICE, state.lang),))

    # -- navigation -----------------------------------------------------------
    def main_menu(self, state: State) -> Turn:
        return self._show_menu(replace(state, back=(), menu=""), ROOT_ID, push=False)

    def go(self, state: State, node_id: str) -> Turn:
        node = self.content.get(node_id)
        if node is None:
            log.warning("unknown node %s in state; showing the main menu", node_id)
            return self.main_menu(state)
        if node.is_menu:
            return self._show_menu(state, node_id)
        parent = self.content.parent_of(node_id)
        if parent is not None and parent.id != state.menu:
            # Reached by keyword: BACK and numbers now answer the topic's own menu.
            state = replace(state, menu=parent.id, back=self._pushed(state), choices=())
        return self._show_page(replace(state, node=node_id, page=0))

    def choose(self, state: State, number: int) -> Turn:
        if state.menu == LANGUAGES_MENU:
            pages = self._language_pages()
            locales = pages[state.page % len(pages)]
            if len(pages) > 1 and number == MORE_LANGUAGES_KEY:
                return self.languages(state, push=False, page=state.page + 1)
            if 1 <= number <= len(locales):
                return self.set_language(state, locales[number - 1])
            return self._invalid(state, number)
        if state.menu == CHOICES_MENU:
            if 1 <= number <= len(state.choices):
                return self.go(replace(state, menu=state.back[-1] if state.back else ROOT_ID,
                                       back=state.back[:-1], choices=()), state.choices[number - 1])
            return self._invalid(state, number)
        menu = self.content.get(state.menu or ROOT_ID) or self.content.root
        if self.channel.transfers and menu.id == ROOT_ID and number == len(menu.children) + 1:
            return Turn(state, (Screen(Kind.TRANSFER, state.lang),), transfer=True, events=("transfer",))
        if 1 <= number <= len(menu.children):
            if not state.menu:
                state = replace(state, menu=ROOT_ID)
            return self.go(state, menu.children[number - 1])
        return self._invalid(replace(state, menu=menu.id), number)

    def more(self, state: State) -> Turn:
        node = self.content.get(state.node)
        if node is not None and not node.is_menu:
            pages = self._pages(node.id, state.lang)
            if state.page + 1 < len(pages):
                return self._show_page(replace(state, page=state.page + 1))
        return Turn(state, (Screen(Kind.END_OF_TOPIC, state.lang, node=state.node),))

    def back(self, state: State) -> Turn:
        real_menu = state.menu and not state.menu.startswith("@")
        if real_menu and state.node != state.menu:
            return self._show_menu(state, state.menu, push=False)
        if state.back:
            return self._show_menu(replace(state, back=state.back[:-1]), state.back[-1], push=False)
        return self.main_menu(state)

    def repeat(self, state: State) -> Turn:
        """Show the current screen again (voice key 9)."""
        if state.menu == LANGUAGES_MENU:
            return self.languages(state, push=False, page=state.page)
        if state.menu == CHOICES_MENU:
            return self._offer_choices(state, state.choices, push=False)
        node = self.content.get(state.node)
        if node is None:
            return self.main_menu(state)
        if node.is_menu:
            return self._show_menu(state, node.id, push=False)
        return self._show_page(state)

    def _language_pages(self) -> list[list[str]]:
        """Callers have keys 1-8 only: past eight languages, 7 a page and 8 for the next page."""
        if not self.channel.pages_the_language_menu or len(self.locales) <= MORE_LANGUAGES_KEY:
            return [self.locales]
        size = MORE_LANGUAGES_KEY - 1
        return [self.locales[start:start + size] for start in range(0, len(self.locales), size)]

    def languages(self, state: State, push: bool = True, page: int = 0) -> Turn:
        pages = self._language_pages()
        page %= len(pages)
        options = tuple(Option(number, self.translations[locale].name, locale, locale)
                        for number, locale in enumerate(pages[page], start=1))
        if len(pages) > 1:
            following = pages[(page + 1) % len(pages)]
            # Said in the languages it leads to: their speakers are the ones who need it.
            options += (Option(MORE_LANGUAGES_KEY, "", state.lang, MORE_LANGUAGES, locales=tuple(following)),)
        new_state = replace(state, menu=LANGUAGES_MENU, node="", page=page,
                            back=self._pushed(state) if push else state.back)
        return Turn(new_state, (Screen(Kind.LANGUAGES, state.lang, options=options, page=page,
                                       pages=len(pages)),))

    def set_language(self, state: State, locale: str) -> Turn:
        if state.lang != locale:
            log.info("language chosen: %s -> %s", state.lang, locale)
        menu = self.main_menu(replace(state, lang=locale, chosen=True))
        keys = (Screen(Kind.KEYS, locale),) if self.channel.teaches_keys else ()
        return Turn(menu.state, (Screen(Kind.LANGUAGE_SET, locale), *keys, *menu.screens), events=("language",))

    # -- voice -------------------------------------------------------------------
    def call_started(self, state: State, first_contact: bool) -> Turn:
        """New callers choose a language; returning callers are greeted in theirs."""
        if first_contact:
            languages = self.languages(replace(state, menu="", back=()), push=False)
            return Turn(replace(languages.state, lang=""), (Screen(Kind.WELCOME, state.lang), *languages.screens),
                        events=("call_new",))
        menu = self.main_menu(state)
        greeting = (Screen(Kind.WELCOME_BACK, state.lang), Screen(Kind.KEYS, state.lang))
        return Turn(menu.state, (*greeting, *menu.screens), events=("call_returning",))

    def key(self, state: State, key: str) -> Turn:
        """Keys mean the same in every menu and language: 9 repeat, * back, 0 main, # language."""
        if key == "9":
            return self.repeat(state)
        if key == "*":
            return self.back(state)
        if key == "0":
            return self.main_menu(state)
        if key == "#":
            return self.languages(state)
        if key not in "0123456789" or len(key) != 1:
            return self._invalid(state, key)
        if self._at_leaf(state):
            if int(key) == TEXT_ME_KEY and self.channel.offers_text_me:
                return self.text_me(state)
            return self._invalid(state, key)
        return self.choose(state, int(key))

    def silence(self, state: State) -> Turn:
        count = state.silence + 1
        if count >= MAX_SILENCE:
            return Turn(replace(state, silence=count), (Screen(Kind.GOODBYE, state.lang),), hangup=True,
                        events=("silence_goodbye",))
        again = self._prompt_again(state)
        return Turn(replace(again.state, silence=count), (Screen(Kind.REPROMPT, state.lang), *again.screens),
                    events=("silence",))

    def text_me(self, state: State) -> Turn:
        node = self.content.nodes[state.node]
        if node.id not in state.texted:
            state = replace(state, texted=(*state.texted, node.id)[-BACK_DEPTH * 2:])
        screens = (Screen(Kind.TEXT_ME, state.lang, node=node.id), self._leaf_options(state))
        return Turn(state, screens, text_request=node.id, events=("text_me",))

    def texted(self, turn: Turn, outcome: TextOutcome, pages: int) -> Turn:
        """What the host did with "press 8" (sent as `pages` texts, or refused), for the caller to hear;
        a refusal for the whole call stops offering 8 from this very turn on."""
        if outcome.ends_texting_for_the_call:
            turn = self.no_more_texts(turn)
        return replace(turn, screens=tuple(replace(screen, outcome=outcome, pages=pages)
                                           if screen.kind is Kind.TEXT_ME else screen for screen in turn.screens))

    def no_more_texts(self, turn: Turn) -> Turn:
        """The host could not text this caller (the day's limit, a number that cannot get texts):
        8 is offered no more in this call, starting with the prompt of this very turn."""
        state = replace(turn.state, texts_off=True)
        return replace(turn, state=state, screens=tuple(self._leaf_options(state) if screen.kind is Kind.LEAF_OPTIONS
                                                        else screen for screen in turn.screens))

    def _keypad_command(self, state: State, command: Command) -> Turn:
        """Commands where the caller answers with keys: MORE repeats, HELP says the keys."""
        if command is Command.REPEAT or command is Command.MORE:
            return self.repeat(state)
        if command is Command.TEXT_ME and self._at_leaf(state) and self.channel.offers_text_me:
            return self.text_me(state)
        if command in self.NAVIGATION:
            return self.NAVIGATION[command](self, state)
        if command is Command.HELP:
            again = self._prompt_again(state)
            return Turn(again.state, (Screen(Kind.KEYS, state.lang), *again.screens))
        if command is Command.SOURCE:
            again = self._prompt_again(state)
            return Turn(again.state, (Screen(Kind.SOURCE, state.lang), *again.screens))
        if command is Command.NOTICE:
            again = self._prompt_again(state)
            return Turn(again.state, (Screen(Kind.NOTICE, state.lang), *again.screens))
        return self._not_understood(state)  # STOP/START are for text messages

    def _at_leaf(self, state: State) -> bool:
        node = self.content.get(state.node)
        return node is not None and not node.is_menu

    def _leaf_options(self, state: State) -> Screen:
        """After a topic: 8 to get it by text, unless this call has already had it sent."""
        offer = self.channel.offers_text_me and not state.texts_off and state.node not in state.texted
        return Screen(Kind.LEAF_OPTIONS, state.lang, node=state.node,
                      options=(Option(TEXT_ME_KEY, "", state.lang, "@text"),) if offer else ())

    def _prompt_again(self, state: State) -> Turn:
        """After a wrong key or silence: the choices again, not a whole topic again."""
        if self.channel.teaches_keys and self._at_leaf(state):
            return Turn(state, (self._leaf_options(state),))
        return self.repeat(state)

    # Commands that move the same way on every channel.
    NAVIGATION: dict[Command, Callable[["Engine", State], Turn]] = {
        Command.MENU: main_menu,
        Command.BACK: back,
        Command.LANG: languages,
    }

    # -- helpers ----------------------------------------------------------------
    def _pushed(self, state: State) -> tuple[str, ...]:
        if not state.menu or state.menu.startswith("@"):
            return state.back
        return (*state.back, state.menu)[-BACK_DEPTH:]

    def _show_menu(self, state: State, node_id: str, push: bool = True) -> Turn:
        node = self.content.get(node_id) or self.content.root
        tr = self.translations[state.lang]
        back = self._pushed(state) if push and state.menu != node.id else state.back
        if node.id == ROOT_ID:
            back = ()  # the top, however it was reached ("TOPICS" as MENU): BACK has nowhere further to go
        options = tuple(Option(number, tr.title(self.content.nodes[child]), state.lang, child)
                        for number, child in enumerate(node.children, start=1))
        if self.channel.transfers and node.id == ROOT_ID:
            options += (Option(len(options) + 1, "", state.lang, TRANSFER_TARGET),)
        new_state = replace(state, node=node.id, menu=node.id, page=0, back=back, choices=())
        screen = Screen(Kind.MENU, state.lang, node=node.id, title=tr.title(node), text=tr.body(node),
                        options=options)
        return Turn(new_state, (screen,), events=(f"menu:{node.id}",))

    def page_count(self, node_id: str, lang: str) -> int:
        return len(self._pages(node_id, lang))

    def _pages(self, node_id: str, lang: str) -> list[str]:
        pages = self._page_cache.get((node_id, lang))
        if pages is None:
            node = self.content.nodes[node_id]
            pages = self.pager(self.translations[lang].body(node), lang) or [""]
            self._page_cache[(node_id, lang)] = pages
        return pages

    def _show_page(self, state: State) -> Turn:
        node = self.content.nodes[state.node]
        pages = self._pages(node.id, state.lang)
        page = min(state.page, len(pages) - 1)
        screen = Screen(Kind.CONTENT, state.lang, node=node.id, title=self.translations[state.lang].title(node),
                        text=pages[page], page=page, pages=len(pages))
        screens = (screen, self._leaf_options(state)) if self.channel.teaches_keys else (screen,)
        return Turn(replace(state, page=page), screens, events=(f"content:{node.id}",))

    def _offer_choices(self, state: State, node_ids: tuple[str, ...], push: bool = True) -> Turn:
        tr = self.translations[state.lang]
        options = tuple(Option(number, tr.title(self.content.nodes[node_id]), state.lang, node_id)
                        for number, node_id in enumerate(node_ids, start=1))
        new_state = replace(state, menu=CHOICES_MENU, choices=tuple(node_ids), node="", page=0,
                            back=self._pushed(state) if push else state.back)
        return Turn(new_state, (Screen(Kind.CHOICES, state.lang, options=options),), events=("choices",))

    def _invalid(self, state: State, number: int | str) -> Turn:
        if self.channel.teaches_keys and self._at_leaf(state):
            again = self._prompt_again(state)
        else:
            again = self.repeat(replace(state, node=state.menu if not state.menu.startswith("@") else state.node))
        invalid = Screen(Kind.INVALID_CHOICE, state.lang, text=str(number))
        return Turn(again.state, (invalid, *again.screens), events=("invalid_choice",))

    def _opt_out_recorded(self, state: State, kind: str) -> Turn:
        kind = kind.strip().upper()
        if kind == "STOP":
            return Turn(replace(state, opted_out=True), events=("opt_out_recorded",))
        if kind == "START":
            return Turn(replace(state, opted_out=False), events=("opt_in_recorded",))
        return Turn(state, events=("help_recorded",))
