"""An in-process dialogue harness: what a person says, what Linli answers, what it stored and
what it sent, through the real webhook, database, queue and (fake) WeChat API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.services import Services
from bot.tickets.models import Ticket
from bot.tickets.opening import list_tickets
from tests.conftest import WeChat

Expected = str | Sequence[str]
"""A fragment the reply must contain, or several."""
Line = tuple[str, Expected]
"""One turn of a dialogue table: what is said, and what the answer must contain."""


@dataclass
class Dialogue:
    """Plays dialogue tables and reports what they left behind."""

    wechat: WeChat
    services: Services
    run_jobs: Callable[[], None]
    fake_wechat: Any
    who: str = "o-resident-1"

    def play(self, table: Sequence[Line], who: str | None = None) -> list[str]:
        """Say each line as WHO and check its answer contains every fragment expected."""
        replies = []
        for said, expected in table:
            reply = self.wechat.say(said, openid=who or self.who)
            for fragment in [expected] if isinstance(expected, str) else expected:
                assert fragment in reply, f"{said!r} -> {reply!r} lacks {fragment!r}"
            replies.append(reply)
        return replies

    def tickets(self) -> list[Ticket]:
        """Return every ticket stored, oldest first, with its history."""
        return list_tickets(self.services.db)

    def sent(self, to: str | None = None) -> list[str]:
        """Deliver what is queued, then return the texts WeChat carried (to TO, if given)."""
        self.run_jobs()
        return [c["body"]["text"]["content"] for c in self.fake_wechat.calls("message/custom/send")
                if to is None or c["body"]["touser"] == to]

    def assert_no_work(self) -> None:
        """Assert no ticket was opened and nothing was sent to anyone."""
        assert self.tickets() == []
        assert self.sent() == []
