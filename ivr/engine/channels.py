"""What differs between texting and calling, each rule named once, in one class per channel.

The navigator (ivr/engine) asks its channel, never which channel it is. A
third channel (WhatsApp, USSD) is a new subclass choosing its rules, not a
new flag threaded through the engine.
"""
from __future__ import annotations


class Channel:
    """Texting's rules are the defaults: a reply ends the turn, STOP is honoured, numbers pick options."""

    #: Every answer is followed by the choices again: a caller must never hear dead air.
    prompts_after_every_answer = False
    #: Digits are keys (9 repeats, * goes back, 8 texts a topic) and spoken number words count.
    numbers_are_keys = False
    #: A phone that opted out gets no answers; STOP and START are recorded and confirmed.
    honours_opt_out = True
    #: After many messages in a row not understood, stop answering (an auto-responder costs money).
    goes_quiet_after_misses = True
    #: The language menu comes in pages of seven, 8 for the next page (a keypad has 1-8).
    pages_the_language_menu = False
    #: After choosing a language, say how the keys work; after a topic, what can be done next.
    teaches_keys = False
    #: A stored language this channel cannot offer is chosen again (a language without a voice).
    rechooses_an_unoffered_language = False
    #: Whether the channel can put someone through to a person, or text a topic, once the line is set up for it.
    can_transfer = False
    can_text_me = False

    def __init__(self, transfer: bool = False, text_me: bool = False) -> None:
        #: Crisis and "a person" are put through to someone (IVR_TRANSFER_NUMBER), and the main menu offers it.
        self.transfers = transfer and self.can_transfer
        #: After a topic, 8 sends it by text message.
        self.offers_text_me = text_me and self.can_text_me


class Texting(Channel):
    """SMS: a reply ends the turn; pages and MORE carry long topics."""


class Calling(Channel):
    """A phone call: keys and speech, the choices after every answer, transfers and text-me when set up."""

    prompts_after_every_answer = True
    numbers_are_keys = True
    honours_opt_out = False  # opting out stops texts, not calls
    goes_quiet_after_misses = False
    pages_the_language_menu = True
    teaches_keys = True
    rechooses_an_unoffered_language = True
    can_transfer = True
    can_text_me = True
