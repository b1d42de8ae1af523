"""The baseline for bench/webhook_throughput.py: a bare wechatpy webhook that echoes text back.

It does only what any wechatpy webhook must (check the signature, parse the XML, render a
passive text reply), so the gap between it and Linli is what Linli itself adds.
Serve it with `gunicorn --pythonpath bench echo_app:app`.
"""

from __future__ import annotations

import os

from flask import Flask, Response, request
from wechatpy import parse_message
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

TOKEN = os.environ.get("LINLI_WECHAT_TOKEN", "benchtoken")

app = Flask("echo")


@app.post("/wechat")
def wechat() -> Response:
    """Echo a text message back as a passive reply."""
    args = request.args
    try:
        check_signature(TOKEN, args.get("signature", ""), args.get("timestamp", ""),
                        args.get("nonce", ""))
    except InvalidSignatureException:
        return Response("bad signature", status=403, mimetype="text/plain")
    msg = parse_message(request.get_data())
    reply = TextReply(content=getattr(msg, "content", ""), message=msg)
    return Response(reply.render(), mimetype="application/xml")
