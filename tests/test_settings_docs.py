"""The settings table in the README, docker compose and the code say the same thing."""
from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import yaml

from ivr.config import ENVIRONMENT, Settings

ROOT = Path(__file__).resolve().parent.parent


def readme_variables() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Configuration"):text.index("## Connecting a real Twilio number")]
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", table, flags=re.M))


def test_the_readme_table_lists_every_setting_and_only_those():
    assert readme_variables() == set(ENVIRONMENT)


def test_every_setting_is_read_from_the_environment():
    assert set(ENVIRONMENT.values()) == {field.name for field in fields(Settings)}


def test_compose_passes_every_setting_and_keeps_the_codes_defaults():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    for name in ("app", "worker"):
        service = {**compose["x-infoline"], **compose["services"][name]}
        assert any(entry.get("path") == ".env" for entry in service["env_file"])  # every variable reaches it
        # Nothing but the mode and the compose network's Redis is set here: defaults come from the code.
        assert set(service["environment"]) <= {"IVR_MODE", "REDIS_URL"}
    assert "8000:8000" not in str(compose["services"]["app"])  # only through the buffering proxy


def test_the_ha_profile_runs_two_apps_on_sentinel_and_the_default_stack_stays_single():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    ha = {name for name, service in services.items() if "ha" in service.get("profiles", [])}
    assert {"ha-proxy", "ha-app-a", "ha-app-b", "ha-worker", "ha-redis-primary", "ha-redis-replica",
            "ha-sentinel-1", "ha-sentinel-2", "ha-sentinel-3"} == ha
    assert not {"proxy", "app", "worker", "redis"} & ha  # `docker compose up` alone: the one-Redis stack
    for name in ("ha-app-a", "ha-app-b", "ha-worker"):
        environment = services[name]["environment"]
        assert environment["IVR_REDIS_MODE"] == "sentinel" and environment["IVR_REDIS_SENTINELS"].count(",") == 2
        assert any(entry.get("path") == ".env" for entry in services[name]["env_file"])
    for n in (1, 2, 3):
        assert "sentinel monitor mymaster ha-redis-primary 6379 2" in services[f"ha-sentinel-{n}"]["entrypoint"][2]
    conf = (ROOT / "deploy" / "nginx-ha.conf").read_text(encoding="utf-8")
    assert "server ha-app-a:8000;" in conf and "server ha-app-b:8000;" in conf
