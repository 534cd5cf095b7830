"""Settings, layered: defaults, then environment variables, then explicit overrides.

Production refuses to start on a setting that would put patients at risk
(no auth token, no Redis, no hashing secret); the message says which
variable to set. Local mode fills the gaps with development values.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from typing import Any, Mapping
from urllib.parse import urlparse

from ivr.render.segments import latin_script
from ivr.texting import E164


class ConfigError(ValueError):
    """A setting is missing or wrong; the message names the variable."""


def redact_url(url: str) -> str:
    """A URL fit for an error message: any password replaced by ***."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@", 1)
    return url


@dataclass(frozen=True)
class Settings:
    mode: str = "production"  # IVR_MODE: production | local
    auth_token: str = ""  # TWILIO_AUTH_TOKEN
    account_sid: str = ""  # TWILIO_ACCOUNT_SID
    public_url: str = ""  # IVR_PUBLIC_URL
    redis_url: str = ""  # REDIS_URL
    redis_timeout: float = 0.5  # IVR_REDIS_TIMEOUT
    redis_mode: str = "single"  # IVR_REDIS_MODE: single (REDIS_URL) | sentinel (IVR_REDIS_SENTINELS) | cluster
    redis_sentinels: str = ""  # IVR_REDIS_SENTINELS: host:port,host:port,...
    redis_sentinel_service: str = "mymaster"  # IVR_REDIS_SENTINEL_SERVICE
    queue_url: str = ""  # IVR_QUEUE_URL: a plain Redis for the text-me queue (RQ cannot use a cluster)
    hash_secret: str = ""  # IVR_HASH_SECRET
    locales: tuple[str, ...] = ("en", "es", "zh_Hans", "vi", "ar", "ru", "ko", "fr", "pt_BR", "fil", "ht", "ne")  # IVR_LOCALES
    default_locale: str = "en"  # IVR_DEFAULT_LOCALE
    org_name: str = "Infoline"  # IVR_ORG_NAME
    org_phone: str = ""  # IVR_ORG_PHONE
    place_ttl: int = 4 * 3600  # IVR_PLACE_TTL
    profile_ttl: int = 180 * 24 * 3600  # IVR_PROFILE_TTL
    sms_max_segments: int = 3  # IVR_SMS_MAX_SEGMENTS
    sms_plain_locales: tuple[str, ...] = ()  # IVR_SMS_PLAIN_LOCALES: texts in GSM-7 without the accents it lacks
    messaging_service_sid: str = ""  # TWILIO_MESSAGING_SERVICE_SID
    texts_per_day: int = 3  # IVR_TEXTS_PER_DAY
    outbox: str = ""  # IVR_OUTBOX: rq | thread (default: rq with Redis, else thread)
    transfer_number: str = ""  # IVR_TRANSFER_NUMBER
    transfer_timeout: int = 20  # IVR_TRANSFER_TIMEOUT
    simulator_password: str = ""  # IVR_SIMULATOR_PASSWORD: turns the web simulator on in production
    line_number: str = ""  # IVR_LINE_NUMBER: the Twilio number, printed on the clinic cards
    emergency_number: str = "911"  # IVR_EMERGENCY_NUMBER: said in the notice and every emergency reply
    crisis_line: str = "988"  # IVR_CRISIS_LINE: the suicide and crisis line; empty: not mentioned
    org_hours: str = ""  # IVR_ORG_HOURS: when the organisation's phone is answered, e.g. "Mon-Fri 9am-5pm"
    caller_id_without_stir: str = "new"  # IVR_CALLER_ID_WITHOUT_STIR: new | trust (calls with no SHAKEN/STIR verdict)
    text_countries: tuple[str, ...] = ()  # IVR_TEXT_COUNTRIES: ISO codes text-me may send to (default: the line's)
    texts_per_day_total: int = 500  # IVR_TEXTS_PER_DAY_TOTAL: text-me sends a day, the whole line
    sms_per_window: int = 20  # IVR_SMS_RATE_LIMIT: texts answered per phone in 10 minutes; more get no reply
    report_ttl: int = 400  # IVR_REPORT_TTL: days the usage counts are kept
    keep_unanswered: bool = False  # IVR_KEEP_UNANSWERED: keep texts not understood (scrubbed, 14 days)
    report_password: str = ""  # IVR_REPORT_PASSWORD: turns /report on in production (HTTP Basic)
    metrics_token: str = ""  # IVR_METRICS_TOKEN: /metrics in production needs "Authorization: Bearer <it>"
    allow_http: bool = False  # IVR_ALLOW_HTTP: accept an http:// IVR_PUBLIC_URL in production (not advised)

    @property
    def local(self) -> bool:
        return self.mode == "local"

    @property
    def has_redis(self) -> bool:
        return bool(self.redis_url) or self.redis_mode == "sentinel"

    @property
    def sms_countries(self) -> tuple[str, ...]:
        """Where text-me may send: IVR_TEXT_COUNTRIES, else the line's own country (US without a number)."""
        if self.text_countries:
            return tuple(code.upper() for code in self.text_countries)
        from ivr.texting import country_of

        return (country_of(self.line_number) or "US",)

    @property
    def contacts(self):
        """Whom patients can reach, as every channel and card says it."""
        from ivr.render.wording import Contacts

        return Contacts(self.org_name, self.org_phone, self.emergency_number, self.crisis_line, self.org_hours)


