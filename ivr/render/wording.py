"""What the line says about safety and reaching a person: one wording for SMS, voice and cards.

Numbers come from settings (IVR_EMERGENCY_NUMBER, IVR_CRISIS_LINE,
IVR_ORG_PHONE, IVR_ORG_HOURS) and are written in plain ASCII digits, never
formatted per locale, so a phone can tap them to call.
NEEDS CLINICAL REVIEW: the safety wording here and in every catalog.
"""
from __future__ import annotations

from dataclasses import dataclass

from ivr.i18n import Localizer

LRE, PDF = "\u202a", "\u202c"  # left-to-right embedding: widely supported, unlike the newer isolates


@dataclass(frozen=True)
class Contacts:
    """Whom a patient can reach: the organisation, the emergency number, a crisis line."""

    name: str
    phone: str
    emergency: str = "911"
    crisis_line: str = "988"  # "" when the line's country has none to name
    hours: str = ""


def left_to_right(tr: Localizer, text: str) -> str:
    """A phone number inside right-to-left text keeps its digit groups in order."""
    return f"{LRE}{text}{PDF}" if tr.rtl else text


def _numbers(tr: Localizer, contacts: Contacts) -> dict[str, str]:
    return {"org": contacts.name, "phone": left_to_right(tr, contacts.phone),
            "emergency": left_to_right(tr, contacts.emergency), "crisis": left_to_right(tr, contacts.crisis_line)}


def crisis_text(tr: Localizer, contacts: Contacts) -> str:
    # NOTE: Safety reply to someone who may be thinking of suicide or self-harm. NEEDS CLINICAL REVIEW.
    # Warm and plain. Keep the %(...)s names exactly; the numbers are filled in as digits.
    if contacts.crisis_line:
        return tr.pgettext("safety", "You are not alone. Please call or text %(crisis)s now to talk with "
                                     "someone, any time. If you are in danger, call %(emergency)s. "
                                     "You can also call %(org)s: %(phone)s.") % _numbers(tr, contacts)
    # NOTE: The same safety reply for a country with no crisis line to name. NEEDS CLINICAL REVIEW.
    return tr.pgettext("safety", "You are not alone. If you are in danger or might hurt yourself, call "
                                 "%(emergency)s now. You can also call %(org)s: %(phone)s.") % _numbers(tr, contacts)


def emergency_text(tr: Localizer, contacts: Contacts) -> str:
    # NOTE: First line of the reply when a message sounds like an emergency happening now. NEEDS CLINICAL REVIEW.
    return tr.pgettext("safety", "This may be an emergency. Call %(emergency)s now.") % _numbers(tr, contacts)


def person_text(tr: Localizer, contacts: Contacts) -> str:
    # NOTE: Reply to someone who asks for a nurse or a person.
    text = tr.pgettext("safety", "To talk with a person, call %(org)s: %(phone)s.") % _numbers(tr, contacts)
    if contacts.hours:
        # NOTE: Added after the phone number; %(hours)s is written by the organisation, e.g. "Mon-Fri 9-5".
        text += " " + tr.pgettext("safety", "Hours: %(hours)s.") % {"hours": contacts.hours}
    return text


def notice_text(tr: Localizer, contacts: Contacts) -> str:
    return tr.gettext("This line gives general information, not medical advice. "
                      "In an emergency, call %(emergency)s.") % _numbers(tr, contacts)


def opted_out_text(tr: Localizer) -> str:
    # NOTE: Sent once when a phone opts out with a word of its own language.
    return tr.gettext("You will not get more messages from this line. To come back, reply START.")


def opt_out_unsaved_text(tr: Localizer) -> str:
    return tr.gettext("Sorry, we could not record this just now. Please send STOP again in a few minutes.")
