"""The line's parts, built once per app from settings and shared by the channels."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ivr.config import ConfigError, Settings
from ivr.content import CONTENT_DIR, Content, load_content
from ivr.engine import Engine
from ivr.i18n import TRANSLATIONS_DIR, Translations
from ivr.completeness import incomplete_locales
from ivr.matching import KeywordIndex
from ivr.sessions import Retention, Sessions
from ivr.sms_render import Organisation, SmsRenderer
from ivr.store import Store, make_store

log = logging.getLogger(__name__)


@dataclass
class Line:
    settings: Settings
    content: Content
    translations: Translations
    sessions: Sessions
    sms_engine: Engine
    sms_renderer: SmsRenderer

    @classmethod
    def build(cls, settings: Settings, store: Store | None = None, content_dir: Path = CONTENT_DIR,
              translations_dir: Path = TRANSLATIONS_DIR) -> "Line":
        content = load_content(content_dir)
        locales = offered_locales(settings, content, translations_dir)
        translations = Translations(content, locales, settings.default_locale, translations_dir)
        index = KeywordIndex(content, translations)
        organisation = Organisation(settings.org_name, settings.org_phone)
        renderer = SmsRenderer(translations, organisation, settings.sms_max_segments)
        engine = Engine(content, translations, index, pager=renderer.paginate)
        store = store or make_store(settings.redis_url, settings.redis_timeout)
        sessions = Sessions(store, settings.hash_secret.encode(), Retention(settings.place_ttl, settings.profile_ttl))
        return cls(settings, content, translations, sessions, engine, renderer)


def offered_locales(settings: Settings, content: Content, translations_dir: Path) -> list[str]:
    """Enabled locales that are complete; an incomplete one is never offered."""
    broken = incomplete_locales(settings.locales, content, translations_dir)
    for locale, reason in broken.items():
        log.error("locale %s is enabled but not offered: %s (run `ivr check`)", locale, reason)
    if settings.default_locale in broken:
        raise ConfigError(f"default locale {settings.default_locale} is incomplete: {broken[settings.default_locale]}")
    return [locale for locale in settings.locales if locale not in broken]