ENVIRONMENT = {
    "IVR_MODE": "mode",
    "TWILIO_AUTH_TOKEN": "auth_token",
    "TWILIO_ACCOUNT_SID": "account_sid",
    "IVR_PUBLIC_URL": "public_url",
    "REDIS_URL": "redis_url",
    "IVR_REDIS_TIMEOUT": "redis_timeout",
    "IVR_REDIS_MODE": "redis_mode",
    "IVR_REDIS_SENTINELS": "redis_sentinels",
    "IVR_REDIS_SENTINEL_SERVICE": "redis_sentinel_service",
    "IVR_QUEUE_URL": "queue_url",
    "IVR_HASH_SECRET": "hash_secret",
    "IVR_LOCALES": "locales",
    "IVR_DEFAULT_LOCALE": "default_locale",
    "IVR_ORG_NAME": "org_name",
    "IVR_ORG_PHONE": "org_phone",
    "IVR_PLACE_TTL": "place_ttl",
    "IVR_PROFILE_TTL": "profile_ttl",
    "IVR_SMS_MAX_SEGMENTS": "sms_max_segments",
    "IVR_SMS_PLAIN_LOCALES": "sms_plain_locales",
    "TWILIO_MESSAGING_SERVICE_SID": "messaging_service_sid",
    "IVR_TEXTS_PER_DAY": "texts_per_day",
    "IVR_OUTBOX": "outbox",
    "IVR_TRANSFER_NUMBER": "transfer_number",
    "IVR_TRANSFER_TIMEOUT": "transfer_timeout",
    "IVR_SIMULATOR_PASSWORD": "simulator_password",
    "IVR_LINE_NUMBER": "line_number",
    "IVR_EMERGENCY_NUMBER": "emergency_number",
    "IVR_CRISIS_LINE": "crisis_line",
    "IVR_ORG_HOURS": "org_hours",
    "IVR_CALLER_ID_WITHOUT_STIR": "caller_id_without_stir",
    "IVR_TEXT_COUNTRIES": "text_countries",
    "IVR_TEXTS_PER_DAY_TOTAL": "texts_per_day_total",
    "IVR_SMS_RATE_LIMIT": "sms_per_window",
    "IVR_ALLOW_HTTP": "allow_http",
    "IVR_REPORT_TTL": "report_ttl",
    "IVR_METRICS_TOKEN": "metrics_token",
    "IVR_REPORT_PASSWORD": "report_password",
    "IVR_KEEP_UNANSWERED": "keep_unanswered",
}
MAY_BE_EMPTY = {"IVR_CRISIS_LINE"}  # set but empty means "none": the crisis line is not mentioned
DIALLABLE = re.compile(r"^\+?[0-9][0-9 -]{1,18}[0-9]$")
LOCAL_DEFAULTS = {"org_phone": "(no phone set: IVR_ORG_PHONE)"}


