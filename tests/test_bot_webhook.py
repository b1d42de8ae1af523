"""The webhook speaks WeChat's protocol and refuses what is not WeChat."""

from __future__ import annotations

import time

from redis import Redis

from bot.core.services import Services
from bot.tickets.opening import list_tickets
from bot.wechat.protocol import callback_xml, sign_query
from tests.conftest import ACCOUNT, AES_KEY, TOKEN, WeChat


def test_server_url_check_echoes_echostr(client) -> None:
    response = client.get("/wechat", query_string={**sign_query(TOKEN), "echostr": "abc123"})
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "abc123"


def test_server_url_check_with_wrong_signature_is_forbidden(client) -> None:
    query = {**sign_query(TOKEN), "echostr": "abc123", "signature": "0" * 40}
    response = client.get("/wechat", query_string=query)
    assert response.status_code == 403
    assert "abc123" not in response.get_data(as_text=True)


def test_question_is_answered_on_the_spot(wechat: WeChat) -> None:
    reply = wechat.say("我妈妈今年65岁了，敬老卡怎么办？")
    assert "敬老卡" in reply
    assert "身份证" in reply  # what to bring


def test_forged_signature_gets_403_and_stores_nothing(wechat: WeChat, services: Services,
                                                      redis: Redis) -> None:
    xml = callback_xml("text", "o-x", ACCOUNT, Content="楼道灯坏了", MsgId=1)
    response = wechat.post(xml, {**sign_query(TOKEN), "signature": "f" * 40})
    assert response.status_code == 403
    assert list_tickets(services.db) == []
    assert redis.keys("linli:*") == []


def test_stale_timestamp_is_refused_as_a_replay(wechat: WeChat) -> None:
    xml = callback_xml("text", "o-x", ACCOUNT, Content="你好", MsgId=2)
    response = wechat.post(xml, sign_query(TOKEN, timestamp=int(time.time()) - 3600))
    assert response.status_code == 403
    assert "stale" in response.get_data(as_text=True)


def test_malformed_xml_gets_400_without_a_stack_trace(wechat: WeChat) -> None:
    response = wechat.post("<xml><ToUserName>oops</xml")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "malformed" in body


def test_xml_that_is_not_a_message_gets_400(wechat: WeChat) -> None:
    assert wechat.post("<xml><Content>hi</Content></xml>").status_code == 400
    assert wechat.post("<other/>").status_code == 400


def test_huge_body_gets_413(wechat: WeChat) -> None:
    big = callback_xml("text", "o-x", ACCOUNT, Content="灯" * 100_000, MsgId=3)
    assert wechat.post(big).status_code == 413


def test_entity_tricks_are_refused(wechat: WeChat) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;">]><xml><ToUserName>t</ToUserName><FromUserName>f'
              '</FromUserName><MsgType>text</MsgType><Content>&c;</Content></xml>')
    xxe = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<xml><ToUserName>t</ToUserName><FromUserName>f</FromUserName><MsgType>text'
           '</MsgType><Content>&x;</Content></xml>')
    for payload in (laughs, xxe):
        response = wechat.post(payload)
        assert response.status_code == 400
        assert "root:" not in response.get_data(as_text=True)


def test_resident_words_cannot_inject_into_the_reply(wechat: WeChat) -> None:
    evil = "5号楼灯坏了]]></Content><MsgType>news</MsgType><Content><![CDATA[x"
    wechat.say("楼道灯坏了")
    wechat.say(evil)  # the location, echoed back in ticket lists
    wechat.say("13800000000")
    response = wechat.last
    assert response is not None
    fields = wechat.reply_of(wechat.post(callback_xml(
        "text", "o-resident-1", ACCOUNT, Content="我的工单", MsgId=99)))
    assert fields["MsgType"] == "text"
    assert "#" in fields["Content"]


def test_safe_mode_decrypts_and_encrypts(client, settings, services: Services) -> None:
    from bot.wechat.protocol import SafeMode

    services.settings = settings.with_changes(wechat_aes_key=AES_KEY)
    safe = SafeMode(TOKEN, services.settings.wechat_aes_key or "", settings.wechat_appid)
    secure = WeChat(client, safe=safe)
    response = secure.post(callback_xml("text", "o-safe", ACCOUNT, Content="敬老卡", MsgId=5))
    assert b"<Encrypt>" in response.get_data()
    assert "敬老卡" not in response.get_data(as_text=True)
    assert "敬老卡" in secure.reply_of(response)["Content"]


def test_safe_mode_with_wrong_msg_signature_is_forbidden(client, settings,
                                                          services: Services) -> None:
    from bot.wechat.protocol import SafeMode, wrap_for_wechat

    services.settings = settings.with_changes(wechat_aes_key=AES_KEY)
    safe = SafeMode(TOKEN, services.settings.wechat_aes_key or "", settings.wechat_appid)
    xml, query = wrap_for_wechat(safe, callback_xml("text", "o", ACCOUNT, Content="x", MsgId=6),
                                 sign_query(TOKEN))
    query["msg_signature"] = "0" * 40
    response = client.post("/wechat", query_string=query, data=xml.encode())
    assert response.status_code == 403


def test_voice_uses_recognition_or_asks_to_type(wechat: WeChat) -> None:
    assert "敬老卡" in wechat.send("voice", MediaId="m", Format="amr", Recognition="敬老卡怎么办")
    assert "文字" in wechat.send("voice", MediaId="m", Format="amr", Recognition="")


def test_unknown_kinds_get_a_polite_reply_and_unknown_events_none(wechat: WeChat) -> None:
    assert "文字" in wechat.send("image", PicUrl="http://x.invalid/p.jpg", MediaId="m")
    assert "文字" in wechat.send("hologram", Payload="?")
    assert wechat.send("event", Event="TEMPLATESENDJOBFINISH") == ""
    assert wechat.last is not None and wechat.last.get_data() == b"success"


def test_subscribe_gets_a_welcome_saying_what_the_account_does(wechat: WeChat) -> None:
    reply = wechat.send("event", Event="subscribe", EventKey="")
    assert "欢迎" in reply and "我的工单" in reply


def test_english_message_gets_an_english_reply(wechat: WeChat) -> None:
    reply = wechat.say("How do I get a senior card for my father?")
    assert "senior" in reply.lower()
    assert "What to bring" in reply and "请带上" not in reply


def test_menu_buttons_are_answered_even_unknown_ones(wechat: WeChat) -> None:
    assert "没有工单" in wechat.send("event", Event="CLICK", EventKey="my_tickets")
    assert "我的工单" in wechat.send("event", Event="CLICK", EventKey="old_button")


def test_location_and_links_outside_a_conversation_get_a_polite_reply(wechat: WeChat) -> None:
    reply = wechat.send("location", Location_X=31.19, Location_Y=121.45, Scale=16, Label="x")
    assert "文字" in reply
    assert "文字" in wechat.send("link", Title="t", Description="d", Url="http://x.invalid")
