"""A staff member binds their WeChat account with the one-time code an administrator issued."""

from __future__ import annotations

from bot.core.errors import RefusalError
from bot.dispatch.context import Context
from bot.dispatch.identity import forget_roles
from bot.dispatch.router import Routes
from bot.staff.binding import redeem_code
from bot.wechat.messages import Incoming, Reply

routes = Routes()


@routes.command("绑定", "bind")
def bind_account(message: Incoming, ctx: Context) -> Reply:
    """Bind the sender's account to the staff member the code was issued for."""
    parts = message.text.split()
    if len(parts) != 2 or not parts[1].isdigit():
        raise RefusalError("请发送“绑定 绑定码”，绑定码由管理员提供。",
                           "Send 'bind CODE' with the code the administrator gave you.")
    with ctx.services.db.session() as session:
        staff = redeem_code(session, parts[1], message.openid, ctx.now())
        name = staff.name
        session.commit()
    forget_roles(ctx.services, message.openid)
    return Reply(f"绑定成功，{name}。今后工单会推送到这个微信号；发送“帮助”查看工作人员指令。")