def _convert(name: str, kind: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return tuple(value) if kind == "tuple[str, ...]" else value
    try:
        if kind == "bool":
            if value.strip().lower() not in ("1", "0", "true", "false", "yes", "no", ""):
                raise ValueError
            return value.strip().lower() in ("1", "true", "yes")
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {value!r}") from None
    if kind == "tuple[str, ...]":
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value.strip()


def load_settings(environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Build and validate settings; raises ConfigError with a clear message."""
    environ = os.environ if environ is None else environ
    kinds = {field.name: field.type for field in fields(Settings)}
    values: dict[str, Any] = {}
    for variable, name in ENVIRONMENT.items():
        if environ.get(variable, "").strip() or (variable in MAY_BE_EMPTY and variable in environ):
            values[name] = _convert(variable, kinds[name], environ[variable])
    for name, value in (overrides or {}).items():
        if name not in kinds:
            raise ConfigError(f"unknown setting {name!r}")
        values[name] = _convert(name, kinds[name], value)
    if values.get("mode", "production") == "local":
        values = {**LOCAL_DEFAULTS, **values}
    settings = Settings(**values)
    validate(settings)
    return settings


def validate(settings: Settings) -> None:
    """Every wrong or missing setting at once, one per line: one restart fixes them all."""
    problems: list[str] = []
    if settings.mode not in ("production", "local"):
        problems.append(f"IVR_MODE must be 'production' or 'local', got {settings.mode!r}")
    if not settings.auth_token:
        problems.append("TWILIO_AUTH_TOKEN is required: every webhook is checked against it "
                          "(`make run` creates a development token for local mode)")
    if len(settings.hash_secret) < 16:
        problems.append("IVR_HASH_SECRET must be at least 16 characters: phone numbers are stored "
                          "only as an HMAC with it (generate one: python -c 'import secrets;print(secrets.token_hex(32))')")
    if settings.public_url:
        parsed = urlparse(settings.public_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.path not in ("", "/"):
            problems.append(f"IVR_PUBLIC_URL must be the base URL Twilio calls, like https://line.example.org "
                              f"(no path), got {settings.public_url!r}")
    if settings.redis_url and urlparse(settings.redis_url).scheme not in ("redis", "rediss", "unix"):
        problems.append(f"REDIS_URL must start with redis://, rediss:// or unix://, got {redact_url(settings.redis_url)!r}")
    if not settings.local:
        if not settings.public_url:
            problems.append("IVR_PUBLIC_URL is required in production: signatures are checked against it, "
                              "never against a host the client names (like https://line.example.org)")
        elif urlparse(settings.public_url).scheme != "https" and not settings.allow_http:
            problems.append("IVR_PUBLIC_URL must be https:// in production (set IVR_ALLOW_HTTP=1 to accept "
                              "http, only behind a trusted network)")
        if not settings.redis_url and settings.redis_mode != "sentinel":
            problems.append("REDIS_URL is required in production: the in-process store is for one local process")
        if not settings.org_phone:
            problems.append("IVR_ORG_PHONE is required in production: HELP tells patients whom to call")
    if not settings.locales:
        problems.append("IVR_LOCALES must name at least one locale, like en,es")
    if settings.default_locale not in settings.locales:
        problems.append(f"IVR_DEFAULT_LOCALE {settings.default_locale!r} must be one of IVR_LOCALES {settings.locales}")
    if not 1 <= settings.sms_max_segments <= 10:
        problems.append("IVR_SMS_MAX_SEGMENTS must be between 1 and 10")
    unknown = tuple(code for code in settings.sms_plain_locales if code not in settings.locales)
    if unknown:
        problems.append(f"IVR_SMS_PLAIN_LOCALES must name locales of IVR_LOCALES {settings.locales}, got {unknown}")
    other_script = tuple(code for code in settings.sms_plain_locales if code in settings.locales and not latin_script(code))
    if other_script:
        problems.append(f"IVR_SMS_PLAIN_LOCALES may only name languages written in the Latin alphabet (plain texts "
                        f"drop accents, they do not transliterate), got {other_script}")
    if settings.place_ttl < 60 or settings.profile_ttl < settings.place_ttl:
        problems.append("IVR_PLACE_TTL must be at least 60 seconds and IVR_PROFILE_TTL at least as long")
    if settings.outbox not in ("", "rq", "thread"):
        problems.append(f"IVR_OUTBOX must be 'rq' or 'thread', got {settings.outbox!r}")
    if settings.outbox == "rq" and not settings.has_redis:
        problems.append("IVR_OUTBOX=rq needs REDIS_URL")
    if not 0 <= settings.texts_per_day <= 50:
        problems.append("IVR_TEXTS_PER_DAY must be between 0 and 50")
    if settings.transfer_number and not E164.match(settings.transfer_number):
        problems.append(f"IVR_TRANSFER_NUMBER must be an E.164 number like +14125550100, "
                          f"got {settings.transfer_number!r}")
    if not 5 <= settings.transfer_timeout <= 60:
        problems.append("IVR_TRANSFER_TIMEOUT must be between 5 and 60 seconds")
    if settings.simulator_password and len(settings.simulator_password) < 12:
        problems.append("IVR_SIMULATOR_PASSWORD must be at least 12 characters")
    if settings.account_sid and not settings.account_sid.startswith("AC"):
        problems.append("TWILIO_ACCOUNT_SID must start with AC")
    if not DIALLABLE.match(settings.emergency_number):
        problems.append(f"IVR_EMERGENCY_NUMBER must be a number to dial, in ASCII digits (like 911 or 112), "
                          f"got {settings.emergency_number!r}")
    if settings.crisis_line and not DIALLABLE.match(settings.crisis_line):
        problems.append(f"IVR_CRISIS_LINE must be a number to dial in ASCII digits (like 988), or empty, "
                          f"got {settings.crisis_line!r}")
    if len(settings.org_hours) > 60:
        problems.append("IVR_ORG_HOURS must be short (at most 60 characters): it goes into text messages")
    if settings.redis_mode not in ("single", "sentinel", "cluster"):
        problems.append(f"IVR_REDIS_MODE must be 'single', 'sentinel' or 'cluster', got {settings.redis_mode!r}")
    if settings.redis_mode == "cluster" and not settings.redis_url:
        problems.append("IVR_REDIS_MODE=cluster needs REDIS_URL naming any node of the cluster, like redis://10.0.0.1:6379")
    if settings.queue_url and urlparse(settings.queue_url).scheme not in ("redis", "rediss", "unix"):
        problems.append(f"IVR_QUEUE_URL must start with redis://, rediss:// or unix://, got {redact_url(settings.queue_url)!r}")
    if settings.outbox == "rq" and settings.redis_mode == "cluster" and not settings.queue_url:
        problems.append("IVR_OUTBOX=rq with IVR_REDIS_MODE=cluster needs IVR_QUEUE_URL: RQ cannot queue on a cluster")
    if settings.redis_mode == "sentinel":
        if not settings.redis_sentinels:
            problems.append("IVR_REDIS_SENTINELS is required with IVR_REDIS_MODE=sentinel, like host1:26379,host2:26379")
        elif not re.match(r"^[\w.-]+:\d+(,\s*[\w.-]+:\d+)*$", settings.redis_sentinels):
            problems.append(f"IVR_REDIS_SENTINELS must be host:port pairs separated by commas, "
                            f"got {settings.redis_sentinels!r}")
    if settings.caller_id_without_stir not in ("new", "trust"):
        problems.append(f"IVR_CALLER_ID_WITHOUT_STIR must be 'new' or 'trust', got {settings.caller_id_without_stir!r}")
    if any(not re.match(r"^[A-Za-z]{2}$", code) for code in settings.text_countries):
        problems.append(f"IVR_TEXT_COUNTRIES must be two-letter country codes like US,CA, got {settings.text_countries}")
    if not 0 <= settings.texts_per_day_total <= 1_000_000:
        problems.append("IVR_TEXTS_PER_DAY_TOTAL must be between 0 and 1000000")
    if settings.report_password and len(settings.report_password) < 12:
        problems.append("IVR_REPORT_PASSWORD must be at least 12 characters")
    if settings.metrics_token and len(settings.metrics_token) < 16:
        problems.append("IVR_METRICS_TOKEN must be at least 16 characters")
    if not 1 <= settings.report_ttl <= 3650:
        problems.append("IVR_REPORT_TTL must be between 1 and 3650 days")
    if not 1 <= settings.sms_per_window <= 1000:
        problems.append("IVR_SMS_RATE_LIMIT must be between 1 and 1000")
    if not 0.05 <= settings.redis_timeout <= 5:
        problems.append("IVR_REDIS_TIMEOUT must be between 0.05 and 5 seconds")
    if problems:
        raise ConfigError("\n".join(problems))
