"""User-facing text catalogues: Chinese first, English where the resident writes English."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.errors import RefusalError


class Texts:
    """A catalogue of messages by key, each a (Chinese, English) pair with {placeholders}."""

    def __init__(self, entries: Mapping[str, tuple[str, str]]) -> None:
        self.entries = dict(entries)

    def say(self, key: str, lang: str = "zh", **values: object) -> str:
        """Return message KEY in LANG with VALUES filled in."""
        zh, en = self.entries[key]
        template = en if lang == "en" and en else zh
        return template.format(**values) if values else template

    def refuse(self, key: str, **values: object) -> RefusalError:
        """Return message KEY as a refusal in both languages, ready to raise."""
        return RefusalError(self.say(key, "zh", **values), self.say(key, "en", **values))


CORE = Texts({
    "apology": (
        "抱歉，系统刚才出了点问题。您的消息我们已记录，工作人员会跟进；急事请直接拨打居委会电话。",
        "Sorry, something went wrong on our side. Your message is recorded and staff will "
        "follow up; for anything urgent please call the committee.",
    ),
    "did_you_mean": ("没有这个指令。您是不是要发“{command} {rest}”？发送“帮助”查看全部指令。",
                     "Unknown command. Did you mean '{command} {rest}'? Send 'help' for all."),
    "replayed": ("（接您刚才的消息）", "(About your earlier message)"),
    "slow_down": (
        "您发得太快了，请稍等一分钟再发。您前面的消息我们都收到了。急事请直接拨打居委会电话。",
        "You are sending messages very fast; please wait a minute. Your earlier messages have "
        "arrived. For anything urgent please call the committee.",
    ),
    "not_allowed": (
        "抱歉，这项操作需要相应的身份，您的账号没有权限。",
        "Sorry, your account is not allowed to do that.",
    ),
})
