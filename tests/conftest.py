"""Shared fixtures: a real Redis and database, the fake WeChat API, the app and a WeChat signer."""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import SimpleWorker
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError
from werkzeug.test import TestResponse

from bot import create_app
from bot.core.database import upgrade_database
from bot.core.local_redis import answers, start_private_redis
from bot.core.services import Services, install_services
from bot.core.settings import Settings
from bot.schema import METADATA
from bot.wechat.fake_api import FakeWeChatServer, serve_fake_wechat
from bot.wechat.protocol import SafeMode, callback_xml, parse_xml, sign_query, wrap_for_wechat

if TYPE_CHECKING:
    from tests.dialogue import Dialogue

REDIS_URL = os.environ.get("LINLI_TEST_REDIS_URL", "")
"""A Redis database to use as it is; unset, each run claims a free database of the local Redis."""
LOCAL_REDIS = "redis://127.0.0.1:6379/{db}"
PG_URL = os.environ.get("LINLI_TEST_PG_URL", "")
"""A PostgreSQL database to use as it is; unset, each run creates its own beside PG_SERVER's."""
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RUN_CLAIM_KEY = "linli:test-run:{db}"
"""Key in Redis database 0 by which a test run holds database {db} (1-15) for itself."""
RUN_CLAIM_SECONDS = 3 * 3600
"""A claim outlives the longest run, and frees itself should a run be killed."""
RUN_ID = f"{os.getpid()}-{secrets.token_hex(3)}"
TOKEN, APPID, ACCOUNT = "test-token", "wx-test-appid", "gh_test_account"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def pytest_configure(config: pytest.Config) -> None:
    """Declare the markers the suite uses."""
    config.addinivalue_line("markers", "slow: end-to-end tests with real processes")


def _reset_tables(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for table in reversed(METADATA.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


def _fresh_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            names = inspect(conn).get_table_names()
            for table in reversed(METADATA.sorted_tables):
                if table.name in names:
                    conn.execute(text(f'DROP TABLE "{table.name}" CASCADE'))
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()


def _own_postgres() -> Iterator[str]:
    """Yield a PostgreSQL database created for this run alone, dropped when it ends."""
    if PG_URL:
        _fresh_postgres(PG_URL)
        yield PG_URL
        return
    name = f"linli_test_{RUN_ID.replace('-', '_')}"
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
        with server.connect() as conn:  # FORCE: the app's pools may still hold connections
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        server.dispose()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str | None]]:
    """Migrate a SQLite file and, when it answers, a PostgreSQL database of this run's own."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'linli.db'}"
    upgrade_database(sqlite_url)
    databases = _own_postgres()
    pg_url: str | None
    try:
        pg_url = next(databases)
        upgrade_database(pg_url)
    except OperationalError:
        if os.environ.get("CI"):
            raise  # CI must test PostgreSQL, never skip it quietly
        pg_url = None
    yield {"sqlite": sqlite_url, "postgresql": pg_url}
    if pg_url is not None:
        next(databases, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, migrated: dict[str, str | None]) -> Iterator[str]:
    """Yield an empty, migrated database: each test runs on SQLite and on PostgreSQL."""
    url = migrated[request.param]
    if url is None:
        pytest.skip("PostgreSQL is not reachable")
    _reset_tables(url)
    yield url
    _reset_tables(url)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield the test Redis: a database of the local one on 6379 that this run claimed for
    itself (two runs at once never share one), or a private server when none answers."""
    if REDIS_URL and answers(REDIS_URL):
        yield REDIS_URL
        return
    if not REDIS_URL and answers(LOCAL_REDIS.format(db=0)):
        claims = Redis.from_url(LOCAL_REDIS.format(db=0))
        for db in range(1, 16):
            key = RUN_CLAIM_KEY.format(db=db)
            if claims.set(key, RUN_ID, nx=True, ex=RUN_CLAIM_SECONDS):
                yield LOCAL_REDIS.format(db=db)
                if claims.get(key) == RUN_ID.encode():
                    claims.delete(key)
                claims.close()
                return
        claims.close()
        pytest.fail("every Redis database 1-15 is claimed by another test run "
                    f"(keys {RUN_CLAIM_KEY.format(db='*')} in database 0)")
    private = start_private_redis(tmp_path_factory.mktemp("redis"))
    yield private.url + "?db=9"
    private.stop()


@pytest.fixture
def redis(redis_url: str) -> Iterator[Redis]:
    """Yield a client on an empty Redis database, flushed before and after."""
    client = Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeWeChatServer]:
    """Serve the fake WeChat API for the whole session."""
    server = serve_fake_wechat()
    yield server
    server.shutdown()


@pytest.fixture
def fake_wechat(fake_server: FakeWeChatServer) -> FakeWeChatServer:
    """Return the fake WeChat API with no calls recorded."""
    fake_server.reset()
    return fake_server


