"""Console tickets: who sees what, the board's filters, and WeChat's actions from the web."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.core.services import Services
from bot.staff.roster import Staff
from bot.tickets.models import Ticket
from tests.test_bot_console_auth import csrf, set_password, sign_in
from tests.test_handlers_staff import leave, report
from tests.test_handlers_staff_commands import number_of, sent_to


@pytest.fixture
def two_tickets(wechat, services: Services, roster: dict[str, int], clock) -> dict[str, int]:
    """Building 3's light goes to 示例·周; with 周 on leave, building 5's goes to 示例·冯."""
    clock("2026-11-30T10:00")  # a Monday, the office open
    mine = int(number_of(report(wechat, "3")))
    leave(services, roster["示例·周"], date(2026, 11, 30))
    theirs = int(number_of(report(wechat, "5", openid="o-resident-2")))
    return {"zhou": mine, "feng": theirs}


def signed_in(app: Flask, name: str) -> FlaskClient:
    """Return a fresh client signed in as NAME."""
    set_password(app, name)
    client = app.test_client()
    assert sign_in(client, name).status_code == 302
    return client


def page(client: FlaskClient, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def post(client: FlaskClient, number: int, kind: str, **form: Any) -> str:
    """Post an action form with this session's token; return the page it redirects to."""
    token = csrf(client, f"/console/tickets/{number}")
    response = client.post(f"/console/tickets/{number}/{kind}", data={"csrf": token, **form},
                           follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def on_board(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'data-ticket="(\d+)"', html)}


def stored(services: Services, number: int) -> Ticket:
    with services.db.session() as session:
        ticket = session.get(Ticket, number)
        assert ticket is not None
        _ = ticket.events  # load the history before the session closes
        return ticket


def test_staff_see_their_own_tickets_and_the_director_all(app, two_tickets) -> None:
    assert on_board(page(signed_in(app, "示例·周"), "/console/tickets")) == {two_tickets["zhou"]}
    assert on_board(page(signed_in(app, "示例·冯"), "/console/tickets")) == {two_tickets["feng"]}
    assert on_board(page(signed_in(app, "示例·吴"), "/console/tickets")) == set()
    director = page(signed_in(app, "示例·林主任"), "/console/tickets")
    assert on_board(director) == set(two_tickets.values())
    assert "13800001111" not in director and "楼道灯坏了" not in director  # no personal data


def test_the_board_filters(app, roster, two_tickets, clock) -> None:
    client = signed_in(app, "示例·林主任")
    board = lambda query: on_board(page(client, f"/console/tickets?{query}"))  # noqa: E731
    assert board(f"staff={roster['示例·冯']}") == {two_tickets["feng"]}
    assert board("building=3") == {two_tickets["zhou"]}
    assert board("line=property-repair") == set(two_tickets.values())
    assert board("line=elderly") == set()
    assert board("status=accepted") == set() and board("status=assigned") == set(
        two_tickets.values())
    assert board("overdue=1") == set()
    clock("2026-12-31T10:00")  # a month on, both are past their time limit
    assert board("overdue=1") == set(two_tickets.values())
    staff = signed_in(app, "示例·周")  # staff filter within their own tickets only
    assert on_board(page(staff, f"/console/tickets?staff={roster['示例·冯']}")) == set()


def test_staff_cannot_open_anothers_ticket(app, services, two_tickets) -> None:
    zhou = signed_in(app, "示例·周")
    theirs = two_tickets["feng"]
    response = zhou.get(f"/console/tickets/{theirs}")
    assert response.status_code == 403 and "13800001111" not in response.get_data(as_text=True)
    token = csrf(zhou, "/console/tickets")
    assert zhou.post(f"/console/tickets/{theirs}/accept", data={"csrf": token}).status_code == 403
    assert stored(services, theirs).status == "assigned"
    own = page(zhou, f"/console/tickets/{two_tickets['zhou']}")
    assert "13800001111" in own and "楼道灯坏了" in own
    director = page(signed_in(app, "示例·林主任"), f"/console/tickets/{theirs}")
    assert "13800001111" in director and "5号楼2单元" in director
    assert signed_in(app, "示例·林主任").get("/console/tickets/99999").status_code == 404


def test_accept_and_resolve_reach_the_resident(app, services, two_tickets, run_jobs,
                                               fake_wechat) -> None:
    zhou, number = signed_in(app, "示例·周"), two_tickets["zhou"]
    assert "已签收" in post(zhou, number, "accept")
    assert "Please fill in the form" in post(zhou, number, "resolve", text=" ")
    assert "已添加备注" in post(zhou, number, "note", text="已联系物业")
    assert "已办结" in post(zhou, number, "resolve", text="灯已修好")
    ticket = stored(services, number)
    assert ticket.status == "resolved"
    assert [(e.kind, e.actor) for e in ticket.events][-3:] == [
        ("accepted", "staff:示例·周"), ("note", "staff:示例·周"), ("resolved", "staff:示例·周")]
    run_jobs()
    said = sent_to(fake_wechat, "o-resident-1")
    assert any("已由工作人员签收" in text for text in said)
    assert any("已办结：灯已修好" in text for text in said)


def test_transfer_tells_the_colleague(app, services, roster, two_tickets, run_jobs,
                                      fake_wechat) -> None:
    zhou, number = signed_in(app, "示例·周"), two_tickets["zhou"]
    assert "已转交" in post(zhou, number, "transfer", text="示例·吴")
    assert stored(services, number).assignee_id == roster["示例·吴"]
    assert zhou.get(f"/console/tickets/{number}").status_code == 403  # no longer theirs
    run_jobs()
    assert any(f"工单 #{number} 已转交给您" in text for text in sent_to(fake_wechat, "o-wu"))


def test_extend_and_return(app, services, two_tickets) -> None:
    feng, number = signed_in(app, "示例·冯"), two_tickets["feng"]
    due = stored(services, number).due_at
    assert "已延期" in post(feng, number, "extend", days="2", text="等配件")
    assert stored(services, number).due_at != due
    assert "已退回" in post(feng, number, "return", text="不归我管")
    ticket = stored(services, number)
    assert ticket.status == "new" and ticket.assignee_id is None


def test_a_forged_form_changes_nothing(app, services, two_tickets) -> None:
    zhou, number = signed_in(app, "示例·周"), two_tickets["zhou"]
    response = zhou.post(f"/console/tickets/{number}/accept", data={"csrf": "forged"})
    assert response.status_code == 400
    assert zhou.post(f"/console/tickets/{number}/accept").status_code == 400
    assert stored(services, number).status == "assigned"


def test_a_refusal_is_shown_and_changes_nothing(app, services, two_tickets) -> None:
    with services.db.session() as session:  # an administrator sees every ticket...
        wu = session.query(Staff).filter_by(name="示例·吴").one()
        wu.is_admin = True
        session.commit()
    number = two_tickets["zhou"]
    shown = post(signed_in(app, "示例·吴"), number, "resolve", text="好了")
    assert "不是您负责的" in shown  # ...but only the assignee and the director act on it
    assert stored(services, number).status == "assigned"
    zhou = signed_in(app, "示例·周")
    post(zhou, number, "accept")
    assert "不能这样操作" in post(zhou, number, "accept")  # accepted already
    assert [e.kind for e in stored(services, number).events].count("accepted") == 1
