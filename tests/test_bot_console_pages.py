"""Console pages over people, the roster, volunteers, the guide and reports."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from bot import create_app
from bot.core.services import Services, install_services
from bot.core.settings import Settings
from bot.staff.roster import DutyChange, Staff
from bot.staff.roster_import import import_roster
from bot.tickets.opening import list_tickets
from bot.volunteers.models import Volunteer
from tests.conftest import WeChat
from tests.test_bot_console_auth import csrf, set_password, sign_in
from tests.test_handlers_staff import report
from tests.test_handlers_staff_commands import number_of
from tests.volunteer_fixtures import book, stations_fixture, volunteer_fixture  # noqa: F401

DIRECTOR = "示例·林主任"
CLERK = "示例·周"


@pytest.fixture
def director(app: Flask, client: FlaskClient, roster: dict[str, int]) -> FlaskClient:
    """Return the test client signed in as the director."""
    set_password(app, DIRECTOR)
    sign_in(client, DIRECTOR)
    return client


@pytest.fixture
def clerk(app: Flask, client: FlaskClient, roster: dict[str, int]) -> FlaskClient:
    """Return the test client signed in as a plain staff member."""
    set_password(app, CLERK)
    sign_in(client, CLERK)
    return client


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


# The guide.

def test_the_guide_lists_items_and_an_item_page(director: FlaskClient) -> None:
    text = page(director, "/console/guide")
    assert "senior-card" in text and "Unmatched questions" in text
    assert "敬老卡" in page(director, "/console/guide/items/senior-card")
    assert director.get("/console/guide/items/no-such-item").status_code == 404


def test_the_matcher_form_shows_the_item_and_its_candidates(clerk: FlaskClient) -> None:
    text = page(clerk, "/console/guide?q=敬老卡怎么办")
    assert 'data-testid="match"' in text and "senior-card" in text


def test_the_gaps_report_shows_unmatched_messages(director: FlaskClient, wechat) -> None:
    wechat.say("尤克里里培训班在哪里报名")
    text = page(director, "/console/guide")
    assert 'data-testid="gaps"' in text


def test_a_clerk_cannot_reload_the_guide(clerk: FlaskClient) -> None:
    token = csrf(clerk, "/console/guide")
    assert clerk.post("/console/guide/reload", data={"csrf": token}).status_code == 403


@pytest.fixture
def editable_app(settings: Settings, guide_dir: Path, tmp_path: Path) -> Iterator[Flask]:
    """Yield an app serving a copy of the guide that the test may break."""
    target = tmp_path / "guide"
    shutil.copytree(guide_dir, target)
    application = create_app(settings.with_changes(guide_dir=target))
    yield application
    application.extensions["linli.services"].db.dispose()
    install_services(None)


def test_a_broken_guide_is_refused_and_the_old_one_keeps_serving(editable_app: Flask) -> None:
    services: Services = editable_app.extensions["linli.services"]
    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" /
                           "roster.sample.yaml").read_text(encoding="utf-8"))
    with services.db.session() as session:
        import_roster(session, services.index.guide.committee.code, data)
        session.commit()
    set_password(editable_app, DIRECTOR)
    client = editable_app.test_client()
    sign_in(client, DIRECTOR)
    token = csrf(client, "/console/guide")
    ok = client.post("/console/guide/reload", data={"csrf": token}).get_data(as_text=True)
    assert 'data-testid="reload-ok"' in ok
    path = Path(services.settings.guide_dir) / "items" / "health.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "disposition: refer", "disposition: referr", 1), encoding="utf-8")
    response = client.post("/console/guide/reload", data={"csrf": token})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="reload-error"' in text
    assert "referr" in text and "previous guide keeps serving" in text
    assert "senior-card" in page(client, "/console/guide?q=敬老卡怎么办")


# People and the roster.

def test_the_staff_list_masks_phones_for_staff_and_never_shows_openids(
        clerk: FlaskClient) -> None:
    text = page(clerk, "/console/staff")
    assert "示例·吴" in text and "elderly=A" in text and "5=101" in text
    assert "021****1003" in text and "021-0000-1003" not in text
    assert "o-wu" not in text and "Issue binding code" not in text


def test_the_director_sees_phones_and_issues_a_binding_code_once(
        director: FlaskClient, roster: dict[str, int]) -> None:
    text = page(director, "/console/staff")
    assert "021-0000-1003" in text and "o-wu" not in text
    token = csrf(director, "/console/staff")
    shown = director.post(f"/console/staff/{roster['示例·吴']}/invite", data={"csrf": token})
    assert 'data-testid="binding-code"' in shown.get_data(as_text=True)
    assert 'data-testid="binding-code"' not in page(director, "/console/staff")


def test_the_director_adds_staff_and_sets_lines_and_buildings(
        director: FlaskClient, services: Services) -> None:
    token = csrf(director, "/console/staff")
    director.post("/console/staff/add", data={"csrf": token, "name": "示例·新", "phone": ""})
    with services.db.session() as session:
        new_id = session.query(Staff).filter_by(name="示例·新").one().id
    director.post(f"/console/staff/{new_id}/lines",
                  data={"csrf": token, "lines": "culture=b"})
    moved = director.post(f"/console/staff/{new_id}/buildings",
                          data={"csrf": token, "buildings": "12=102"}, follow_redirects=True)
    assert "building 12 moved from 示例·陈" in moved.get_data(as_text=True)
    refused = director.post(f"/console/staff/{new_id}/lines",
                            data={"csrf": token, "lines": "karaoke=A"}, follow_redirects=True)
    assert "not in the guide" in refused.get_data(as_text=True)
    text = page(director, "/console/staff")
    assert "culture=B" in text and "12=102" in text
    director.post(f"/console/staff/{new_id}/deactivate", data={"csrf": token})
    with services.db.session() as session:
        assert not session.get(Staff, new_id).is_active


def test_a_clerk_cannot_change_people_or_the_roster(
        clerk: FlaskClient, services: Services, roster: dict[str, int]) -> None:
    token = csrf(clerk, "/console/staff")
    wu = roster["示例·吴"]
    posts = [("/console/staff/add", {"name": "示例·新"}),
             (f"/console/staff/{wu}/lines", {"lines": "culture=A"}),
             (f"/console/staff/{wu}/buildings", {"buildings": "1=1"}),
             (f"/console/staff/{wu}/deactivate", {}),
             (f"/console/staff/{wu}/invite", {}),
             ("/console/roster/change", {"staff_id": str(wu), "day": "2026-11-30",
                                         "status": "leave"}),
             ("/console/roster/hours", {"weekday": "mon", "spans": ""}),
             ("/console/roster/day", {"day": "2026-11-30", "kind": "closed"})]
    for path, data in posts:
        assert clerk.post(path, data={"csrf": token, **data}).status_code == 403, path
    with services.db.session() as session:
        person = session.get(Staff, wu)
        assert person.is_active and [sl.line for sl in person.lines] == ["civil-affairs",
                                                                         "elderly"]
        assert session.query(Staff).count() == 6 and session.query(DutyChange).count() == 0


def test_the_roster_shows_the_week_grid_hours_and_closures(clerk: FlaskClient, clock) -> None:
    clock("2026-12-29T10:00")
    text = page(clerk, "/console/roster")
    assert 'data-testid="duty-grid"' in text and "示例·周" in text and "12-28" in text
    assert "08:30-19:30" in text and "年终盘点" in text


def test_a_leave_set_in_the_console_routes_like_the_cli(
        director: FlaskClient, services: Services, roster: dict[str, int], wechat: WeChat,
        clock) -> None:
    token = csrf(director, "/console/roster")
    data = {"csrf": token, "staff_id": str(roster["示例·周"]), "day": "2026-11-30",
            "status": "leave", "note": "年假", "week": "2026-11-30"}
    done = director.post("/console/roster/change", data=data, follow_redirects=True)
    assert "示例·周 on 2026-11-30: leave" in done.get_data(as_text=True)
    assert "年假" in page(director, "/console/roster?week=2026-11-30")
    clock("2026-11-30T10:00")
    report(wechat, building="5")
    assert list_tickets(services.db)[-1].assignee_id == roster["示例·冯"]  # repairs B covers

    director.post("/console/roster/change", data={**data, "clear": "1"})
    report(wechat, building="5", openid="o-resident-2")
    assert list_tickets(services.db)[-1].assignee_id == roster["示例·周"]


def test_hours_and_closures_are_set_and_cleared_in_the_console(
        director: FlaskClient) -> None:
    token = csrf(director, "/console/roster")
    director.post("/console/roster/hours",
                  data={"csrf": token, "weekday": "mon", "spans": "08:30-12:00 13:00-17:00"})
    director.post("/console/roster/day", data={"csrf": token, "day": "2026-12-30",
                                               "kind": "closed", "note": "消杀"})
    text = page(director, "/console/roster?week=2026-12-28")
    assert "13:00-17:00" in text and "消杀" in text
    bad = director.post("/console/roster/hours", follow_redirects=True,
                        data={"csrf": token, "weekday": "mon", "spans": "17:00-08:00"})
    assert "not a span like" in bad.get_data(as_text=True)
    director.post("/console/roster/day", data={"csrf": token, "day": "2026-12-30", "clear": "1"})
    assert "消杀" not in page(director, "/console/roster?week=2026-12-28")


# Reports.

def _a_resolved_and_rated_ticket(wechat: WeChat, clock) -> None:
    clock("2026-11-30T09:00")
    number = number_of(report(wechat, building="3", openid="o-r1"))
    clock("2026-11-30T11:00")
    assert "已签收" in wechat.say(f"签收 {number}", openid="o-zhou")
    clock("2026-11-30T14:00")
    assert "已办结" in wechat.say(f"办结 {number} 已更换灯泡", openid="o-zhou")
    assert "谢谢您的评价" in wechat.say("4", openid="o-r1")
    clock("2026-12-07T09:00")


def test_the_weekly_report_page_draws_charts_and_its_csv_parses(
        director: FlaskClient, wechat: WeChat, clock) -> None:
    _a_resolved_and_rated_ticket(wechat, clock)
    text = page(director, "/console/reports/weekly")  # default: last week, like the CLI
    assert "2026-11-30" in text and text.count("<svg") >= 3 and 'data-testid="per-staff"' in text
    assert "Median hours to accept / resolve" in text and "示例·周" in text
    response = director.get("/console/reports/weekly.csv?week=2026-12-02")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True).lstrip("\ufeff")
    staff = list(csv.DictReader(io.StringIO(body.split("\n\n")[0])))
    zhou = next(r for r in staff if r["staff"] == "示例·周")
    assert (zhou["received"], zhou["resolved"], zhou["median_accept_hours"],
            zhou["average_rating"]) == ("1", "1", "2.0", "4.0")
    assert director.get("/console/reports/weekly?week=nonsense").status_code == 400


def test_the_volunteer_month_page_and_csv(director: FlaskClient, stations: dict[str, int],
                                          clock) -> None:
    clock("2026-12-15T10:00")
    text = page(director, "/console/reports/volunteers?month=2026-12")
    assert "2026-12" in text and 'data-testid="coverage"' in text and "<svg" in text
    response = director.get("/console/reports/volunteers.csv?month=2026-12")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows and {r["section"] for r in rows} == {"coverage"}
    assert director.get("/console/reports/volunteers?month=2026-13").status_code == 400


# Volunteers.

def test_the_volunteers_page_shows_coverage_and_masks_phones_for_staff(
        clerk: FlaskClient, services: Services, stations: dict[str, int], volunteer,
        clock) -> None:
    clock("2026-12-01T06:00")
    first, second = volunteer("o-v01", "志愿者甲"), volunteer("o-v02", "志愿者乙")
    for someone in (first, second):
        book(services, someone, stations["room-1"], date(2026, 12, 1), 1)  # morning: 2 of 2
    book(services, first, stations["room-1"], date(2026, 12, 1), 3)  # evening: 1 of 2
    text = page(clerk, "/console/volunteers")
    assert 'data-testid="coverage-room-1"' in text and "志愿者甲" in text
    assert "2/2 满 covered" in text and "1/2 缺 short" in text and "0/1 空 empty" in text
    assert "138****1111" in text and "13800001111" not in text and "o-v01" not in text
    assert "qr.png" not in text and "Approve" not in text


def test_the_director_pauses_and_approves_and_a_clerk_cannot(
        app: Flask, services: Services, roster: dict[str, int], stations: dict[str, int],
        volunteer, clock) -> None:
    clock("2026-12-01T06:00")
    someone = volunteer("o-v01", "志愿者甲")
    clerk_client, director_client = app.test_client(), app.test_client()
    set_password(app, CLERK)
    set_password(app, DIRECTOR)
    sign_in(clerk_client, CLERK)
    sign_in(director_client, DIRECTOR)
    token = csrf(clerk_client, "/console/volunteers")
    for action in ("approve", "pause", "remove"):
        refused = clerk_client.post(f"/console/volunteers/{someone}/{action}",
                                    data={"csrf": token})
        assert refused.status_code == 403
    assert clerk_client.get("/console/stations/room-1/qr.png").status_code == 403

    token = csrf(director_client, "/console/volunteers")
    assert "13800001111" in page(director_client, "/console/volunteers")
    paused = director_client.post(f"/console/volunteers/{someone}/pause", data={"csrf": token},
                                  follow_redirects=True)
    assert "志愿者甲 is paused" in paused.get_data(as_text=True)
    again = director_client.post(f"/console/volunteers/{someone}/pause", data={"csrf": token},
                                 follow_redirects=True)
    assert "not active" in again.get_data(as_text=True)
    director_client.post(f"/console/volunteers/{someone}/approve", data={"csrf": token})
    with services.db.session() as session:
        assert session.get(Volunteer, someone).status == "active"


def test_a_station_qr_code_is_a_png_made_by_the_wechat_api(
        director: FlaskClient, stations: dict[str, int], fake_wechat) -> None:
    assert "/console/stations/room-1/qr.png" in page(director, "/console/volunteers")
    response = director.get("/console/stations/room-1/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    [created] = fake_wechat.calls("qrcode/create")
    assert created["body"]["action_info"] == {"scene": {"scene_str": "checkin:room-1"}}
    assert director.get("/console/stations/room-9/qr.png").status_code == 404


def test_the_director_sets_a_weekly_pattern_that_routing_follows(app, client, roster, clock,
                                                                 wechat, services) -> None:
    from bot.tickets.opening import list_tickets
    from tests.test_bot_console_auth import csrf, set_password, sign_in

    set_password(app, "示例·林主任")
    sign_in(client, "示例·林主任")
    token = csrf(client, "/console/roster")
    week = {day: "off" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    response = client.post("/console/roster/pattern",
                           data={"csrf": token, "staff_id": roster["示例·周"], **week})
    assert response.status_code == 302
    clock("2026-11-30T10:00")  # Monday: 示例·周 (A role) is now off, so the B role gets it
    wechat.say("楼道灯坏了")
    wechat.say("5号楼")
    wechat.say("13800001111")
    assert list_tickets(services.db)[-1].assignee_id == roster["示例·冯"]
