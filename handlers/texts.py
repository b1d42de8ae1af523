"""What the bot says to residents, Chinese first with English twins."""

from bot.texts import Texts

TEXTS = Texts({
    "welcome": (
        "您好，欢迎关注{committee}！我是居委会的线上服务台，可以：\n"
        "· 回答办事问题（如“敬老卡怎么办”“医保卡补办”）\n"
        "· 受理报修、纠纷调解等事项，转给负责的工作人员\n"
        "· 告诉您该去哪个部门办理\n"
        "直接发文字或语音给我就行。发送“我的工单”查看进度。紧急情况请直接拨打110/119/120。",
        "Welcome to {committee_en}! I am the committee's online service desk. I can answer "
        "questions (e.g. 'senior card', 'medical insurance card'), pass repairs and other "
        "matters to the right staff member, and tell you which office handles what. Just write "
        "to me. Send 'my tickets' to check progress. In an emergency call 110/119/120 at once.",
    ),
    "greeting": (
        "您好！我是{committee}线上服务台。有什么可以帮您？可以直接说您要办的事，"
        "比如“敬老卡怎么办”“楼道灯坏了”。",
        "Hello! This is the {committee_en} online desk. Tell me what you need, for example "
        "'senior card' or 'the corridor light is broken'.",
    ),
    "thanks": ("不客气！还有其他事随时发消息给我。", "You're welcome! Write any time."),
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
    "confirm": ("您是想问“{item}”吗？回复 1 确认，或换个说法再问一次。",
                "Do you mean '{item}'? Reply 1 to confirm, or ask again in other words."),
    "clarify_again": ("请回复列表中的数字（1-{count}），或直接换个说法。",
                      "Please reply with a number from 1 to {count}, or say it another way."),
    "none": (
        "抱歉，这个问题我暂时答不上来。已记下并转给居委会前台（编号 #{ticket}），"
        "工作人员会尽快联系您。也可以拨打 {phone}。",
        "Sorry, I don't have an answer for that yet. I've passed it to the committee front "
        "desk (number #{ticket}) and a staff member will get back to you. You can also call "
        "{phone}.",
    ),
    "emergency": (
        "⚠️ 紧急情况请立即拨打 {hotlines}！\n先确保自身安全。我们已同时通知居委会值班人员"
        "（编号 #{ticket}）。",
        "⚠️ This is an emergency: call {hotlines} now! Keep yourself safe first. We have also "
        "alerted the committee's staff on duty (number #{ticket}).",
    ),
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
    "bad_phone": ("这个号码好像不对，请发送11位手机号或带区号的座机号。",
                  "That number does not look right: please send an 11-digit mobile or a landline "
                  "with area code."),
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
})

STATUS_NAMES = {
    "new": ("已登记", "registered"), "assigned": ("已分派", "assigned"),
    "accepted": ("处理中", "in progress"), "resolved": ("已办结", "resolved"),
    "closed": ("已关闭", "closed"), "reopened": ("重新处理", "reopened"),
    "cancelled": ("已取消", "cancelled"),
}
