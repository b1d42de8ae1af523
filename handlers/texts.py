"""What the bot says to residents, Chinese first with English twins."""

from bot.core.texts import Texts

TEXTS = Texts({
    "welcome": (
        "您好，欢迎关注{committee}！我是居委会的线上服务台，可以：\n"
        "· 回答办事问题（如“敬老卡怎么办”“医保卡补办”）\n"
        "· 受理报修、纠纷调解等事项，转给负责的工作人员\n"
        "· 告诉您该去哪个部门办理\n"
        "直接发文字或语音给我就行。发送“我的工单”查看进度，回复“人工”联系工作人员。"
        "紧急情况请直接拨打110/119/120。",
        "Welcome to {committee_en}! I am the committee's online service desk. I can answer "
        "questions (e.g. 'senior card', 'medical insurance card'), pass repairs and other "
        "matters to the right staff member, and tell you which office handles what. Just write "
        "to me. Send 'my tickets' to check progress, or 'human' for a staff member. In an "
        "emergency call 110/119/120 at once.",
    ),
    "can_do": (
        "我可以：解答办事问题（敬老卡、医保卡、开证明…）、受理报修和投诉、垃圾分类、"
        "告诉您该去哪个部门。发送“帮助”查看全部。",
        "I can answer questions about services (senior card, medical insurance, certificates), "
        "take repairs and complaints, help with garbage sorting and tell you which office to "
        "go to. Send 'help' for more.",
    ),
    "more_hint": ("发送“帮助”查看我能办的事。", "Send 'help' to see what I can do."),
    "greeting": (
        "您好！我是{committee}线上服务台。有什么可以帮您？可以直接说您要办的事，"
        "比如“敬老卡怎么办”“楼道灯坏了”。",
        "Hello! This is the {committee_en} online desk. Tell me what you need, for example "
        "'senior card' or 'the corridor light is broken'.",
    ),
    "thanks": ("不客气！还有其他事随时发消息给我。", "You're welcome! Write any time."),
    "ack": ("好的，还有需要随时说。", "OK. Write any time you need something."),
    "laugh": ("😄 很高兴和您聊天！有事随时找我。",
              "😄 Glad to chat! Write any time you need help."),
    "praise": ("谢谢夸奖！能帮上忙就好。", "Thank you! Glad to help."),
    "bye": ("再见！有需要随时发消息给我。", "Goodbye! Write any time."),
    "robot": (
        "我是{committee}的自动服务台，由居委会设置，不是真人。需要工作人员时回复“人工”即可。",
        "I am the {committee_en}'s automatic service desk, set up by the committee, not a "
        "person. Reply 'human' any time to reach a staff member.",
    ),
    "test": ("收到，服务台运行正常。", "Received: the service desk is working."),
    "weather": ("是呀，出门注意冷暖。", "Indeed - take care out there."),
    "feeling": ("辛苦了，照顾好自己！有需要随时找我。",
                "Take care of yourself! Write any time you need something."),
    "emoji": ("😊", "😊"),
    "punctuation": ("您想问什么呢？直接说您要办的事就行。",
                    "What would you like to ask? Just tell me what you need."),
    "nothing_to_cancel": ("现在没有正在办理的事项，不需要取消。查看已登记的事项请发“我的工单”。",
                          "There is nothing open to cancel. Send 'my tickets' to see what you "
                          "have registered."),
    "voice_unclear": (
        "抱歉，没能听清这段语音。请用文字再发一次，谢谢！",
        "Sorry, I could not make out that voice message. Please type it instead.",
    ),
    "other_kind": (
        "已收到。目前我只能看懂文字和语音，请用文字描述您要办的事。",
        "Received. I can only read text and voice messages for now; please describe what you "
        "need in words.",
    ),
    "clarify": ("您想问的是哪一项？请回复数字：\n{options}",
                "Which of these do you mean? Reply with the number:\n{options}"),
    "confirm": ("您是想问“{item}”吗？回复 1 确认（或回复“是”），或换个说法再问一次。",
                "Do you mean '{item}'? Reply 1 to confirm, or ask again in other words."),
    "clarify_again": ("请回复列表中的数字（1-{count}），或直接换个说法。",
                      "Please reply with a number from 1 to {count}, or say it another way."),
    "none": (
        "抱歉，服务指南里没有这方面的内容，我暂时答不上来。",
        "Sorry, the service guide does not cover that, so I cannot answer it.",
    ),
    "nearest": ("您是不是想问：\n{options}\n回复数字查看。",
                "Did you mean one of these?\n{options}\nReply with the number."),
    "offer_person": ("需要工作人员帮忙，请回复“人工”联系工作人员。",
                     "For a staff member, reply 'human'."),
    "offer_person_again": (
        "👉 连续两次没能回答您，真抱歉。回复“人工”，我马上帮您联系工作人员；也可以拨打 {phone}。",
        "👉 Sorry, that is twice I could not help. Reply 'human' and I will put you in touch "
        "with a staff member, or call {phone}.",
    ),
    "emergency": (
        "⚠️ 请立即拨打 {hotlines}！\n{label}：已开紧急工单 #{ticket}，居委会值班人员已收到通知。"
        "请先确保自身安全。",
        "⚠️ Call {hotlines} now!\n{label}: urgent ticket #{ticket} is open and the committee's "
        "staff on duty have been alerted. Keep yourself safe first.",
    ),
    # Found by meaning rather than a rule: as urgent, but said as a possibility.
    "handoff_offline": (
        "系统暂时无法接着对话，请把{needs}和情况写在一条消息里发给我，例如：“5号楼3单元楼道灯坏了 "
        "13800001111”。急事请直接拨打居委会电话 {phone}。",
        "I cannot follow a conversation just now: please send the {needs} and what happened in "
        "one message, for example 'building 5 unit 3, stair light broken, 13800001111'. For "
        "anything urgent call the committee on {phone}.",
    ),
    "need_location": ("地点", "place"),
    "need_phone": ("联系电话", "phone number"),
    "emergency_maybe": (
        "⚠️ 如果情况紧急，请立即拨打 {hotlines}！\n{label}：已开紧急工单 #{ticket}，居委会值班人员"
        "已收到通知，会马上联系您。",
        "⚠️ If this is an emergency, call {hotlines} now!\n{label}: urgent ticket #{ticket} is "
        "open and the committee's staff on duty have been alerted; they will contact you.",
    ),
    "also_asked": ("您还问到了“{item}”，回复 {number} 查看。",
                   "You also asked about '{item}': reply {number} to see it."),
    "also_asked_later": ("您还问到了“{item}”，登记完后再发给我即可。",
                         "You also asked about '{item}': ask me again once this is registered."),
    "family": ("关于“{family}”，您说的是哪一项？请回复数字：\n{options}",
               "{family}: which one do you mean? Reply with the number:\n{options}"),
    "list_cancelled": ("好的，不查了。还有需要随时问我。", "OK, never mind. Write any time."),
    "person_ask_question": (
        "好的，帮您联系工作人员。请先简单说一下您要办的事。回复“取消”可放弃。",
        "Sure, I will put you in touch with a staff member. First, briefly tell me what it is "
        "about. Reply 'cancel' to stop.",
    ),
    "person_ask_phone": (
        "好的，帮您联系工作人员。请留一个联系电话（手机或座机），工作人员会打给您。回复“取消”可放弃。",
        "Sure, I will put you in touch with a staff member. Please leave a phone number "
        "(mobile or landline) so they can call you. Reply 'cancel' to stop.",
    ),
    "person_done": (
        "已转给居委会工作人员，工单号 #{ticket}，工作人员会打 {phone} 联系您。"
        "发送“我的工单”可查看进度。",
        "Passed to the committee's staff as ticket #{ticket}; they will call you on {phone}. "
        "Send 'my tickets' to check progress.",
    ),
    "person_offline": ("请直接拨打居委会电话 {phone}，工作人员会为您处理。",
                       "Please call the committee on {phone} and a staff member will help."),
    "handoff_intro": ("这件事需要工作人员处理，我先帮您登记“{item}”。",
                      "A staff member will handle this. Let me register '{item}' for you."),
    "ask_location": ("请问具体地点是哪里？（如：5号楼2单元3楼楼道）回复“取消”可放弃。",
                     "Where exactly is it? (e.g. Building 5, unit 2, 3rd floor) Reply "
                     "'cancel' to stop."),
    "ask_phone": ("请留一个联系电话，方便工作人员联系您。",
                  "Please leave a phone number so staff can reach you."),
    "ask_name": ("请问怎么称呼您？", "How should we address you?"),
    "ask_time": ("您方便的时间是？（如：明天上午）", "When suits you? (e.g. tomorrow morning)"),
    "ask_description": ("请简单描述一下情况。", "Please describe the situation briefly."),
    "bad_phone": ("这个号码好像不对。请发送11位手机号（如 13812345678）"
                  "或座机号（如 021-64001234），回复“取消”可放弃。",
                  "That number does not look right. Please send an 11-digit mobile (e.g. "
                  "13812345678) or a landline (e.g. 021-64001234), or reply 'cancel' to stop."),
    "bad_place": ("没看懂这个地点。请写明楼号、单元或具体位置，如“5号楼2单元3楼楼道”“小区东门口”。",
                  "I could not tell where that is. Please give the building, unit or spot, e.g. "
                  "'Building 5, unit 2, 3rd floor' or 'the east gate'."),
    "too_short": ("请再说得具体一点。", "Could you give a little more detail?"),
    "cancelled": ("好的，已取消，没有登记任何事项。还有其他需要随时告诉我。",
                  "OK, cancelled: nothing was registered. Write any time."),
    "handed_off": (
        "已登记，工单号 #{ticket}。已转给{line}，一般 {days} 个工作日内处理，工作人员会联系您。"
        "发送“我的工单”可查看进度。",
        "Registered as ticket #{ticket} and passed to {line}. It is usually handled within "
        "{days} working days and a staff member will contact you. Send 'my tickets' to check "
        "progress.",
    ),
    "after_hours": ("\n现在是非办公时间，工作人员将于{opens}开始处理。",
                    "\nWe are closed now; staff will pick it up when we open ({opens})."),
    "due_by": ("\n最迟{due}前办结。", "\nIt will be dealt with by {due} at the latest."),
    "rated": ("谢谢您的评价（{stars} 分）！工单 #{ticket} 已关闭。",
              "Thank you for rating ticket #{ticket} ({stars}/5). It is now closed."),
    "rated_low": ("抱歉这次没让您满意（{stars} 分）。工单 #{ticket} 已重新打开，居委会主任会跟进。",
                  "Sorry we let you down ({stars}/5). Ticket #{ticket} is reopened and the "
                  "director will follow it up."),
    "ticket_cancelled": ("工单 #{ticket} 已取消。", "Ticket #{ticket} is cancelled."),
    "no_tickets": ("您目前没有工单。", "You have no tickets."),
    "my_tickets": ("您最近的工单：\n{lines}", "Your latest tickets:\n{lines}"),
    "ticket_line": ("#{id} {name} · {status} · {date}", "#{id} {name} · {status} · {date}"),
    "cancel_usage": ("请发送“取消工单 工单号”。", "Send 'cancel ticket NUMBER'."),
    "open_today": ("今日（{day:%m-%d}）开放时间：{spans}",
                   "Today ({day:%m-%d}) we are open {spans}."),
    "closed_today": ("今天不开放", "not at all"),
    "duty_line": ("{duty}：{names}", "{duty}: {names}"),
})

