"""`make run`: Redis (found or started), the database migrated, web, worker and fake WeChat up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.core.database import upgrade_database
from bot.core.local_redis import PrivateRedis, answers, start_private_redis
from bot.core.settings import ROOT, VAR_DIR, Settings, SettingsError

BIN = Path(sys.executable).parent
WEB_PORT = int(os.environ.get("LINLI_PORT", "8000"))
SAMPLE_ROSTER = ROOT / "data" / "roster.sample.yaml"
SAMPLE_STATIONS = ROOT / "data" / "stations.sample.yaml"
FAKE_PORT = int(os.environ.get("LINLI_FAKE_WECHAT_PORT", "8001"))


def _say(text: str) -> None:
    print(f"[linli] {text}", flush=True)


def _start(name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    _say(f"starting {name}: {' '.join(args[:3])} ...")
    return subprocess.Popen(args, env=env)


def _load_samples(settings: Settings, env: dict[str, str]) -> None:
    """Give a new development database the sample staff and stations, so routing shows."""
    from sqlalchemy import func, select

    from bot.core.database import Database
    from bot.staff.roster import Staff

    database = Database(settings.database_url)
    with database.session() as session:
        has_staff = bool(session.scalar(select(func.count()).select_from(Staff)))
    database.dispose()
    if has_staff:
        return
    for group, path in (("staff", SAMPLE_ROSTER), ("stations", SAMPLE_STATIONS)):
        subprocess.run([str(BIN / "flask"), "--app", "bot", group, "import", str(path)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    _say(f"loaded the sample roster and garbage-room stations ({SAMPLE_ROSTER.parent.name}/), "
         "development only")


def main() -> int:
    """Bring the whole service up and keep it up until Ctrl-C."""
    env = dict(os.environ)
    try:
        settings = Settings.from_env(env)
    except SettingsError as error:
        _say(f"configuration error: {error}")
        return 2
    if settings.defaulted:
        _say("development setup (no configuration found): defaults for "
             + ", ".join(settings.defaulted) + "; set them in the environment to override")
    private: PrivateRedis | None = None
    redis_url = settings.redis_url
    if not answers(redis_url):
        private = start_private_redis(VAR_DIR / "redis")
        redis_url = private.url
        _say(f"no Redis answered at {settings.redis_url}; started a private one "
             f"({private.kind}) at {redis_url}")
    env.update({"REDIS_URL": redis_url, "LINLI_ENV": settings.environment,
                "DATABASE_URL": settings.database_url})
    upgrade_database(settings.database_url)
    _say(f"database ready: {settings.database_url.split('@')[-1]}")
    if settings.is_development:
        _load_samples(settings, env)

    children: list[subprocess.Popen[bytes]] = []
    if "LINLI_WECHAT_API_BASE" in settings.defaulted:
        env["LINLI_WECHAT_API_BASE"] = f"http://127.0.0.1:{FAKE_PORT}/cgi-bin/"
        children.append(_start("fake WeChat API", [str(BIN / "flask"), "--app", "bot",
                                                   "fake-wechat", "--port", str(FAKE_PORT)], env))
    children.append(_start("web", [str(BIN / "gunicorn"), "--workers", "2", "--bind",
                                   f"127.0.0.1:{WEB_PORT}", "--timeout", "30",
                                   "bot:create_app()"], env))
    children.append(_start("worker", [
        str(BIN / "rq"), "worker", "--with-scheduler", "--worker-class",
        "workers.worker.LinliWorker", "--maintenance-interval", "30", "--url", redis_url,
        settings.queue_name], env))
    _say(f"webhook listening at http://127.0.0.1:{WEB_PORT}/wechat "
         f"(Token: {settings.wechat_token}{', safe mode' if settings.is_safe_mode else ''})")
    _say("talk to it in another terminal: make chat    (Ctrl-C here stops everything)")

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for child in children:
            if child.poll() is not None:
                _say(f"a process exited with {child.returncode}; stopping")
                stopping, code = True, 1
        time.sleep(0.3)
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    if private is not None:
        private.stop()
    _say("stopped")
    return code


if __name__ == "__main__":
    sys.exit(main())
