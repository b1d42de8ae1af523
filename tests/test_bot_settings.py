"""Settings.from_env: development defaults, production requirements, malformed variables named."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.settings import (
    DEFAULT_GUIDE_DIR,
    DEV_DEFAULTS,
    REQUIRED_IN_PRODUCTION,
    Settings,
    SettingsError,
)

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
PRODUCTION: dict[str, str] = {
    "LINLI_ENV": "production",
    "LINLI_WECHAT_TOKEN": "prodToken42",
    "LINLI_WECHAT_APPID": "wx1234567890abcdef",
    "LINLI_WECHAT_SECRET": "0123456789abcdef0123456789abcdef",
    "REDIS_URL": "redis://redis.internal:6379/1",
    "DATABASE_URL": "postgresql://linli@db.internal/linli",
    "LINLI_SECRET_KEY": "a-long-random-console-session-key",
}


def test_an_empty_environment_gives_the_development_setup_and_lists_every_default() -> None:
    settings = Settings.from_env({})
    assert settings.environment == "development"
    assert settings.is_development
    assert set(settings.defaulted) == set(DEV_DEFAULTS)
    assert settings.wechat_token == DEV_DEFAULTS["LINLI_WECHAT_TOKEN"]
    assert settings.wechat_appid == DEV_DEFAULTS["LINLI_WECHAT_APPID"]
    assert settings.wechat_secret == DEV_DEFAULTS["LINLI_WECHAT_SECRET"]
    assert settings.wechat_api_base == DEV_DEFAULTS["LINLI_WECHAT_API_BASE"]
    assert settings.redis_url == DEV_DEFAULTS["REDIS_URL"]
    assert settings.database_url.startswith("sqlite:///")
    assert settings.guide_dir == DEFAULT_GUIDE_DIR
    assert settings.wechat_aes_key is None and not settings.is_safe_mode
    assert (settings.max_clock_skew, settings.max_body_bytes) == (300, 64 * 1024)


def test_an_environment_variable_overrides_its_development_default() -> None:
    settings = Settings.from_env({"LINLI_WECHAT_TOKEN": "myOwnToken",
                                  "REDIS_URL": "redis://10.0.0.5:6380/2"})
    assert settings.wechat_token == "myOwnToken"
    assert settings.redis_url == "redis://10.0.0.5:6380/2"
    assert "LINLI_WECHAT_TOKEN" not in settings.defaulted
    assert "REDIS_URL" not in settings.defaulted
    assert "LINLI_WECHAT_APPID" in settings.defaulted


def test_a_blank_variable_counts_as_unset_in_development() -> None:
    settings = Settings.from_env({"LINLI_WECHAT_TOKEN": "   "})
    assert settings.wechat_token == DEV_DEFAULTS["LINLI_WECHAT_TOKEN"]
    assert "LINLI_WECHAT_TOKEN" in settings.defaulted


def test_a_complete_production_environment_loads_with_nothing_defaulted() -> None:
    settings = Settings.from_env({**PRODUCTION, "LINLI_WECHAT_AES_KEY": AES_KEY,
                                  "LINLI_MAX_CLOCK_SKEW": "60"})
    assert settings.environment == "production" and not settings.is_development
    assert settings.defaulted == ()
    assert settings.wechat_api_base == "https://api.weixin.qq.com/cgi-bin/"
    assert settings.database_url == "postgresql+psycopg://linli@db.internal/linli"
    assert settings.is_safe_mode and settings.wechat_aes_key == AES_KEY
    assert settings.max_clock_skew == 60


def test_production_with_nothing_set_names_every_required_variable() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"LINLI_ENV": "production"})
    for name in REQUIRED_IN_PRODUCTION:
        assert name in str(caught.value)


@pytest.mark.parametrize("name", REQUIRED_IN_PRODUCTION)
def test_production_missing_one_variable_names_that_variable_and_no_other(name: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != name}
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    message = str(caught.value)
    assert name in message
    assert [other for other in REQUIRED_IN_PRODUCTION if other in message] == [name]


def test_production_missing_two_variables_names_both() -> None:
    env = {**PRODUCTION, "LINLI_WECHAT_SECRET": " ", "DATABASE_URL": ""}
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert "LINLI_WECHAT_SECRET" in str(caught.value)
    assert "DATABASE_URL" in str(caught.value)


def test_production_never_falls_back_to_the_development_token() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "LINLI_WECHAT_TOKEN"}
    with pytest.raises(SettingsError, match="LINLI_WECHAT_TOKEN"):
        Settings.from_env(env)


@pytest.mark.parametrize(("name", "value"), [
    ("LINLI_WECHAT_AES_KEY", AES_KEY[:-1]),  # 42 characters
    ("LINLI_WECHAT_AES_KEY", AES_KEY + "H"),  # 44 characters
    ("LINLI_WECHAT_AES_KEY", "!" * 43),  # right length, not base64
    ("REDIS_URL", "http://127.0.0.1:6379/0"),
    ("DATABASE_URL", "mysql://linli@127.0.0.1/linli"),
    ("LINLI_MAX_CLOCK_SKEW", "abc"),
    ("LINLI_MAX_CLOCK_SKEW", "0"),
    ("LINLI_MAX_BODY_BYTES", "64k"),
    ("LINLI_ENV", "staging"),
    ("LINLI_WECHAT_TOKEN", "my token"),
    ("LINLI_WECHAT_TOKEN", "ab"),
    ("LINLI_WECHAT_TOKEN", "t" * 33),
    ("LINLI_WECHAT_API_BASE", "ftp://api.weixin.qq.com/cgi-bin/"),
])
def test_a_malformed_variable_stops_start_up_naming_it(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({name: value})
    assert name in str(caught.value)


def test_a_malformed_variable_is_named_in_production_too() -> None:
    with pytest.raises(SettingsError, match="REDIS_URL"):
        Settings.from_env({**PRODUCTION, "REDIS_URL": "http://redis.internal:6379/1"})


def test_a_guide_dir_that_is_a_file_is_named(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "guide.yaml"
    not_a_folder.write_text("items: []\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="LINLI_GUIDE_DIR"):
        Settings.from_env({"LINLI_GUIDE_DIR": str(not_a_folder)})


def test_a_guide_dir_that_does_not_exist_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="LINLI_GUIDE_DIR"):
        Settings.from_env({"LINLI_GUIDE_DIR": str(tmp_path / "missing")})


def test_a_guide_dir_that_is_a_folder_is_used(tmp_path: Path) -> None:
    assert Settings.from_env({"LINLI_GUIDE_DIR": str(tmp_path)}).guide_dir == tmp_path


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://linli:pw@db:5432/linli", "postgresql+psycopg://linli:pw@db:5432/linli"),
    ("postgresql://linli@db/linli", "postgresql+psycopg://linli@db/linli"),
    ("postgresql+psycopg://linli@db/linli", "postgresql+psycopg://linli@db/linli"),
    ("sqlite:////srv/linli/linli.db", "sqlite:////srv/linli/linli.db"),
])
def test_database_urls_are_normalised_for_sqlalchemy(given: str, expected: str) -> None:
    assert Settings.from_env({"DATABASE_URL": given}).database_url == expected


def test_a_database_url_error_does_not_echo_the_password() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"DATABASE_URL": "mysql://linli:s3cret-pw@db/linli"})
    assert "DATABASE_URL" in str(caught.value)
    assert "s3cret-pw" not in str(caught.value)


def test_a_redis_url_error_does_not_echo_the_password() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"REDIS_URL": "redis-sentinel://:s3cret-pw@redis.internal:26379"})
    assert "REDIS_URL" in str(caught.value)
    assert "s3cret-pw" not in str(caught.value)


def test_the_api_base_gets_a_trailing_slash() -> None:
    settings = Settings.from_env({"LINLI_WECHAT_API_BASE": "http://127.0.0.1:9000/cgi-bin"})
    assert settings.wechat_api_base == "http://127.0.0.1:9000/cgi-bin/"


def test_surrounding_whitespace_is_trimmed() -> None:
    settings = Settings.from_env({"LINLI_WECHAT_TOKEN": " spacedToken ",
                                  "LINLI_WECHAT_AES_KEY": f" {AES_KEY}\n",
                                  "LINLI_MAX_CLOCK_SKEW": " 120 "})
    assert settings.wechat_token == "spacedToken"
    assert settings.wechat_aes_key == AES_KEY
    assert settings.max_clock_skew == 120


def test_the_test_environment_also_gets_development_defaults() -> None:
    settings = Settings.from_env({"LINLI_ENV": "test"})
    assert settings.environment == "test"
    assert set(settings.defaulted) == set(DEV_DEFAULTS)


def test_with_changes_returns_a_copy() -> None:
    settings = Settings.from_env({})
    changed = settings.with_changes(max_clock_skew=5)
    assert (changed.max_clock_skew, settings.max_clock_skew) == (5, 300)


@pytest.mark.parametrize(("name", "value", "says"), [
    ("LINLI_SECRET_KEY", "linli-dev-secret-key", "development default"),
    ("LINLI_WECHAT_TOKEN", "linli-dev-token", "development default"),
    ("LINLI_WECHAT_SECRET", "linli-dev-secret", "development default"),
    ("LINLI_SECRET_KEY", "0123456789abcdef", "at least 32"),  # 16 characters: forgeable
    ("LINLI_SECRET_KEY", "ab" * 20, "too simple"),
    ("LINLI_WECHAT_TOKEN", "aaaaaaaaaaaa", "too simple"),
    ("LINLI_WECHAT_APPID", "wx-linli-dev", "development default"),
])
def test_production_refuses_a_published_short_or_simple_secret_naming_it(
        name: str, value: str, says: str) -> None:
    with pytest.raises(SettingsError, match=says) as refused:
        Settings.from_env({**PRODUCTION, name: value})
    assert name in str(refused.value) and value not in str(refused.value)


def test_development_still_starts_with_the_published_defaults() -> None:
    assert Settings.from_env({}).secret_key == "linli-dev-secret-key"


def test_the_simulator_is_refused_in_production_without_a_second_switch() -> None:
    assert not Settings.from_env(PRODUCTION).is_simulator_on
    with pytest.raises(SettingsError, match="LINLI_SIMULATOR"):
        Settings.from_env({**PRODUCTION, "LINLI_SIMULATOR": "on"})
    with pytest.raises(SettingsError, match="LINLI_SIMULATOR_IN_PRODUCTION"):
        Settings.from_env({**PRODUCTION, "LINLI_SIMULATOR": "on",
                           "LINLI_SIMULATOR_IN_PRODUCTION": "yes"})
    meant = Settings.from_env({**PRODUCTION, "LINLI_SIMULATOR": "on",
                               "LINLI_SIMULATOR_IN_PRODUCTION": "yes-i-know"})
    assert meant.is_simulator_on
    assert Settings.from_env({"LINLI_SIMULATOR": "on"}).is_simulator_on  # development: fine


def test_trusted_proxies_default_to_none_and_must_be_a_count() -> None:
    assert Settings.from_env({}).trusted_proxies == 0
    assert Settings.from_env({"LINLI_TRUSTED_PROXIES": "0"}).trusted_proxies == 0
    assert Settings.from_env({"LINLI_TRUSTED_PROXIES": "2"}).trusted_proxies == 2
    for bad in ("-1", "one"):
        with pytest.raises(SettingsError, match="LINLI_TRUSTED_PROXIES"):
            Settings.from_env({"LINLI_TRUSTED_PROXIES": bad})