STAFF_DESK = Texts({
    # Staff write in Chinese: their commands, and so the answers, have no English twin.
    "usage": ("格式不对。发送“帮助”查看指令的写法。", "Wrong format: send 'help'."),
    "accepted": ("已签收工单 #{id}，已通知居民。", ""),
    "noted": ("已为工单 #{id} 添加备注。", ""),
    "resolved": ("工单 #{id} 已办结，已通知居民评价。", ""),
    "transferred": ("工单 #{id} 已转交{name}。", ""),
    "returned": ("工单 #{id} 已退回，等待重新分派。", ""),
    "extended": ("工单 #{id} 已延期 {days} 个工作日，新时限 {due}，已告知居民。", ""),
    "todo": ("您的待办：\n{lines}", ""),
    "todo_none": ("您目前没有待办工单。", ""),
    "todo_line": ("#{id} {item} · {status}", ""),
    "due": (" · 时限{due}", ""),
    "detail_head": ("工单 #{id}：{item} · {status}", ""),
    "detail_field": ("{field}：{value}", ""),
    "detail_words": ("居民原话：{text}", ""),
    "detail_due": ("时限：{due}", ""),
    "detail_event": ("· {event}", ""),
    "help": ("工作人员指令（N 为工单号）：\n{commands}", ""),
})
"""What the staff desk answers staff in WeChat."""

STATUS_NAMES = {
    "new": ("已登记", "registered"), "assigned": ("已分派", "assigned"),
    "accepted": ("处理中", "in progress"), "resolved": ("已办结", "resolved"),
    "closed": ("已关闭", "closed"), "reopened": ("重新处理", "reopened"),
    "cancelled": ("已取消", "cancelled"),
}
