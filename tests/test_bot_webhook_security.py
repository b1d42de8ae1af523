"""The webhook as an attacker tries it: reused signatures, plaintext in safe mode, broken
ciphertext, and one sender flooding the desk."""

from __future__ import annotations

import base64

from redis import Redis

from bot.core.services import Services
from bot.core.settings import Settings
from bot.tickets.opening import list_tickets
from bot.wechat.protocol import SafeMode, callback_xml, sign_query, wrap_for_wechat
from tests.conftest import ACCOUNT, AES_KEY, TOKEN, WeChat


def test_a_signature_cannot_carry_a_second_body(wechat: WeChat, services: Services) -> None:
    query = sign_query(TOKEN)
    first = callback_xml("text", "o-a", ACCOUNT, Content="敬老卡怎么办", MsgId=71)
    assert wechat.post(first, query).status_code == 200
    forged = callback_xml("text", "o-b", ACCOUNT, Content="楼道灯坏了 5号楼 13800001111",
                          MsgId=72)
    response = wechat.post(forged, query)
    assert response.status_code == 403 and "already used" in response.get_data(as_text=True)
    assert list_tickets(services.db) == []


def test_wechats_own_retry_with_the_same_query_is_answered_again(wechat: WeChat) -> None:
    query = sign_query(TOKEN)
    xml = callback_xml("text", "o-a", ACCOUNT, Content="敬老卡怎么办", MsgId=73)
    first = wechat.post(xml, query)
    again = wechat.post(xml, query)
    assert again.status_code == 200 and again.get_data() == first.get_data()


def _safe_wechat(client, settings: Settings, services: Services, **changes: object) -> WeChat:
    services.settings = settings.with_changes(wechat_aes_key=AES_KEY, **changes)
    return WeChat(client, safe=SafeMode(TOKEN, AES_KEY, settings.wechat_appid))


def test_safe_mode_refuses_a_plaintext_callback(client, settings: Settings,
                                               services: Services) -> None:
    _safe_wechat(client, settings, services)
    plain = WeChat(client)  # signed with the Token only, not encrypted
    response = plain.post(callback_xml("text", "o-p", ACCOUNT, Content="楼道灯坏了", MsgId=74))
    assert response.status_code == 400 and "encrypted" in response.get_data(as_text=True)
    assert list_tickets(services.db) == []


def test_compatible_mode_accepts_both_while_migrating(client, settings: Settings,
                                                     services: Services) -> None:
    secure = _safe_wechat(client, settings, services, compatible_mode=True)
    assert "敬老卡" in WeChat(client).say("敬老卡怎么办")
    assert "敬老卡" in secure.say("敬老卡怎么办", msg_id=75)


def test_broken_ciphertext_gets_400_and_stores_nothing(client, settings: Settings,
                                                      services: Services, redis: Redis) -> None:
    _safe_wechat(client, settings, services)
    safe = SafeMode(TOKEN, AES_KEY, settings.wechat_appid)
    xml, query = wrap_for_wechat(safe, callback_xml("text", "o-c", ACCOUNT, Content="x",
                                                    MsgId=76), sign_query(TOKEN))
    encrypted = xml.split("<![CDATA[")[2].split("]]>")[0]
    other_key = base64.b64encode(bytes(range(32))).decode().rstrip("=")
    wrong_key = wrap_for_wechat(SafeMode(TOKEN, other_key, settings.wechat_appid),
                                callback_xml("text", "o-c", ACCOUNT, Content="x", MsgId=77),
                                sign_query(TOKEN))
    for body, signed in ((xml.replace(encrypted, encrypted[:40]), query),  # truncated
                         (xml.replace(encrypted, encrypted[:-8] + "AAAAAAA="), query),  # padding
                         wrong_key):
        response = client.post("/wechat", query_string=signed, data=body.encode())
        assert response.status_code in (400, 403), response.get_data(as_text=True)
        assert "Traceback" not in response.get_data(as_text=True)
    assert list_tickets(services.db) == []
    assert redis.keys("linli:session:*") == [] and redis.keys("linli:dedup:*") == []


def test_one_sender_flooding_gets_a_polite_word_not_a_ticket_each(
        wechat: WeChat, services: Services) -> None:
    limit = services.settings.rate_limit
    said = ["楼道灯坏了", "5号楼3单元 13800001111"] * ((limit + 10) // 2)  # a ticket per pair
    replies = [wechat.say(text, openid="o-flood") for text in said]
    assert all("太快" in reply for reply in replies[limit:])
    assert len(list_tickets(services.db)) <= limit // 2
    assert "敬老卡" in wechat.say("敬老卡怎么办", openid="o-calm")  # others are served
