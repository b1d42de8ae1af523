"""The console in headless Chromium against the whole running service; screenshots in var/."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.test_e2e_service import ROOT, _free_port

pytestmark = pytest.mark.slow
CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
# No background networking: this machine's closed network refuses Chromium's own connections.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
SCREENSHOTS = ROOT / "var" / "screenshots"
DIRECTOR, PASSWORD = "示例·林主任", "browser-test-password"
# The console's main pages, each photographed for a reviewer.
OTHER_PAGES = ("tickets", "guide", "roster", "staff", "volunteers", "reports/weekly",
               "reports/volunteers")


@pytest.fixture
def sync_api() -> Any:
    """Return Playwright's sync API; skip locally, fail under CI, when it or Chromium is missing."""
    missing = ""
    try:
        from playwright import sync_api
    except ImportError:
        missing = "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if not missing and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing = f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)
    return sync_api


@pytest.fixture
def console_url(tmp_path: Path, redis_url: str, redis) -> Iterator[str]:
    """Start the service as `make run` does, give the director a password; yield the base URL."""
    web, fake = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "REDIS_URL",
                                                                     "DATABASE_URL"))}
    env.update({"LINLI_PORT": str(web), "LINLI_FAKE_WECHAT_PORT": str(fake),
                "REDIS_URL": redis_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'browser.db'}"})
    process = subprocess.Popen([sys.executable, "-m", "bot.web.devserver"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{web}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{fake}/_calls", timeout=1).ok and \
                    requests.get(f"{base}/wechat", timeout=1).status_code == 403:
                break
        except requests.RequestException:
            time.sleep(0.2)
    flask = str(Path(sys.executable).parent / "flask")
    done = subprocess.run([flask, "--app", "bot", "accounts", "set-password", DIRECTOR,
                           "--password", PASSWORD], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    try:
        assert done.returncode == 0, done.stdout + done.stderr
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output[-2000:]


@pytest.fixture
def photograph(record_property: Callable[[str, object], None]) -> Callable[[Any, str], Path]:
    """Return a function that saves a full-page screenshot, prints its path and records it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    taken: list[str] = []

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        taken.append(str(path))
        record_property("screenshots", list(taken))
        return path

    return take


@contextmanager
def director_page(sync_api: Any, console_url: str,
                  photograph: Callable[[Any, str], Path] | None = None) -> Iterator[Any]:
    """Yield a headless Chromium page signed in to the console as the director."""
    with sync_api.sync_playwright() as playwright:
        # Playwright gives each launch a fresh, empty profile (its own --user-data-dir).
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(20_000)
            page.goto(f"{console_url}/console/login")
            if photograph is not None:
                photograph(page, "01-login")
            page.fill("input[name=name]", DIRECTOR)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{console_url}/console/")
            yield page
        finally:
            browser.close()


def test_sign_in_and_talk_in_the_simulator(sync_api: Any, console_url: str,
                                           photograph: Callable[[Any, str], Path]) -> None:
    # sync_api comes first: with no browser, skip (or fail in CI) before starting the service.
    with director_page(sync_api, console_url, photograph) as page:
        expect = sync_api.expect
        expect(page.locator("h2")).to_contain_text(DIRECTOR)
        photograph(page, "02-home")

        page.click("text=模拟器 Simulator")
        page.wait_for_url(f"{console_url}/console/simulator")
        chat, calls = page.locator("#chat"), page.locator("#calls")
        for number, said in enumerate(("楼道灯坏了", "3号楼2单元", "13800001111"), start=1):
            page.fill("#text", said)
            page.press("#text", "Enter")
            expect(chat.locator(".bubble.bot")).to_have_count(number)
        expect(chat.locator(".bubble.bot").last).to_contain_text("工单号 #")
        number_said = chat.locator(".bubble.bot").last.inner_text().split("#")[1][:8]
        ticket = "".join(ch for ch in number_said if ch.isdigit())
        # The worker notifies the line's staff through the fake WeChat API a moment later.
        staff_message = calls.locator("li", has_text="message/custom/send")
        expect(staff_message.first).to_contain_text("3号楼2单元", timeout=30_000)
        expect(staff_message.first).to_contain_text(f"#{ticket}")
        page.click(".menu button[data-key=duty]")
        expect(chat.locator(".bubble.bot")).to_have_count(4)
        photograph(page, "03-simulator")

        for name in OTHER_PAGES:
            response = page.goto(f"{console_url}/console/{name}")
            assert response is not None and response.status == 200, name
            photograph(page, f"04-{name.replace('/', '-')}")


def _report_in_simulator(page: Any, expect: Any, openid: str, building: str) -> str:
    """As resident OPENID, report a broken corridor light in BUILDING; return the ticket number."""
    page.goto(page.url.split("/console/")[0] + "/console/simulator")
    page.fill("#openid", openid)
    chat = page.locator("#chat")
    for number, said in enumerate(("楼道灯坏了", f"{building}号楼1单元", "13800002222"), start=1):
        page.fill("#text", said)
        page.press("#text", "Enter")
        expect(chat.locator(".bubble.bot")).to_have_count(number)
    last = chat.locator(".bubble.bot").last
    expect(last).to_contain_text("工单号 #")
    return "".join(ch for ch in last.inner_text().split("#")[1][:8] if ch.isdigit())


def _next_opening_day(tmp_path: Path) -> str:
    """The day the service will route a new ticket on (the next opening), as YYYY-MM-DD."""
    from bot.core.calendar import LOCAL, WorkCalendar
    from bot.core.database import Database

    database = Database(f"sqlite:///{tmp_path / 'browser.db'}")
    with database.session() as session:
        calendar = WorkCalendar.load(session, "fenglin-sample")
        from datetime import UTC, datetime

        opening = calendar.next_opening(datetime.now(UTC))
    database.dispose()
    assert opening is not None
    return opening.astimezone(LOCAL).date().isoformat()


def test_act_on_a_ticket_change_the_roster_and_check_coverage(
        sync_api: Any, console_url: str, tmp_path: Path,
        photograph: Callable[[Any, str], Path]) -> None:
    with director_page(sync_api, console_url) as page:
        expect = sync_api.expect

        # Act on a ticket: the director accepts it and the resident hears of it in WeChat.
        first = _report_in_simulator(page, expect, "o-browser-resident", "5")
        page.goto(f"{console_url}/console/tickets/{first}")
        page.click("button:has-text('签收 Accept')")
        expect(page.locator("tr", has_text=DIRECTOR).last).to_contain_text("签收")
        photograph(page, "05-ticket-accepted")
        page.goto(f"{console_url}/console/simulator")
        told = page.locator("#calls li", has_text="o-browser-resident")
        expect(told.first).to_contain_text("已由工作人员签收", timeout=30_000)

        # Change the roster: the A role on leave sends the next repair to the B role.
        page.goto(f"{console_url}/console/tickets")
        row = page.locator(f"[data-testid=ticket-row][data-ticket='{first}']")
        expect(row).to_contain_text("示例·周")
        page.goto(f"{console_url}/console/roster")
        change = page.locator("form", has=page.locator("select[name=status]"))
        change.locator("select[name=staff_id]").select_option(label="示例·周")
        change.locator("input[name=day]").fill(_next_opening_day(tmp_path))
        change.locator("select[name=status]").select_option("leave")
        change.locator("button[type=submit]").click()
        photograph(page, "06-roster-leave")
        second = _report_in_simulator(page, expect, "o-browser-resident-2", "5")
        page.goto(f"{console_url}/console/tickets")
        row = page.locator(f"[data-testid=ticket-row][data-ticket='{second}']")
        expect(row).to_contain_text("示例·冯")

        # Coverage at a glance for the coming week's garbage-room slots.
        page.goto(f"{console_url}/console/volunteers")
        coverage = page.locator("[data-testid^=coverage-]").first
        expect(coverage).to_contain_text("empty")
        photograph(page, "07-volunteer-coverage")
