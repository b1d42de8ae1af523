"""The staff command line: add, list, roles, buildings, deactivate, invite, import."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from click.testing import Result
from flask import Flask

from bot.core.services import Services
from bot.staff.roster import Staff
from bot.tickets.opening import list_tickets
from tests.conftest import STAFF_OPENIDS, WeChat
from tests.test_handlers_staff import report

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "roster.sample.yaml"


def invoke(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=list(args))


def ok(app: Flask, *args: str) -> str:
    result = invoke(app, *args)
    assert result.exit_code == 0, result.output
    return result.output


def refused(app: Flask, *args: str) -> str:
    """Run a command that must fail: exit 1, one line, no traceback."""
    result = invoke(app, *args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    return result.output


def people(app: Flask) -> dict[str, dict]:
    rows = [json.loads(line) for line in ok(app, "staff", "list", "--json").splitlines()]
    return {row["name"]: row for row in rows}


def test_add_and_list_mask_phones_and_never_show_openids(app: Flask, services: Services) -> None:
    assert "added 新同事 (director)" in ok(app, "staff", "add", "新同事", "--phone",
                                          "13800001111", "--director")
    with services.db.session() as session:
        session.query(Staff).filter_by(name="新同事").one().openid = "o-secret-openid"
        session.commit()
    listing = ok(app, "staff", "list")
    assert "138****1111" in listing and "13800001111" not in listing
    assert "o-secret-openid" not in listing
    [row] = people(app).values()
    assert row == {"name": "新同事", "phone": "138****1111", "director": True, "bound": True,
                   "lines": {}, "buildings": {}, "active": True}
    revealed = ok(app, "staff", "list", "--json", "--reveal")
    assert "13800001111" in revealed and "o-secret-openid" not in revealed


def test_list_shows_lines_buildings_and_masks_the_sample_phones(app: Flask, roster) -> None:
    listing = ok(app, "staff", "list")
    assert "021****1002" in listing and "021-0000-1002" not in listing
    assert not any(openid in listing for openid in STAFF_OPENIDS.values())
    zhou = people(app)["示例·周"]
    assert zhou["lines"] == {"property-repair": "A", "security": "B", "sanitation": "B"}
    assert zhou["buildings"] == {"3": 98, "4": 104} and zhou["bound"] and not zhou["director"]


def test_add_refuses_a_name_already_on_the_staff(app: Flask, roster) -> None:
    assert "already a staff member" in refused(app, "staff", "add", "示例·周")


def test_roles_replace_the_set_and_are_checked_against_the_guide(app: Flask, roster) -> None:
    output = ok(app, "staff", "roles", "示例·吴", "elderly=A", "property-repair=B")
    assert "示例·吴: elderly=A property-repair=B" in output
    assert "note: 示例·冯 is also B in property-repair" in output
    assert people(app)["示例·吴"]["lines"] == {"elderly": "A", "property-repair": "B"}
    assert "line 'plumbing' is not in the guide" in refused(app, "staff", "roles", "示例·吴",
                                                            "plumbing=A")
    assert "elderly=C: the role must be A or B" in refused(app, "staff", "roles", "示例·吴",
                                                           "elderly=C")
    assert "'elderly' is not LINE=A" in refused(app, "staff", "roles", "示例·吴", "elderly")
    assert "did you mean 示例·吴" in refused(app, "staff", "roles", "吴", "elderly=A")
    assert people(app)["示例·吴"]["lines"] == {"elderly": "A", "property-repair": "B"}
    assert "no lines" in ok(app, "staff", "roles", "示例·吴", "--clear")


def test_buildings_move_between_staff_and_routing_follows(app: Flask, services: Services,
                                                          roster, wechat: WeChat,
                                                          clock) -> None:
    output = ok(app, "staff", "buildings", "示例·冯", "3=98", "9=97", "10=102")
    assert "building 3 moved from 示例·周" in output
    assert "示例·冯: 3(98) 9(97) 10(102)" in output
    listed = people(app)
    assert listed["示例·周"]["buildings"] == {"4": 104}
    assert listed["示例·冯"]["buildings"] == {"3": 98, "9": 97, "10": 102}
    clock("2026-11-30T10:00")  # Monday: 示例·冯 is visiting and holds property-repair B
    report(wechat, building="3")
    assert list_tickets(services.db)[-1].assignee_id == roster["示例·冯"]
    assert "households must be a number" in refused(app, "staff", "buildings", "示例·冯", "3=x")
    assert "building 'A3' must be a number" in refused(app, "staff", "buildings", "示例·冯",
                                                       "A3=10")


def test_invite_prints_a_code_that_binds_once(app: Flask, wechat: WeChat, clock) -> None:
    clock("2026-11-30T10:00")
    ok(app, "staff", "add", "新同事")
    output = ok(app, "staff", "invite", "新同事")
    assert "within 24 h" in output
    code = re.search(r"绑定 (\d{8})", output)
    assert code is not None
    assert "没有权限" in wechat.say("待办", openid="o-new-phone")
    assert "绑定成功" in wechat.say(f"绑定 {code.group(1)}", openid="o-new-phone")
    assert "没有待办" in wechat.say("待办", openid="o-new-phone")
    assert people(app)["新同事"]["bound"] is True
    assert "o-new-phone" not in ok(app, "staff", "list", "--json")


def test_deactivate_unbinds_keeps_history_and_lists_open_tickets(
        app: Flask, services: Services, roster, wechat: WeChat, clock) -> None:
    clock("2026-11-30T10:00")
    report(wechat, building="3")  # 示例·周's building
    assert "#" in wechat.say("待办", openid="o-zhou")
    output = ok(app, "staff", "deactivate", "示例·周")
    [ticket] = list_tickets(services.db)
    assert f"open: #{ticket.id} property-repair assigned" in output
    assert "转交 N 姓名" in output and "WeChat account unbound" in output
    assert "没有权限" in wechat.say("待办", openid="o-zhou")  # the cached role is gone too
    zhou = people(app)["示例·周"]
    assert zhou["active"] is False and zhou["bound"] is False
    assert ticket.assignee_id == roster["示例·周"]  # history kept
    assert "already deactivated" in refused(app, "staff", "deactivate", "示例·周")
    assert "is deactivated" in refused(app, "staff", "invite", "示例·周")


def test_import_creates_then_updates_and_names_mistakes(app: Flask, tmp_path: Path) -> None:
    assert "imported 6 staff" in ok(app, "staff", "import", str(SAMPLE))
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["staff"][1]["buildings"] = {3: 98, 4: 104, 5: 101}  # 5 moves from 示例·吴
    data["staff"][2]["buildings"] = {6: 99}
    edited = tmp_path / "roster.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "imported 6 staff" in ok(app, "staff", "import", str(edited))  # again: an update
    listed = people(app)
    assert len(listed) == 6 and listed["示例·周"]["buildings"] == {"3": 98, "4": 104, "5": 101}

    data["staff"][0]["lines"] = {"plumbing": "A"}
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "staff[0] '示例·林主任': line 'plumbing' is not in the guide" in refused(
        app, "staff", "import", str(edited))
    data["staff"][0]["lines"] = {"mediation": "C"}
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "mediation=C: the role must be A or B" in refused(app, "staff", "import", str(edited))
    edited.write_text("staff: [unclosed", encoding="utf-8")
    assert "cannot read" in refused(app, "staff", "import", str(edited))
    edited.write_text("staff: {name: x}", encoding="utf-8")
    assert "staff: expected a list" in refused(app, "staff", "import", str(edited))
    assert "cannot read" in refused(app, "staff", "import", str(tmp_path / "missing.yaml"))
    assert people(app)["示例·林主任"]["lines"] == {"front-desk": "B", "mediation": "A",
                                                "culture": "B"}  # nothing half-imported


def test_usage_mistakes_exit_1_in_one_line(app: Flask, roster) -> None:
    assert "Missing argument" in refused(app, "staff", "invite")
    assert "No such option" in refused(app, "staff", "list", "--everything")
    assert "give LINE=A|B pairs, or --clear" in refused(app, "staff", "roles", "示例·周")
    assert "no staff member named 'nobody'" in refused(app, "staff", "deactivate", "nobody")
