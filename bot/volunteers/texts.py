"""What volunteers and their staff are told: Chinese first, English for volunteers who write it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bot.core.calendar import LOCAL
from bot.core.errors import RefusalError
from bot.core.texts import Texts
from bot.volunteers.models import Station

WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

VTEXTS = Texts({
    # Signing up (a conversation; 取消 / cancel ends it at any step)
    "ask_name": ("欢迎报名社区志愿者！需要登记您的姓名、楼号和电话，仅用于排班和联系。"
                 "随时回复“取消”可放弃。\n请问您的姓名？",
                 "Welcome! To volunteer we need your name, building and phone, used only for "
                 "shifts and to reach you. Reply 'cancel' at any time to stop.\nYour name?"),
    "ask_building": ("请问您住几号楼？（如：5号楼）", "Which building do you live in? (e.g. 5)"),
    "ask_phone": ("请留一个联系电话（11位手机号）。", "Your phone number, please."),
    "bad_name": ("请发送您的姓名（2-20个字）。", "Please send your name (2-20 characters)."),
    "bad_building": ("请发送楼号，例如“5号楼”。", "Please send your building number, e.g. 5."),
    "ask_consent": (
        "请确认：{name}，{building}号楼，电话 {phone}。\n居委会将保存这些信息，只用于志愿者排班和"
        "联系，不作他用；您可以随时发送“退出志愿者”删除。\n回复“同意”完成报名，回复“取消”放弃。",
        "Please confirm: {name}, building {building}, phone {phone}.\nThe committee keeps these "
        "only to arrange shifts and reach you; send 'quit volunteering' at any time to have them "
        "deleted.\nReply 'agree' to sign up, or 'cancel'."),
    "try_later": ("系统繁忙，暂时无法登记，请稍后再发送“报名志愿者”。",
                  "We cannot take sign-ups just now; please send 'volunteer' again later."),
    "need_consent": ("需要您回复“同意”我们才能保存信息；不同意请回复“取消”。",
                     "We can only keep your details if you reply 'agree'; otherwise 'cancel'."),
    "signed_up": ("报名成功，谢谢您！工作人员审核通过后会通知您，之后发送“排班”即可报名班次。",
                  "Thank you for signing up! Staff will let you know once you are approved; "
                  "then send 'shifts' to take one."),
    "signup_cancelled": ("好的，已取消报名，没有保存您的任何信息。",
                         "OK, cancelled: none of your details were kept."),
    "already": ("您已经是志愿者了。发送“志愿者帮助”查看指令。",
                "You are a volunteer already: send 'volunteer help' for the commands."),
    "staff_signup": ("新志愿者报名 #{id}：{name}，{building}号楼，电话 {phone}。"
                     "回复“批准 {id}”通过审核，或在后台“志愿者”页处理。", ""),
    "staff_approved": ("已批准志愿者 #{id} {name}，已通知本人。", ""),
    "no_such_volunteer": ("没有编号为 #{id} 的志愿者报名。", "There is no volunteer #{id}."),
    "already_active": ("志愿者 #{id} {name} 已经通过审核。", "Volunteer #{id} {name} is already "
                       "approved."),
    "not_volunteer": ("这是志愿者的指令。您还不是垃圾分类志愿者，想参加请发送“报名志愿者”。",
                      "That is a volunteers' command. To join the garbage-sorting volunteers, "
                      "send 'volunteer'."),
    "pending": ("您的志愿者报名正在审核中，通过后会通知您。",
                "Your volunteer sign-up is awaiting approval; we will let you know."),
    "help": (
        "志愿者指令：\n排班 —— 未来一周可报名的班次（回复序号报名）\n每周 序号 —— 设为每周固定班\n"
        "我的排班 —— 我报名的班次\n取消排班 编号 —— 开班前{cutoff}小时前可取消\n"
        "签到 / 签退 —— 也可以扫垃圾房的二维码\n我的时长 —— 本月服务时长\n"
        "接班 编号 —— 接下缺岗的班\n"
        "退出志愿者 —— 删除您的登记信息",
        "Volunteer commands:\nshifts - open shifts this week (reply a number to take one)\n"
        "weekly N - take it every week\nmy shifts - the shifts you have\nunbook ID - cancel up "
        "to {cutoff} hours before\ncheck in / check out - or scan the garbage room's QR code\n"
        "my hours - your hours this month\ncover ID - take an uncovered shift\n"
        "quit volunteering - delete your details"),
    "not_yet": ("您还不是志愿者。发送“报名志愿者”即可报名。",
                "You are not a volunteer yet. Send 'volunteer' to sign up."),
    "quit_done": ("已为您退出志愿者，您的姓名、楼号和电话已删除，未来的排班已取消。感谢您的付出！",
                  "Done: your name, building and phone are deleted and your future shifts "
                  "cancelled. Thank you for all you did!"),
    # Shifts
    "open_head": ("未来一周可报名的班次（回复序号报名；发送“每周 序号”设为每周固定班；"
                  "开班前{cutoff}小时内不能取消）：",
                  "Open shifts this coming week (reply a number to take one; 'weekly N' to "
                  "take it every week; no cancelling within {cutoff} hours of the start):"),
    "open_line": ("{n}. {when} {slot} {times} {station} 余{left}",
                  "{n}. {when} {slot} {times} {station} ({left} left)"),
    "open_more": ("还有 {more} 个未列出，可发送“排班 周三”或“排班 {station}”缩小范围。",
                  "{more} more not shown: send 'shifts wed' or 'shifts {station}' to narrow."),
    "open_none": ("未来一周暂时没有空余的班次，谢谢您的热心！",
                  "No open shifts this coming week. Thank you all the same!"),
    "pick_again": ("请回复列表中的序号（1-{count}）。", "Please reply a number from 1 to {count}."),
    "need_list": ("请先发送“排班”查看可报名的班次。", "Send 'shifts' first to see the list."),
    "booked": ("已报名 #{id}：{when} {slot} {times} {station}。\n开班前{cutoff}小时内不能取消；"
               "到场后扫垃圾房的二维码签到。",
               "Booked #{id}: {when} {slot} {times} {station}.\nIt cannot be cancelled within "
               "{cutoff} hours of the start; scan the garbage room's QR code when you arrive."),
    "weekly_set": ("已设为每周固定班：每{weekday} {slot} {times} {station}，会提前一周自动预约。",
                   "Weekly shift set: every {weekday} {slot} {times} {station}, booked a week "
                   "ahead."),
    "weekly_now": ("本周 {when} 已预约（#{id}）。", "This week's ({when}) is booked (#{id})."),
    "weekly_not_now": ("本周这一班未能预约：{reason}", "This week's could not be booked: {reason}"),
    "weekly_stopped": ("已停止每周固定班：每{weekday} {slot} {station}。已预约的班次仍保留。",
                       "Weekly shift stopped: every {weekday} {slot} {station}. Shifts already "
                       "booked stay booked."),
    "no_weekly": ("没有找到您的每周固定班 {id}。", "You have no weekly shift {id}."),
    "my_head": ("您的排班：", "Your shifts:"),
    "my_line": ("#{id} {when} {slot} {times} {station}{state}",
                "#{id} {when} {slot} {times} {station}{state}"),
    "my_weekly": ("每周固定（{id}）：每{weekday} {slot} {times} {station}",
                  "Weekly ({id}): every {weekday} {slot} {times} {station}"),
    "my_foot": ("取消请发送“取消排班 编号”；停止每周固定班发送“取消每周 编号”。",
                "To cancel send 'unbook ID'; to stop a weekly shift 'weekly stop ID'."),
    "my_none": ("您还没有报名任何班次。发送“排班”看看吧。",
                "You have no shifts yet. Send 'shifts' to see the open ones."),
    "state_in": ("（已签到）", " (checked in)"),
    "state_out": ("（已签退，服务{minutes}分钟）", " (checked out, {minutes} min served)"),
    "unbooked": ("已取消排班 #{id}（{when} {station}）。", "Shift #{id} ({when} {station}) "
                 "is cancelled."),
    "hours": ("{month}月您已服务 {count} 次，共 {hours} 小时。谢谢您为社区付出！",
              "In {month_en} you served {count} shifts, {hours} hours in all. Thank you!"),
    # Refusals
    "slot_full": ("这一班已经报满了，请换一个班次。", "That shift is full: please pick another."),
    "slot_over": ("这一班已经开始或结束了，不能再报名。", "That shift has already started."),
    "past_cutoff": ("开班前{hours}小时内不能取消了。实在来不了，请尽快联系居委会。",
                    "Shifts cannot be cancelled within {hours} hours of the start. If you "
                    "cannot come, please tell the committee as soon as you can."),
    "not_yours": ("排班 #{id} 不是您的，不能操作。", "Shift #{id} is not yours."),
    "no_shift": ("没有找到排班 #{id}。", "There is no shift #{id}."),
    "not_booked": ("排班 #{id} 已经不在预约状态了。", "Shift #{id} is no longer booked."),
    "paused": ("您的志愿者身份目前已暂停，暂时不能报名或签到。如需恢复请联系居委会。",
               "Your volunteering is paused, so you cannot take shifts or check in for now. "
               "Ask the committee to resume it."),
    "already_booked": ("您已经报名了这一班（#{id}）。", "You already have that shift (#{id})."),
    "clash": ("这个时间您已经有排班 #{id} 了。", "You already have shift #{id} at that time."),
    "usage_id": ("请在指令后写编号，例如“{word} 12”。", "Add the number, e.g. '{word} 12'."),
    # Checking in and out
    "checked_in": ("签到成功：{station} {slot}（{times}），{time} 签到。辛苦了！"
                   "结束时再扫一次码或发送“签退”。",
                   "Checked in at {station}, {slot} ({times}) at {time}. Thank you! Scan again "
                   "or send 'check out' when you finish."),
    "walk_in": ("您没有预约这一班，已为您登记。",
                "You had not booked this shift; it is now yours. "),
    "checked_out": ("签退成功，本次服务 {minutes} 分钟，本月累计 {hours} 小时。谢谢您！",
                    "Checked out: {minutes} minutes today, {hours} hours this month. Thank you!"),
    "already_in": ("您已在 {time} 签到，无需重复。结束时再扫一次码或发送“签退”。",
                   "You checked in at {time} already. Scan again or send 'check out' when you "
                   "finish."),
    "already_out": ("您这一班已经签退了，谢谢！", "You have already checked out of this shift."),
    "outside": ("{station}现在不在值班时间内，没有记录签到。{next}",
                "It is not shift time at {station}: nothing was recorded. {next}"),
    "next_slot": ("下一班：{when} {times}。", "Next shift: {when} {times}."),
    "elsewhere": ("您还在{station}签到中，请先签退（发送“签退”）。",
                  "You are still checked in at {station}: send 'check out' first."),
    "not_in": ("您目前没有签到中的班次。", "You are not checked in to any shift."),
    "scan_stranger": ("这是志愿者值班签到码，没有记录签到。"
                      "想成为垃圾分类志愿者？发送“报名志愿者”。",
                      "This QR code is for volunteers checking in; nothing was recorded. "
                      "To volunteer, send 'volunteer'."),
    "unknown_station": ("这个签到码已失效，请联系居委会。", "This check-in code is no longer "
                        "valid; please tell the committee."),
    "ask_location": ("请发送您的位置（点“+”→“位置”），在垃圾房 {metres} 米内即可签到；"
                     "也可以直接扫垃圾房的二维码。回复“取消”放弃。",
                     "Send your location (tap + then Location); within {metres} m of the garbage "
                     "room checks you in. Or scan its QR code. Reply 'cancel' to stop."),
    "too_far": ("您距离{station}约 {distance} 米，请到达后再签到（{metres} 米内）。",
                "You are about {distance} m from {station}: check in when you are within "
                "{metres} m."),
    "no_station_nearby": ("还没有登记位置的垃圾房，请扫码签到。",
                          "No garbage room has a location on record: please scan its QR code."),
    "no_slot_now": ("现在没有进行中的班次，没有记录签到。", "No shift is under way: nothing was "
                    "recorded."),
    "location_cancelled": ("好的，已取消签到。", "OK, not checking in."),
    # Standby
    "covered": ("接班成功 #{id}：{station} {slot}（{times}）。请尽快到场，扫码签到。谢谢！",
                "You have shift #{id}: {station}, {slot} ({times}). Please go now and scan to "
                "check in. Thank you!"),
    "no_offer": ("没有找到接班邀请 {id}。", "There is no cover request {id}."),
    "offer_taken": ("谢谢！这一班已经有人接了。", "Thank you! Someone has already taken it."),
    "offer_over": ("这一班已经结束了，谢谢！", "That shift is already over. Thank you!"),
    "everyone_there": ("这一班的志愿者已经到齐了，谢谢！", "That shift is fully staffed now."),
    # Sent later by jobs and staff tools
    "remind_eve": ("【明日排班提醒】{when} {slot} {times} {station}（{where}）。{hint}",
                   "Reminder: tomorrow {when} {slot} {times} at {station} ({where}). {hint}"),
    "hint_unbook": ("来不了请在 {deadline} 前发送“取消排班 {id}”。",
                    "If you cannot come, send 'unbook {id}' before {deadline}."),
    "hint_call": ("来不了请尽早联系居委会。", "If you cannot come, please tell the committee."),
    "remind_soon": ("【排班提醒】{time} 开始：{station} {slot}（{where}）。到场后扫码签到。",
                    "Reminder: your shift at {station} ({where}) starts at {time}. Scan the QR "
                    "code when you arrive."),
    "offer": ("【接班邀请】{station} 今天 {slot} {times} 还没有志愿者到岗。您能来吗？"
              "回复“接班 {code}”接班，先到先得。",
              "Cover request: nobody is at {station} for today's {slot} ({times}). Can you "
              "come? Reply 'cover {code}'; first come, first served."),
    "approved": ("您的志愿者报名已通过，欢迎加入！发送“排班”报名班次，“志愿者帮助”查看全部指令。",
                 "You are approved as a volunteer. Welcome! Send 'shifts' to take a shift."),
    "slot_closed": ("您预约的 {when} {slot} {station} 因故取消（{note}），不用到场。",
                    "Your shift {when} {slot} at {station} is called off ({note}); no need to "
                    "come."),
    "staff_uncovered": ("【值守缺岗】{station} {when} {slot}（{times}）开始 {minutes} 分钟"
                        "仍无志愿者"
                        "签到（预约 {booked} 人）。已向 {offered} 位志愿者发出接班邀请。", ""),
    "staff_covered": ("【已接班】志愿者{name}接下了 {station} {slot}（{times}）。", ""),
})


def refusal(key: str, **values: object) -> RefusalError:
    """Return the refusal KEY, worded in both languages."""
    return VTEXTS.refuse(key, **values)


def weekday_name(weekday: int, lang: str) -> str:
    """Return 周二 / Tue for a weekday (0 = Monday)."""
    return WEEKDAYS_EN[weekday] if lang == "en" else "周" + WEEKDAYS_ZH[weekday]


def describe_day(day: date, lang: str) -> str:
    """Return '周二 11-24' / 'Tue 11-24'."""
    return f"{weekday_name(day.weekday(), lang)} {day:%m-%d}"


def describe_span(starts_at: datetime, ends_at: datetime) -> str:
    """Return '07:00-09:00' in local time."""
    return f"{starts_at.astimezone(LOCAL):%H:%M}-{ends_at.astimezone(LOCAL):%H:%M}"


def clock_time(moment: datetime) -> str:
    """Return a local time as 07:05."""
    return f"{moment.astimezone(LOCAL):%H:%M}"


class Timed(Protocol):
    """A slot or a shift: what a message needs to say when and where."""

    @property
    def day(self) -> date: ...
    @property
    def number(self) -> int: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...


def plan_values(station: Station, number: int, lang: str) -> dict[str, str]:
    """Return a station slot's name, planned times, station and where (the session open)."""
    plan = next((p for p in station.plans if p.number == number), None)
    name = str(number) if plan is None else (
        plan.name_en if lang == "en" and plan.name_en else plan.name)
    return {"slot": name, "times": f"{plan.starts}-{plan.ends}" if plan else "",
            "station": station.label(lang), "where": station.location or "-"}


def slot_values(station: Station, timed: Timed, lang: str) -> dict[str, str]:
    """Return when, times, station, slot and where of one dated slot or shift."""
    return {**plan_values(station, timed.number, lang), "when": describe_day(timed.day, lang),
            "times": describe_span(timed.starts_at, timed.ends_at)}
