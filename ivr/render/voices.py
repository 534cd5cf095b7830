"""Which Twilio voice speaks each locale, and which language hears it.

Chosen from Twilio's supported text-to-speech voices (Amazon Polly standard
voices where one exists, Google voices otherwise) and speech-recognition
languages. A locale with no entry has no Twilio voice: it is offered by text
only, unless recorded audio is added for it (content/audio/<locale>/).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Voice:
    say_voice: str  # <Say voice=...>
    say_language: str  # <Say language=...>
    speech_language: str  # <Gather language=...> for speech recognition
    max_say_chars: int = 3000  # Twilio's limit per <Say>: Polly ~3,000, Google 5,000
    rate: str = "90%"  # a calm pace for people hearing hard news


VOICES: dict[str, Voice] = {
    "en": Voice("Polly.Joanna", "en-US", "en-US"),
    "es": Voice("Polly.Lupe", "es-US", "es-US"),
    "zh_Hans": Voice("Polly.Zhiyu", "cmn-CN", "cmn-Hans-CN"),
    "vi": Voice("Google.vi-VN-Standard-A", "vi-VN", "vi-VN", max_say_chars=5000),
    "ar": Voice("Polly.Zeina", "arb", "ar-EG"),
    "ru": Voice("Polly.Tatyana", "ru-RU", "ru-RU"),
    "ko": Voice("Polly.Seoyeon", "ko-KR", "ko-KR"),
    "fr": Voice("Polly.Lea", "fr-FR", "fr-FR"),
    "pt_BR": Voice("Polly.Camila", "pt-BR", "pt-BR"),
    "fil": Voice("Google.fil-PH-Standard-A", "fil-PH", "fil-PH", max_say_chars=5000),
}


def voice_for(locale: str) -> Voice | None:
    return VOICES.get(locale)
