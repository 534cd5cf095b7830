"""The line's commands and the words that trigger them in each language.

Commands work in every language, in English and in each locale's own forms,
and never switch the conversation's language. The English words are the
msgids; translators add their language's words in msgstr.
"""
from __future__ import annotations

from enum import Enum

from ivr.i18n import Localizer, split_words


class Command(str, Enum):
    MENU = "menu"
    MORE = "more"
    BACK = "back"
    LANG = "lang"
    HELP = "help"
    SOURCE = "source"
    NOTICE = "notice"
    STOP = "stop"
    START = "start"
    REPEAT = "repeat"
    TEXT_ME = "text_me"


# Twilio's own opt-out and opt-in words: these must always work, exactly.
STOP_WORDS = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")
START_WORDS = ("START", "UNSTOP", "YES")
EXACT_ONLY = {Command.STOP, Command.START}


def command_words(tr: Localizer) -> dict[Command, list[str]]:
    """Each command's trigger words in `tr`'s language (English included)."""
    # NOTE: Words a texter may send for each command, separated by commas.
    # English words always work; give your language's, with and without accents.
    # Put the plainest word last: the printed clinic card shows the last one.
    phrases = {
        Command.MENU: tr.pgettext("command", "MENU, MAIN MENU, HI, HELLO, HEY, HOME, MAIN"),
        Command.MORE: tr.pgettext("command", "MORE, NEXT, CONTINUE"),
        Command.BACK: tr.pgettext("command", "BACK, PREVIOUS, RETURN"),
        Command.LANG: tr.pgettext("command", "LANG, LANGUAGE, LANGUAGES"),
        Command.HELP: tr.pgettext("command", "HELP, INFO"),
        Command.SOURCE: tr.pgettext("command", "SOURCE, SOURCES, REFERENCE"),
        Command.NOTICE: tr.pgettext("command", "NOTICE, DISCLAIMER, EMERGENCY"),
        Command.STOP: tr.pgettext("command", "STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT"),
        Command.START: tr.pgettext("command", "START, UNSTOP, YES"),
        Command.REPEAT: tr.pgettext("command", "REPEAT, AGAIN, SAY AGAIN"),
        Command.TEXT_ME: tr.pgettext("command", "TEXT ME, SEND ME A TEXT, SEND IT"),
    }
    words = {command: split_words(text) for command, text in phrases.items()}
    words[Command.STOP] = list(dict.fromkeys([*STOP_WORDS, *words[Command.STOP]]))
    words[Command.START] = list(dict.fromkeys([*START_WORDS, *words[Command.START]]))
    return words


def plainest_word(tr: Localizer, command: Command) -> str:
    """The word to show or suggest for a command: translators list it last."""
    return command_words(tr)[command][-1]
