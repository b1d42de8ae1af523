"""All configuration, read from the environment in one place."""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = ROOT / "var"
DEFAULT_GUIDE_DIR = ROOT / "knowledge" / "guide"
WECHAT_API_BASE = "https://api.weixin.qq.com/cgi-bin/"
ENVIRONMENTS = ("development", "test", "production")

# What a development setup uses when a variable is not set; production must set them all.
DEV_DEFAULTS: dict[str, str] = {
    "LINLI_WECHAT_TOKEN": "linli-dev-token",
    "LINLI_WECHAT_APPID": "wx-linli-dev",
    "LINLI_WECHAT_SECRET": "linli-dev-secret",
    "LINLI_WECHAT_API_BASE": "http://127.0.0.1:8001/cgi-bin/",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
SIMULATOR_IN_PRODUCTION = "yes-i-know"
"""The value LINLI_SIMULATOR_IN_PRODUCTION must have for LINLI_SIMULATOR=on in production."""
REQUIRED_IN_PRODUCTION = (
    "LINLI_WECHAT_TOKEN", "LINLI_WECHAT_APPID", "LINLI_WECHAT_SECRET", "REDIS_URL", "DATABASE_URL",
    "LINLI_SECRET_KEY",
)


class SettingsError(ValueError):
    """A variable is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Linli's configuration; build it with `Settings.from_env()` or directly in tests."""

    wechat_token: str
    wechat_appid: str
    wechat_secret: str
    wechat_aes_key: str | None = None
    wechat_api_base: str = WECHAT_API_BASE
    redis_url: str = "redis://127.0.0.1:6379/0"
    database_url: str = f"sqlite:///{VAR_DIR / 'linli.db'}"
    guide_dir: Path = DEFAULT_GUIDE_DIR
    environment: str = "development"
    max_clock_skew: int = 300
    max_body_bytes: int = 64 * 1024
    dedup_seconds: int = 24 * 3600
    session_seconds: int = 30 * 60
    queue_name: str = "linli"
    accept_reminder_hours: float = 2.0
    secret_key: str = "linli-dev-secret-key"
    is_simulator_on: bool = True
    web_port: int = 8000
    """The port this server's webhook listens on (LINLI_PORT): the simulator posts there."""
    trusted_proxies: int = 0
    """How many reverse proxies in front may set X-Forwarded-For (LINLI_TRUSTED_PROXIES)."""
    template_id: str | None = None
    compatible_mode: bool = False
    """With an EncodingAESKey, also accept plaintext callbacks (WeChat's 兼容模式, a migration
    step; LINLI_WECHAT_COMPATIBLE_MODE). Off: safe mode means encrypted only."""
    rate_limit: int = 20
    """New messages one sender may send a minute before a polite 'slow down' (LINLI_RATE_LIMIT)."""
    meaning_layer: bool = True
    """Fuse the sentence-embedding model with the lexical matcher (LINLI_MEANING_LAYER)."""
    cache_dir: Path = VAR_DIR / "cache"
    """Where derived files (the guide's embeddings) are kept between starts (LINLI_CACHE_DIR)."""
    defaulted: tuple[str, ...] = field(default=())

    @property
    def is_safe_mode(self) -> bool:
        """True when an EncodingAESKey is configured (WeChat's 安全模式)."""
        return self.wechat_aes_key is not None

    @property
    def is_development(self) -> bool:
        """True for the development setup that `make run` starts with no configuration."""
        return self.environment == "development"

    def with_changes(self, **changes: Any) -> Settings:
        """Return a copy with some fields replaced (for tests and tools)."""
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from the environment, failing with the name of a bad variable."""
        env = dict(os.environ if environ is None else environ)
        environment = env.get("LINLI_ENV", "development").strip() or "development"
        if environment not in ENVIRONMENTS:
            raise SettingsError(f"LINLI_ENV must be one of {', '.join(ENVIRONMENTS)}, "
                                f"not '{environment}'")
        defaulted: list[str] = []
        if environment == "production":
            missing = [name for name in REQUIRED_IN_PRODUCTION if not env.get(name, "").strip()]
            if missing:
                raise SettingsError(f"missing required variable(s) in production: "
                                    f"{', '.join(missing)}")
            _refuse_weak_secrets(env)
        else:
            for name, value in DEV_DEFAULTS.items():
                if not env.get(name, "").strip():
                    env[name] = value
                    defaulted.append(name)
        return cls(
            wechat_token=_token(env["LINLI_WECHAT_TOKEN"]),
            wechat_appid=env["LINLI_WECHAT_APPID"].strip(),
            wechat_secret=env["LINLI_WECHAT_SECRET"].strip(),
            wechat_aes_key=_aes_key(env.get("LINLI_WECHAT_AES_KEY", "")),
            wechat_api_base=_url("LINLI_WECHAT_API_BASE",
                                 env.get("LINLI_WECHAT_API_BASE", WECHAT_API_BASE),
                                 ("http", "https"), trailing_slash=True),
            redis_url=_url("REDIS_URL", env["REDIS_URL"], ("redis", "rediss", "unix")),
            database_url=_database_url(env.get("DATABASE_URL", "")),
            guide_dir=_directory("LINLI_GUIDE_DIR", env.get("LINLI_GUIDE_DIR", "")),
            environment=environment,
            max_clock_skew=_int(env, "LINLI_MAX_CLOCK_SKEW", 300),
            max_body_bytes=_int(env, "LINLI_MAX_BODY_BYTES", 64 * 1024),
            accept_reminder_hours=_int(env, "LINLI_ACCEPT_REMINDER_HOURS", 2),
            template_id=env.get("LINLI_WECHAT_TEMPLATE_ID", "").strip() or None,
            secret_key=_secret_key(env.get("LINLI_SECRET_KEY", ""), environment),
            is_simulator_on=_simulator(env, environment),
            web_port=_int(env, "LINLI_PORT", 8000),
            trusted_proxies=_int(env, "LINLI_TRUSTED_PROXIES", 0, minimum=0),
            compatible_mode=_flag(env, "LINLI_WECHAT_COMPATIBLE_MODE", False),
            rate_limit=_int(env, "LINLI_RATE_LIMIT", 20),
            meaning_layer=_flag(env, "LINLI_MEANING_LAYER", True),
            cache_dir=Path(env.get("LINLI_CACHE_DIR", "").strip() or VAR_DIR / "cache"),
            defaulted=tuple(defaulted),
        )


DEV_SECRETS = {*DEV_DEFAULTS.values(), "linli-dev-secret-key"}
"""Published in this repository: never a production secret."""
MIN_SECRET_KEY = 32
"""Characters of LINLI_SECRET_KEY in production: it signs console sessions."""
MIN_DISTINCT = 10
"""Distinct characters a production secret must have (aaaa... or 1212... are guessable)."""
SECRETS = ("LINLI_SECRET_KEY", "LINLI_WECHAT_TOKEN", "LINLI_WECHAT_SECRET", "LINLI_WECHAT_AES_KEY")


def _refuse_weak_secrets(env: Mapping[str, str]) -> None:
    """Refuse a production start with a development default, a short or a low-entropy secret."""
    for name in SECRETS:
        value = env.get(name, "").strip()
        if not value:
            continue  # required ones were checked; the AES key is optional
        if value in DEV_SECRETS or value.startswith("linli-dev"):
            raise SettingsError(f"{name} is a development default published in the code; "
                                "production needs its own secret")
        if len(set(value)) < MIN_DISTINCT:
            raise SettingsError(f"{name} is too simple (fewer than {MIN_DISTINCT} different "
                                "characters): use a random value")
    if len(env["LINLI_SECRET_KEY"].strip()) < MIN_SECRET_KEY:
        raise SettingsError(f"LINLI_SECRET_KEY must be at least {MIN_SECRET_KEY} random "
                            "characters in production (e.g. python -c 'import secrets; "
                            "print(secrets.token_urlsafe(32))')")
    if env.get("LINLI_WECHAT_APPID", "").strip() in DEV_SECRETS:
        raise SettingsError("LINLI_WECHAT_APPID is the development default; use the account's")


def _secret_key(value: str, environment: str) -> str:
    value = value.strip()
    if not value:
        if environment == "production":
            raise SettingsError("LINLI_SECRET_KEY is required in production (it signs console "
                                "sessions): use 32 or more random characters")
        return "linli-dev-secret-key"
    if len(value) < 16:
        raise SettingsError("LINLI_SECRET_KEY must be at least 16 characters")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise SettingsError(f"{name} must be on or off, not '{raw}'")
    return raw in ("1", "true", "yes", "on")


def _simulator(env: Mapping[str, str], environment: str) -> bool:
    is_on = _flag(env, "LINLI_SIMULATOR", environment != "production")
    # The simulator signs callbacks with the real Token: in production only on purpose, twice.
    if is_on and environment == "production" and \
            env.get("LINLI_SIMULATOR_IN_PRODUCTION", "").strip() != SIMULATOR_IN_PRODUCTION:
        raise SettingsError("LINLI_SIMULATOR=on is refused in production; set "
                            f"LINLI_SIMULATOR_IN_PRODUCTION={SIMULATOR_IN_PRODUCTION} as well "
                            "if you really mean it")
    return is_on


def _token(value: str) -> str:
    value = value.strip()
    # WeChat's console accepts 3-32 letters and digits for the Token.
    if not (3 <= len(value) <= 32) or not re.fullmatch(r"[A-Za-z0-9_-]+", value):
        raise SettingsError("LINLI_WECHAT_TOKEN must be 3-32 English letters or digits")
    return value


def _aes_key(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        raw = base64.b64decode(value + "=", validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(value) != 43 or len(raw) != 32:
        raise SettingsError("LINLI_WECHAT_AES_KEY must be the 43-character EncodingAESKey "
                            "from the WeChat console")
    return value


def _url(name: str, value: str, schemes: tuple[str, ...], trailing_slash: bool = False) -> str:
    value = value.strip()
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not (parsed.netloc or parsed.path):
        # Only the scheme is echoed: the rest may hold a password.
        raise SettingsError(f"{name} must be a {'/'.join(schemes)} URL, not "
                            f"'{parsed.scheme or value[:8]}:...'")
    if trailing_slash and not value.endswith("/"):
        value += "/"
    return value


def _database_url(value: str) -> str:
    value = value.strip()
    if not value:
        VAR_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{VAR_DIR / 'linli.db'}"
    if value.startswith("postgres://"):
        # Heroku-style URLs name a scheme SQLAlchemy no longer accepts.
        value = "postgresql://" + value[len("postgres://"):]
    if value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://"):]
    if not value.startswith(("sqlite:", "postgresql+psycopg:")):
        raise SettingsError(f"DATABASE_URL must be a sqlite:/// or postgresql:// URL, "
                            f"not '{value.split(':', 1)[0]}:...'")
    return value


def _directory(name: str, value: str) -> Path:
    if not value.strip():
        return DEFAULT_GUIDE_DIR
    path = Path(value.strip())
    if not path.is_dir():
        raise SettingsError(f"{name} must name a folder; '{path}' is not one")
    return path


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not '{raw}'") from None
    if value < minimum:
        raise SettingsError(f"{name} must be above zero" if minimum == 1
                            else f"{name} must be at least {minimum}")
    return value
