"""Fixtures and helpers shared by the volunteer tests: sample stations and ready volunteers.

Import the fixtures by their function names (`stations_fixture`, `volunteer_fixture`); tests
ask for them as `stations` and `volunteer`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.conversation import window_key
from bot.core.services import Services
from bot.volunteers.models import Shift, Volunteer, find_slot
from bot.volunteers.stations import import_stations
from tests.conftest import WeChat

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "stations.sample.yaml"
ROOM_1 = (31.19250, 121.45630)
"""The sample room-1's coordinates; 0.0045 degrees of latitude is about 500 m."""
_times = itertools.count(1_700_000_000)


@pytest.fixture(name="stations")
def stations_fixture(services: Services, roster: dict[str, int]) -> dict[str, int]:
    """Import the sample stations (two rooms, three slots each); code -> id."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    with services.db.session() as session:
        imported = import_stations(session, services.index.guide.committee.code, data,
                                   services.now())
        session.commit()
        return {s.code: s.id for s in imported.stations}


@pytest.fixture(name="volunteer")
def volunteer_fixture(services: Services, redis: Any) -> Callable[..., int]:
    """Return a maker of volunteers (active by default) who wrote to us lately; returns the id."""
    def make(openid: str, name: str = "", status: str = "active", lang: str = "zh") -> int:
        with services.db.session() as session:
            person = Volunteer(committee=services.index.guide.committee.code, openid=openid,
                               name=name or f"志愿者{openid[-2:]}", building="5",
                               phone="13800001111", lang=lang, status=status,
                               consent_at=services.now())
            session.add(person)
            session.commit()
        redis.set(window_key(openid), "0")  # inside WeChat's 48-hour window
        return person.id

    return make


def shift_of(services: Services, openid: str) -> list[Shift]:
    """Return the shifts of the volunteer with OPENID, oldest first."""
    with services.db.session() as session:
        return list(session.query(Shift).join(Volunteer).filter(Volunteer.openid == openid)
                    .order_by(Shift.id))


def book(services: Services, volunteer_id: int, station_id: int, day: date,
         number: int) -> int:
    """Book a shift directly (as if the volunteer had replied to the list); return its id."""
    from bot.volunteers.shifts import book_shift

    with services.db.session() as session:
        slot = find_slot(session, station_id, day, number)
    assert slot is not None
    return book_shift(services.db, volunteer_id, slot, services.now()).id


def scan(wechat: WeChat, openid: str, station: str = "room-1", event: str = "SCAN") -> str:
    """Scan a station's code: SCAN with the bare scene, subscribe with qrscene_ (a new follower)."""
    key = f"checkin:{station}" if event == "SCAN" else f"qrscene_checkin:{station}"
    # Events are de-duplicated on sender + CreateTime: each scan gets its own second.
    return wechat.send("event", openid=openid, create_time=next(_times), Event=event,
                       EventKey=key)


def share_location(wechat: WeChat, openid: str, latitude: float, longitude: float) -> str:
    """Send a WeChat location message (Location_X is the latitude, Location_Y the longitude)."""
    return wechat.send("location", openid=openid, Location_X=latitude, Location_Y=longitude,
                       Scale=16, Label="示例路")


def sent_to(fake_wechat: Any, openid: str) -> list[str]:
    """Return the texts the fake WeChat API delivered to OPENID."""
    return [c["body"]["text"]["content"] for c in fake_wechat.calls("message/custom/send")
            if c["body"]["touser"] == openid]
