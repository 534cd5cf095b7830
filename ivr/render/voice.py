"""Engine screens as speech: what each locale's voice says, sentence by sentence.

Produces plain data (`Speech` items); the voice channel turns them into
<Say>/<Play> TwiML. Each option of the language menu is spoken in its own
language and voice. Recorded audio replaces synthesis where a file exists.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ivr.understanding.commands import Command, plainest_word
from ivr.content import CONTENT_DIR
from ivr.engine import MORE_LANGUAGES, TRANSFER_TARGET, Kind, Screen, TextOutcome
from ivr.i18n import Localizer, Translations, native_name
from ivr.render.sms import source_text
from ivr.render.wording import Contacts, crisis_text, emergency_text, notice_text, person_text

AUDIO_DIR = CONTENT_DIR / "audio"
AUDIO_SUFFIXES = (".mp3", ".wav")
MAX_HINTS = 100


@dataclass(frozen=True)
class Speech:
    """Sentences one voice says, with a short break between them."""

    lang: str
    sentences: tuple[str, ...]
    prompt_id: str = ""  # names a recording: content/audio/<lang>/<prompt_id>.mp3
    slow: bool = False  # safety replies: spoken more slowly, numbers digit by digit


def spoken_lines(text: str) -> tuple[str, ...]:
    """Content lines as sentences: list dashes are for the eye, not the ear."""
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if line.startswith("- "):
            line = line[2:]
        if line:
            lines.append(line if line[-1] in ".!?:;。？！؟।" else f"{line}.")
    return tuple(lines)


class VoiceRenderer:
    def __init__(self, translations: Translations, contacts: Contacts, audio_dir: Path = AUDIO_DIR) -> None:
        self.translations = translations
        self.contacts = contacts
        self.org_name = contacts.name
        self.audio_dir = audio_dir
        self._hints: dict[tuple[str, tuple[str, ...]], str] = {}

    def recording(self, lang: str, prompt_id: str) -> Path | None:
        """The recorded file for a prompt, if the team has added one."""
        if not prompt_id:
            return None
        for suffix in AUDIO_SUFFIXES:
            path = self.audio_dir / lang / f"{prompt_id}{suffix}"
            if path.is_file():
                return path
        return None

    def render(self, screens: tuple[Screen, ...]) -> list[Speech]:
        speech: list[Speech] = []
        for screen in screens:
            speech.extend(self.screen_speech(screen))
        return speech

    def screen_speech(self, screen: Screen) -> list[Speech]:
        tr = self.translations[screen.lang]
        kind = screen.kind
        say = lambda *sentences, prompt_id="": [Speech(screen.lang, tuple(sentences), prompt_id)]  # noqa: E731
        if kind is Kind.MENU:
            options = [self.option_sentence(tr, option.number, option.label, option.target)
                       for option in screen.options]
            return [Speech(screen.lang, (screen.text,), f"{screen.node}.text"), *say(*options)]
        if kind is Kind.CONTENT:
            return say(*spoken_lines(screen.text), prompt_id=f"{screen.node}.text")
        if kind is Kind.LEAF_OPTIONS:
            sentences = [tr.gettext("To hear it again, press 9."),
                         tr.gettext("To go back, press star. For the main menu, press 0.")]
            if screen.options:
                sentences.insert(0, tr.gettext("To get this as a text message, press 8."))
            return say(*sentences)
        if kind is Kind.LANGUAGES:
            # Each language invites its speakers in their own words and voice.
            speech = []
            for option in screen.options:
                if option.target == MORE_LANGUAGES:
                    speech += [Speech(locale, (self.translations[locale].gettext(
                        "For more languages, press %(key)s.") % {"key": option.number},), "more_languages")
                        for locale in option.locales]
                    continue
                speech.append(Speech(option.target, (self.translations[option.target].gettext(
                    "For %(language)s, press %(key)s.") % {"language": native_name(option.target, capitalized=False),
                                                           "key": option.number},),
                    f"language.{screen.page}.{option.number}"))
            return speech
        if kind is Kind.CHOICES:
            options = [self.option_sentence(tr, option.number, option.label, option.target)
                       for option in screen.options]
            return say(tr.gettext("Which topic did you mean?"), *options)
        if kind is Kind.KEYS:
            return say(tr.gettext("In any menu, press 9 to repeat, star to go back, 0 for the main menu, "
                                  "and pound to change the language."), prompt_id="keys")
        if kind is Kind.WELCOME:
            return say(tr.gettext("Welcome to %(org)s.") % {"org": self.org_name}, prompt_id="welcome")
        if kind is Kind.WELCOME_BACK:
            return say(tr.gettext("Welcome back to %(org)s.") % {"org": self.org_name}, prompt_id="welcome_back")
        if kind is Kind.NOTICE:
            return say(notice_text(tr, self.contacts), prompt_id="notice")
        if kind is Kind.CRISIS:
            return [Speech(screen.lang, (crisis_text(tr, self.contacts),), "crisis", slow=True)]
        if kind is Kind.EMERGENCY:
            return [Speech(screen.lang, (emergency_text(tr, self.contacts),), "emergency", slow=True)]
        if kind in (Kind.PERSON, Kind.CALL_US):
            return [Speech(screen.lang, (person_text(tr, self.contacts),), "person", slow=True)]
        if kind is Kind.SOURCE:
            return say(source_text(tr, self.translations.content.source))
        if kind is Kind.INVALID_CHOICE:
            return say(tr.gettext("That is not an option."), prompt_id="invalid")
        if kind is Kind.NOT_UNDERSTOOD:
            return say(tr.gettext("Sorry, I did not understand."), prompt_id="not_understood")
        if kind is Kind.REPROMPT:
            return say(tr.gettext("Sorry, I did not hear anything."), prompt_id="reprompt")
        if kind is Kind.GOODBYE:
            return say(tr.gettext("Thank you for calling. Goodbye."), prompt_id="goodbye")
        if kind is Kind.TEXT_ME:
            return say(self.text_me_sentence(tr, screen.outcome, screen.pages))
        if kind is Kind.TRANSFER:
            return say(tr.gettext("Please hold while I connect you to a person."), prompt_id="transfer")
        if kind in (Kind.LANGUAGE_SET, Kind.END_OF_TOPIC):
            return []
        return say(tr.gettext("Sorry, I did not understand."))

    def option_sentence(self, tr: Localizer, key: int, label: str, target: str) -> str:
        if target == TRANSFER_TARGET:
            return tr.gettext("To speak with a person, press %(key)s.") % {"key": key}
        return tr.gettext("For %(topic)s, press %(key)s.") % {"topic": label, "key": key}

    @staticmethod
    def text_me_sentence(tr: Localizer, outcome: TextOutcome | None, messages: int = 1) -> str:
        if outcome is TextOutcome.SENT:
            return tr.ngettext("I am sending this to your phone as a text message.",
                               "I am sending this to your phone as %(count)s text messages.",
                               messages) % {"count": messages}
        # One sentence for every refusal: a caller must not learn whether this phone
        # opted out, used the line, or reached a limit (caller ID can be spoofed).
        return tr.gettext("Sorry, I cannot send a text message right now.")

    def after_dial_failed(self, lang: str) -> Speech:
        tr = self.translations[lang]
        return Speech(lang, (tr.gettext("Sorry, nobody could answer right now. Please try again later."),),
                      "transfer_failed")

    def hints(self, lang: str, node_ids: list[str]) -> str:
        """Speech hints for the menu on offer: its topics' titles and keywords, and the commands."""
        key = (lang, tuple(node_ids))
        if key not in self._hints:  # content is fixed while the app runs
            tr = self.translations[lang]
            words: list[str] = []
            for node_id in node_ids:
                node = self.translations.content.nodes[node_id]
                words.append(tr.title(node))
                words.extend(tr.keywords(node)[:4])
            words += [plainest_word(tr, command) for command in (Command.REPEAT, Command.BACK, Command.MENU,
                                                                 Command.TEXT_ME)]
            unique = list(dict.fromkeys(word.lower() for word in words if word))
            self._hints[key] = ", ".join(unique[:MAX_HINTS])
        return self._hints[key]
