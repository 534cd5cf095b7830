"""Bad configuration stops the app at start, naming the variable to fix."""
from __future__ import annotations

import pytest

from ivr import create_app
from ivr.config import ConfigError, load_settings

GOOD = {"TWILIO_AUTH_TOKEN": "t" * 32, "IVR_HASH_SECRET": "s" * 32, "REDIS_URL": "redis://127.0.0.1:6379/15",
        "IVR_ORG_PHONE": "+1 412 555 0100", "IVR_PUBLIC_URL": "https://line.example.org"}


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
    ({"IVR_PUBLIC_URL": ""}, "IVR_PUBLIC_URL"),
    ({"IVR_PUBLIC_URL": "http://line.example.org"}, "IVR_PUBLIC_URL"),
    ({"IVR_EMERGENCY_NUMBER": "nine-one-one"}, "IVR_EMERGENCY_NUMBER"),
    ({"IVR_CRISIS_LINE": "call us"}, "IVR_CRISIS_LINE"),
    ({"IVR_CALLER_ID_WITHOUT_STIR": "maybe"}, "IVR_CALLER_ID_WITHOUT_STIR"),
    ({"IVR_TEXT_COUNTRIES": "USA"}, "IVR_TEXT_COUNTRIES"),
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


def test_every_problem_is_listed_at_once_and_no_password_is_printed():
    with pytest.raises(ConfigError) as raised:
        load_settings({"REDIS_URL": "http://user:s3cret-pass@redis.example:6379"})
    message = str(raised.value)
    for variable in ("TWILIO_AUTH_TOKEN", "IVR_HASH_SECRET", "IVR_PUBLIC_URL", "REDIS_URL", "IVR_ORG_PHONE"):
        assert variable in message
    assert "s3cret-pass" not in message


def test_http_public_url_needs_an_explicit_choice():
    settings = load_settings({**GOOD, "IVR_PUBLIC_URL": "http://line.internal", "IVR_ALLOW_HTTP": "1"})
    assert settings.allow_http


def test_an_empty_crisis_line_means_none_is_mentioned():
    assert load_settings({**GOOD, "IVR_CRISIS_LINE": ""}).crisis_line == ""
    assert load_settings(GOOD).crisis_line == "988"


def test_a_production_start_never_invents_secrets(monkeypatch, capsys):
    from ivr.tools import cli

    def forbidden():
        raise AssertionError("production must not create development secrets")

    monkeypatch.setattr(cli, "local_secrets", forbidden)
    for name in ("TWILIO_AUTH_TOKEN", "IVR_HASH_SECRET", "REDIS_URL", "IVR_PUBLIC_URL", "IVR_ORG_PHONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IVR_MODE", "production")
    assert cli.main(["serve"]) == 2
    error = capsys.readouterr().err
    assert "TWILIO_AUTH_TOKEN" in error and "IVR_PUBLIC_URL" in error and "Traceback" not in error


def test_a_content_error_is_one_clear_line(monkeypatch, capsys, tmp_path):
    from ivr.tools import cli
    from ivr.content import ContentError

    def broken(*args, **kwargs):
        raise ContentError(tmp_path / "menu.yaml", 7, "unknown key 'titel'")

    monkeypatch.setattr("ivr.content.load_content", broken)
    monkeypatch.setattr("ivr.line.load_content", broken)
    assert cli.main(["tree"]) == 2
    error = capsys.readouterr().err
    assert "menu.yaml" in error and "titel" in error and "Traceback" not in error
