"""The line's parts, built once per app from settings and shared by the channels."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivr.i18n.completeness import gaps, unfinished_locales
from ivr.config import ConfigError, Settings
from ivr.content import CONTENT_DIR, Content, load_content
from ivr.engine import Engine
from ivr.i18n import TRANSLATIONS_DIR, Translations
from ivr.understanding.matching import KeywordIndex
from ivr.state.reports import Reports
from ivr.state.sessions import Retention, Sessions
from ivr.render.sms import SmsRenderer
from ivr.texting.sender import DryRunSender, TopicTexts, TwilioSender
from ivr.state.store import Store, make_store
from ivr.understanding.safety import LISTS, SafetyCheck, available_lists
from ivr.understanding.weights import WEIGHTS_FILE
from ivr.texting import Outbox, RQOutbox, Sender, TextMe, ThreadOutbox
from ivr.render.voice import VoiceRenderer
from ivr.render.voices import voice_for

log = logging.getLogger(__name__)


@dataclass
class Line:
    settings: Settings
    content: Content
    translations: Translations
    sessions: Sessions
    sms_engine: Engine
    sms_renderer: SmsRenderer
    voice_engine: Engine
    voice_renderer: VoiceRenderer
    text_me: TextMe
    text_sender: Sender | None
    outbox: Outbox | None
    simulated_texts: DryRunSender
    untranslated: dict[str, int] = field(default_factory=dict)  # locale -> entries served in English

    @classmethod
    def build(cls, settings: Settings, store: Store | None = None, content_dir: Path = CONTENT_DIR,
              translations_dir: Path = TRANSLATIONS_DIR, twilio_http_client: Any = None) -> "Line":
        content = load_content(content_dir)
        locales = offered_locales(settings, content, translations_dir)
        conversation = Conversation.build(settings, content, locales, content_dir, translations_dir)
        store = store or make_store(settings.redis_url, settings.redis_timeout, settings.redis_mode,
                                    settings.redis_sentinels, settings.redis_sentinel_service)
        secret = settings.hash_secret.encode()
        sessions = Sessions(store, secret, Retention(settings.place_ttl, settings.profile_ttl))
        sessions.reports = Reports(store, settings.report_ttl)
        topic_texts = TopicTexts(conversation.sms_engine, conversation.sms_renderer, sessions)
        sender = make_sender(settings, topic_texts, twilio_http_client)
        outbox = make_outbox(settings, sender)
        voice_engine = conversation.voice_engine(transfer=bool(settings.transfer_number), text_me=outbox is not None)
        untranslated = {locale: missing + fuzzy for locale, (missing, fuzzy, _) in
                        gaps(locales, content, translations_dir).items() if locale != "en"}
        return cls(settings, content, conversation.translations, sessions, conversation.sms_engine,
                   conversation.sms_renderer, voice_engine, conversation.voice_renderer,
                   TextMe(store, secret, outbox, settings.texts_per_day, settings.sms_countries,
                          settings.texts_per_day_total), sender, outbox,
                   DryRunSender(topic_texts), untranslated)


@dataclass(frozen=True)
class Conversation:
    """What turns a message into an answer: catalogs, understanding, engines and renderers.

    The one builder for the app (Line.build) and for `ivr check`, so the check
    vets exactly the engine and wording patients get.
    """

    translations: Translations
    sms_engine: Engine
    sms_renderer: SmsRenderer
    voice_renderer: VoiceRenderer
    voice_locales: tuple[str, ...]

    @classmethod
    def build(cls, settings: Settings, content: Content, locales: list[str], content_dir: Path = CONTENT_DIR,
              translations_dir: Path = TRANSLATIONS_DIR) -> "Conversation":
        translations = Translations(content, locales, settings.default_locale, translations_dir)
        index, safety = understanding(content, translations, list(settings.locales), content_dir)
        voice_locales = spoken_locales(locales, content_dir)
        renderer = SmsRenderer(translations, settings.contacts,
                               settings.sms_max_segments, frozenset(locales) - set(voice_locales),
                               plain=frozenset(settings.sms_plain_locales))
        engine = Engine(content, translations, index, pager=renderer.paginate, safety=safety)
        return cls(translations, engine, renderer, VoiceRenderer(translations, settings.contacts, content_dir / "audio"),
                   tuple(voice_locales))

    def voice_engine(self, transfer: bool, text_me: bool) -> Engine:
        return self.sms_engine.for_voice(list(self.voice_locales), transfer=transfer, text_me=text_me)


_UNDERSTANDING: dict[tuple, tuple[KeywordIndex, SafetyCheck]] = {}
_KEPT = 3  # a served line needs one; `ivr check`, the web phone and tests build a few side by side


def understanding(content: Content, translations: Translations, enabled: list[str],
                  content_dir: Path) -> tuple[KeywordIndex, SafetyCheck]:
    """The keyword index and the safety check, built once per set of files (they take a second or two).

    Keyed by the files' paths, sizes and modification times, so an edited catalog
    or phrase list is read again, and apps built from the same files share one.
    """
    files = [content_dir / "menu.yaml", *sorted((content_dir / "safety").glob("*.yaml")),
             translations.directory / WEIGHTS_FILE, *sorted(translations.directory.glob("*/LC_MESSAGES/*.po"))]
    key = (tuple(translations.locales), translations.default, tuple(enabled),
           tuple((str(path), *((path.stat().st_size, path.stat().st_mtime_ns) if path.exists() else ()))
                 for path in files))
    if key in _UNDERSTANDING:
        _UNDERSTANDING[key] = _UNDERSTANDING.pop(key)  # most recently used last
    else:
        lists = available_lists(enabled, content_dir / "safety")
        index = KeywordIndex(content, translations,
                             everyday={item.locale: item.lists["everyday"] for item in lists if item.locale in translations},
                             spoken={item.locale: [phrase for name in LISTS for phrase in item.lists[name]]
                                     for item in lists if item.locale in translations})
        while len(_UNDERSTANDING) >= _KEPT:
            del _UNDERSTANDING[next(iter(_UNDERSTANDING))]  # the least recently used
        common = frozenset(word for words in index.weights.frequent.values() for word in words)
        _UNDERSTANDING[key] = (index, SafetyCheck(lists, index.vocabulary, common))
    return _UNDERSTANDING[key]


def offered_locales(settings: Settings, content: Content, translations_dir: Path) -> list[str]:
    """Enabled locales, bar unknown or unfinished ones. Missing entries are served in English, logged."""
    broken = unfinished_locales(settings.locales, content, translations_dir)
    for locale, reason in broken.items():
        log.error("locale %s is enabled but not offered: %s (run `ivr check`)", locale, reason)
    for locale, (missing, fuzzy, _) in gaps([l for l in settings.locales if l not in broken], content,
                                            translations_dir).items():
        if missing or fuzzy:
            log.warning("locale %s: %d entries missing and %d changed in English: served in English until "
                        "translated (run `ivr check`)", locale, missing, fuzzy)
    if settings.default_locale in broken:
        raise ConfigError(f"default locale {settings.default_locale} is incomplete: {broken[settings.default_locale]}")
    return [locale for locale in settings.locales if locale not in broken]


def spoken_locales(locales: list[str], content_dir: Path) -> list[str]:
    """Locales a caller can hear: a Twilio voice, or recorded audio for the whole line."""
    spoken = [locale for locale in locales
              if voice_for(locale) or (content_dir / "audio" / locale / "complete").exists()]
    for locale in sorted(set(locales) - set(spoken)):
        log.info("locale %s has no Twilio voice: offered by text only", locale)
    return spoken


def make_sender(settings: Settings, texts: TopicTexts, http_client: Any) -> Sender | None:
    if settings.account_sid:
        from twilio.rest import Client

        # The library logs request bodies (numbers, message text) at INFO: never let it.
        logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
        client = Client(settings.account_sid, settings.auth_token, http_client=http_client)
        return TwilioSender(client, texts, settings.messaging_service_sid)
    if settings.local:
        return DryRunSender(texts)
    log.warning("TWILIO_ACCOUNT_SID is not set: callers are not offered topics by text message")
    return None


def queue_connection(settings: Settings, timeout: float = 1.0):
    """The Redis the text-me queue lives on (RQ), or None: IVR_QUEUE_URL, else the line's own
    Redis (single, or Sentinel's primary). RQ cannot use a cluster, so a cluster needs IVR_QUEUE_URL."""
    from redis import Redis

    if settings.queue_url:
        return Redis.from_url(settings.queue_url, socket_timeout=timeout, socket_connect_timeout=timeout)
    if settings.redis_mode == "sentinel":
        from ivr.state.store import sentinel_client

        return sentinel_client(settings.redis_sentinels, settings.redis_sentinel_service, timeout, decode=False)
    if settings.redis_mode == "single" and settings.redis_url:
        return Redis.from_url(settings.redis_url, socket_timeout=timeout, socket_connect_timeout=timeout)
    return None


def make_outbox(settings: Settings, sender: Sender | None) -> Outbox | None:
    if sender is None or settings.texts_per_day == 0:
        return None
    connection = queue_connection(settings) if settings.outbox != "thread" else None
    kind = settings.outbox or ("rq" if connection is not None and not settings.local else "thread")
    if kind != "rq" or connection is None:
        if settings.redis_mode == "cluster" and not settings.local:
            log.warning("IVR_QUEUE_URL is not set: text-me messages are sent from the app's own threads")
        return ThreadOutbox(sender)
    return RQOutbox(connection=connection)
