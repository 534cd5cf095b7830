"""Bad configuration stops the app at start, naming the variable to fix."""
from __future__ import annotations

import pytest

from ivr import create_app
from ivr.config import ConfigError, load_settings

GOOD = {"TWILIO_AUTH_TOKEN": "t" * 32, "IVR_HASH_SECRET": "s" * 32, "REDIS_URL": "redis://127.0.0.1:6379/15",
        "IVR_ORG_PHONE": "+1 412 555 0100"}


@pytest.mark.parametrize("change, variable", [
    ({"TWILIO_AUTH_TOKEN": ""}, "TWILIO_AUTH_TOKEN"),
    ({"IVR_HASH_SECRET": "short"}, "IVR_HASH_SECRET"),
    ({"REDIS_URL": ""}, "REDIS_URL"),
    ({"REDIS_URL": "http://x"}, "REDIS_URL"),
    ({"IVR_PUBLIC_URL": "line.example.org"}, "IVR_PUBLIC_URL"),
    ({"IVR_PUBLIC_URL": "https://line.example.org/sms"}, "IVR_PUBLIC_URL"),
    ({"IVR_LOCALES": "en,es", "IVR_DEFAULT_LOCALE": "fr"}, "IVR_DEFAULT_LOCALE"),
    ({"IVR_PLACE_TTL": "soon"}, "IVR_PLACE_TTL"),
    ({"IVR_SMS_MAX_SEGMENTS": "20"}, "IVR_SMS_MAX_SEGMENTS"),
    ({"IVR_MODE": "debug"}, "IVR_MODE"),
    ({"IVR_ORG_PHONE": ""}, "IVR_ORG_PHONE"),
])
def test_bad_settings_fail_with_the_variable_named(change, variable):
    with pytest.raises(ConfigError, match=variable):
        load_settings({**GOOD, **change})


def test_environment_then_overrides():
    settings = load_settings({**GOOD, "IVR_LOCALES": "en", "IVR_PLACE_TTL": "600"}, {"org_name": "Clinic"})
    assert settings.locales == ("en",)
    assert settings.place_ttl == 600
    assert settings.org_name == "Clinic"


def test_local_mode_needs_no_redis_and_uses_memory():
    settings = load_settings({"IVR_MODE": "local", "TWILIO_AUTH_TOKEN": "dev", "IVR_HASH_SECRET": "s" * 32})
    assert settings.redis_url == ""
    app = create_app(environ={"IVR_MODE": "local", "TWILIO_AUTH_TOKEN": "dev", "IVR_HASH_SECRET": "s" * 32})
    assert type(app.extensions["infoline"].sessions.store).__name__ == "MemoryStore"


def test_create_app_reads_the_environment(monkeypatch):
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    app = create_app()
    assert app.config["IVR_SETTINGS"].org_phone == "+1 412 555 0100"