@pytest.fixture
def settings(database_url: str, redis: Redis, redis_url: str,
             fake_wechat: FakeWeChatServer) -> Settings:
    """Return test settings on the real Redis, the database and the fake WeChat API."""
    return Settings(
        wechat_token=TOKEN, wechat_appid=APPID, wechat_secret="test-secret",
        wechat_api_base=fake_wechat.base_url, redis_url=redis_url, database_url=database_url,
        environment="test",
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    """Yield the application under test."""
    application = create_app(settings)
    yield application
    services: Services = application.extensions["linli.services"]
    services.db.dispose()
    install_services(None)


@pytest.fixture
def services(app: Flask) -> Services:
    """Return the app's services."""
    return app.extensions["linli.services"]  # type: ignore[no-any-return]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client of the app."""
    return app.test_client()


_msg_ids = itertools.count(10_000_000)


@dataclass
class WeChat:
    """Sends callbacks to the webhook exactly as WeChat's servers sign (and encrypt) them."""

    client: FlaskClient
    safe: SafeMode | None = None
    account: str = ACCOUNT
    last: TestResponse | None = field(default=None)

    def post(self, xml: str, query: dict[str, str] | None = None) -> TestResponse:
        """Post raw XML with a valid signature (or QUERY as given)."""
        query = query if query is not None else sign_query(TOKEN)
        if self.safe and "encrypt_type" not in query:
            xml, query = wrap_for_wechat(self.safe, xml, query)
        self.last = self.client.post("/wechat", query_string=query, data=xml.encode("utf-8"),
                                     content_type="text/xml")
        return self.last

    def reply_of(self, response: TestResponse) -> dict[str, Any]:
        """Return the reply's fields, decrypted when the exchange is in safe mode."""
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_data()
        if body in (b"", b"success"):
            return {}
        fields = parse_xml(body)
        if self.safe:
            fields = self.safe.open(fields, {"msg_signature": str(fields["MsgSignature"]),
                                             "timestamp": str(fields["TimeStamp"]),
                                             "nonce": str(fields["Nonce"])})
        return fields

    def send(self, kind: str, openid: str = "o-resident-1", msg_id: int | None = None,
             create_time: int | None = None, **fields: Any) -> str:
        """Send one message and return the reply's text ('' for no reply)."""
        if kind != "event":
            fields["MsgId"] = msg_id if msg_id is not None else next(_msg_ids)
        xml = callback_xml(kind, openid, self.account, create_time=create_time, **fields)
        return str(self.reply_of(self.post(xml)).get("Content", ""))

    def say(self, content: str, openid: str = "o-resident-1", **kw: Any) -> str:
        """Send a text message and return the reply's text."""
        return self.send("text", openid=openid, Content=content, **kw)


@pytest.fixture
def wechat(client: FlaskClient) -> WeChat:
    """Return a WeChat signer talking to the app in plaintext mode."""
    return WeChat(client)


@pytest.fixture
def run_jobs(services: Services) -> Any:
    """Return a function that runs every queued job with a real RQ worker, in burst mode."""
    def run() -> None:
        worker = SimpleWorker([services.jobs.queue], connection=services.redis)
        worker.work(burst=True)

    return run


@pytest.fixture
def dialogue(wechat: WeChat, services: Services, run_jobs: Any,
             fake_wechat: FakeWeChatServer) -> Dialogue:
    """Return the dialogue harness: say lines, check answers, see what was stored and sent."""
    from tests.dialogue import Dialogue

    return Dialogue(wechat, services, run_jobs, fake_wechat)


@pytest.fixture
def guide_dir() -> Path:
    """Return the shipped guide's folder."""
    return Path(__file__).resolve().parent.parent / "knowledge" / "guide"


STAFF_OPENIDS = {"示例·林主任": "o-lin", "示例·周": "o-zhou", "示例·吴": "o-wu",
                 "示例·郑": "o-zheng", "示例·冯": "o-feng", "示例·陈": "o-chen"}


@pytest.fixture
def roster(services: Services) -> dict[str, int]:
    """Load the sample roster (six staff, hours) and bind each to a WeChat OpenID; name -> id."""
    import yaml

    from bot.staff.roster import Staff
    from bot.staff.roster_import import import_roster

    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" /
                           "roster.sample.yaml").read_text(encoding="utf-8"))
    committee = services.index.guide.committee.code
    with services.db.session() as session:
        people: list[Staff] = import_roster(session, committee, data)
        for person in people:
            person.openid = STAFF_OPENIDS[person.name]
        session.commit()
        return {person.name: person.id for person in people}


@pytest.fixture
def clock(services: Services) -> Any:
    """Return a function that stands the services' clock at a local (Shanghai) time."""
    from datetime import datetime

    from bot.core.calendar import LOCAL

    def stand(text: str) -> datetime:
        moment = datetime.fromisoformat(text).replace(tzinfo=LOCAL)
        services.now = lambda: moment
        return moment

    return stand
