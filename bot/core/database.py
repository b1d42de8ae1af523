"""Connecting to the database and migrating it with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

import bot.schema  # noqa: F401 - every table known before the first flush (a contract exception)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
CONNECT_SECONDS = 2
"""A database that does not answer the connection within this is down for this request: the
webhook has 5 s in all (WeChat's limit) and must still apologise in time."""
STATEMENT_MS = 3000
"""PostgreSQL cancels a statement (or a wait for a lock) running longer than this."""
POOL_WAIT_SECONDS = 2
"""How long a request waits for a free pooled connection."""


def _connect_args(url: str) -> dict[str, object]:
    if url.startswith("sqlite"):
        return {"timeout": CONNECT_SECONDS}  # how long to wait for another writer's lock
    return {"connect_timeout": CONNECT_SECONDS,
            "options": f"-c statement_timeout={STATEMENT_MS} -c lock_timeout={STATEMENT_MS}"}


class Database:
    """An engine and its session factory for one DATABASE_URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, pool_pre_ping=True, pool_timeout=POOL_WAIT_SECONDS,
                                            connect_args=_connect_args(url))
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        """Open a new session (use it as a context manager)."""
        return self.sessions()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def alembic_config(url: str) -> Config:
    """Return an Alembic configuration that migrates the database at URL."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    """Create or migrate the database at URL to REVISION."""
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)
