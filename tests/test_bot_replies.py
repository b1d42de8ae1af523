"""Passive replies: whatever the text holds, the XML parses and the content survives intact."""

from __future__ import annotations

import pytest

from bot.wechat.messages import Incoming, Reply
from bot.wechat.protocol import parse_xml
from bot.wechat.replies import MAX_REPLY_BYTES, fit, render_reply

MESSAGE = Incoming(kind="text", openid="o-resident-1", account="gh_test_account",
                   create_time=1_700_000_000, msg_id="1", text="hi")
NOW = 1_700_000_005


def rendered(text: str, message: Incoming = MESSAGE) -> dict[str, object]:
    return parse_xml(render_reply(message, Reply(text), NOW))


def test_a_plain_reply_is_a_wechat_text_message_back_to_the_sender() -> None:
    fields = rendered("您好")
    assert fields == {"ToUserName": "o-resident-1", "FromUserName": "gh_test_account",
                      "CreateTime": str(NOW), "MsgType": "text", "Content": "您好"}


@pytest.mark.parametrize("text", [
    "a]]>b",
    "]]>",
    "]]]]>",
    "x]]>]]>y]]",
    "<xml><Content>injected</Content></xml>",
    "A & B &amp; C &lt; &#x26;",
    "<![CDATA[nested]]>",
    "敬老卡 ]]> <b>&nbsp;</b> 😀👨‍👩‍👧‍👦 🇨🇳 é",
    "line one\nline two\ttabbed",
])
def test_the_content_round_trips_exactly_whatever_it_holds(text: str) -> None:
    assert rendered(text)["Content"] == text


def test_forbidden_control_characters_are_dropped_and_the_rest_kept() -> None:
    text = "before\x00after\x08 bell\x07 esc\x1b ]]> <&> 😀 end"
    assert rendered(text)["Content"] == "beforeafter bell esc ]]> <&> 😀 end"


def test_every_c0_control_character_but_tab_and_newline_is_dropped() -> None:
    controls = "".join(chr(c) for c in range(32) if c not in (9, 10, 13))
    assert rendered(f"a{controls}\tb\nc")["Content"] == "a\tb\nc"


def test_the_recipient_and_account_are_escaped_too() -> None:
    odd = Incoming(kind="text", openid="o]]><x>&", account="gh_]]>", create_time=1)
    fields = rendered("ok", odd)
    assert (fields["ToUserName"], fields["FromUserName"]) == ("o]]><x>&", "gh_]]>")


@pytest.mark.parametrize("unit", ["字", "😀", "a", "é", "a字😀"])
def test_a_5000_character_reply_is_cut_to_2048_bytes_at_a_character_boundary(unit: str) -> None:
    text = (unit * 5000)[:5000]
    content = rendered(text)["Content"]
    assert isinstance(content, str)
    data = content.encode("utf-8")  # a split character could not be encoded back
    assert len(data) <= MAX_REPLY_BYTES
    assert len(data) > MAX_REPLY_BYTES - 8  # cut near the limit, not far short of it
    assert content.endswith("…")
    assert text.startswith(content[:-1])


def test_a_reply_of_exactly_2048_bytes_is_not_cut() -> None:
    text = "字" * 682 + "ab"  # 3 * 682 + 2 = 2048 bytes
    assert len(text.encode("utf-8")) == MAX_REPLY_BYTES
    assert fit(text) == text
    assert rendered(text)["Content"] == text


def test_a_reply_one_byte_over_is_cut_with_an_ellipsis() -> None:
    text = "字" * 682 + "abc"
    cut = fit(text)
    assert cut.endswith("…") and len(cut.encode("utf-8")) <= MAX_REPLY_BYTES


def test_a_long_reply_with_markup_still_parses_after_cutting() -> None:
    text = "]]><&" * 1000
    content = rendered(text)["Content"]
    assert isinstance(content, str)
    assert len(content.encode("utf-8")) <= MAX_REPLY_BYTES
    assert text.startswith(content[:-1])


def test_noncharacters_that_xml_forbids_are_dropped_too() -> None:
    assert rendered("a\ufffeb\uffffc")["Content"] == "abc"
