"""A fake WeChat API server speaking the /cgi-bin/ endpoints Linli calls, for dev and tests."""

from __future__ import annotations

import itertools
import secrets
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.serving import BaseWSGIServer, make_server

Answer = dict[str, Any]
OK: Answer = {"errcode": 0, "errmsg": "ok"}
ERRMSGS = {
    -1: "system error", 40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type", 40003: "invalid openid", 40008: "invalid message type",
    40014: "invalid access_token", 40016: "invalid button size", 40037: "invalid template_id",
    40097: "invalid args", 41002: "appid missing", 41004: "appsecret missing",
    42001: "access_token expired", 45009: "reach max api daily quota limit",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit", 46003: "menu no exist", 47001: "data format error",
}
QR_ACTIONS = ("QR_SCENE", "QR_STR_SCENE", "QR_LIMIT_SCENE", "QR_LIMIT_STR_SCENE")


def error(errcode: int, errmsg: str | None = None) -> Answer:
    """A WeChat error answer, with the errmsg WeChat uses for `errcode` unless one is given."""
    return {"errcode": errcode, "errmsg": errmsg or ERRMSGS.get(errcode, "injected error")}


@dataclass
class Failure:
    """An injected failure: the next `times` calls to `path` (for `touser`, if set) fail."""

    path: str
    errcode: int | None = None
    errmsg: str | None = None
    status: int | None = None
    times: int = 1
    touser: str | None = None


@dataclass
class FakeWeChatState:
    """Everything one fake app remembers; every method takes `lock` itself."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    calls_received: list[dict[str, Any]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    token_fetches: int = 0
    msgids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    menu: Any = None

    def calls(self, path: str | None = None, since: int = 0) -> list[dict[str, Any]]:
        """Calls received from index `since` on, in order, optionally only those to `path`."""
        wanted = path.strip("/").removeprefix("cgi-bin/") if path is not None else None
        with self.lock:
            return [dict(c) for c in self.calls_received[since:] if wanted in (None, c["path"])]

    def fail(self, path: str, errcode: int | None = None, errmsg: str | None = None, *,
             times: int = 1, touser: str | None = None, status: int | None = None) -> None:
        """Make the next `times` calls to `path` answer `errcode` (or HTTP `status`)."""
        failure = Failure(path.strip("/").removeprefix("cgi-bin/"), errcode, errmsg, status, times,
                          touser)
        with self.lock:
            self.failures.append(failure)

    def take_failure(self, path: str, body: Any) -> Failure | None:
        """Use up one turn of the first injected failure that matches this call."""
        touser = body.get("touser") if isinstance(body, dict) else None
        with self.lock:
            for failure in self.failures:
                if failure.path == path and failure.touser in (None, touser):
                    failure.times -= 1
                    if failure.times <= 0:
                        self.failures.remove(failure)
                    return failure
        return None

    def reset(self) -> None:
        """Forget calls, failures and the fetch count (issued tokens stay valid, as at WeChat)."""
        with self.lock:
            self.calls_received.clear()
            self.failures.clear()
            self.token_fetches = 0


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bitmap(rows: list[list[bool]], scale: int = 1) -> bytes:
    """Encode dark-on-white pixels as an 8-bit grayscale PNG (no image library needed)."""
    height, width = len(rows) * scale, len(rows[0]) * scale
    raw = b"".join((b"\x00" + bytes(0 if dark else 255 for dark in row for _ in range(scale)))
                   * scale for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))


def qrcode_png(text: str) -> bytes:
    """A scannable QR code PNG for `text`, or a blank 1x1 PNG when `qrcode` is missing."""
    try:
        import qrcode
    except ImportError:
        return png_bitmap([[False]])
    # Only the module matrix is used: qrcode's own image factories need Pillow or PyPNG.
    qr = qrcode.QRCode(border=2)
    qr.add_data(text)
    qr.make(fit=True)
    return png_bitmap(qr.get_matrix(), scale=4)


def _token(state: FakeWeChatState, query: Answer, _body: Any) -> Answer:
    if query.get("grant_type") != "client_credential":
        return error(40002)
    token = secrets.token_urlsafe(48)
    state.tokens.add(token)
    state.token_fetches += 1
    return {"access_token": token, "expires_in": 7200}


def _qrcode_create(_state: FakeWeChatState, _query: Answer, body: Answer) -> Answer:
    action = body["action_name"]
    if action not in QR_ACTIONS:
        return error(40097)
    ticket = secrets.token_urlsafe(36)
    answer: Answer = {"ticket": ticket, "url": f"http://weixin.qq.com/q/{ticket[:24]}"}
    if "LIMIT" not in action:
        # WeChat's default lifetime is 60 s and its maximum 30 days.
        answer["expire_seconds"] = min(int(body.get("expire_seconds") or 60), 2592000)
    return answer


def _menu_create(state: FakeWeChatState, _query: Answer, body: Answer) -> Answer:
    state.menu = {"button": body["button"]}
    return dict(OK)


# path -> (HTTP method, needs an access_token, (required field, errcode if missing)..., handler);
# POST fields are looked up in the JSON body, GET fields in the query string.
Endpoint = tuple[str, bool, tuple[tuple[str, int], ...],
                 Callable[[FakeWeChatState, Answer, Any], Answer]]
ENDPOINTS: dict[str, Endpoint] = {
    "token": ("GET", False, (("appid", 41002), ("secret", 41004)), _token),
    "message/custom/send": ("POST", True, (("touser", 40003), ("msgtype", 40008)),
                            lambda *_: dict(OK)),
    "message/template/send": ("POST", True, (("touser", 40003), ("template_id", 40037)),
                              lambda s, *_: {**OK, "msgid": next(s.msgids)}),
    "qrcode/create": ("POST", True, (("action_name", 40097), ("action_info", 40097)),
                      _qrcode_create),
    "menu/create": ("POST", True, (("button", 40016),), _menu_create),
    "menu/get": ("GET", True, (), lambda s, *_: {"menu": s.menu} if s.menu else error(46003)),
    "showqrcode": ("GET", False, (("ticket", 40097),), lambda *_: dict(OK)),
}


def _answer(state: FakeWeChatState, path: str) -> Response | tuple[Response, int]:
    method, needs_token, required, handler = ENDPOINTS[path]
    query = request.args.to_dict()
    body = request.get_json(force=True, silent=True)  # wechatpy sends no JSON content type
    fields: Answer = query if method == "GET" else body if isinstance(body, dict) else {}
    with state.lock:
        failure = state.take_failure(path, body)
        status = (failure.status if failure else None) or 200
        if failure is not None:
            result = {} if failure.status else error(failure.errcode or -1, failure.errmsg)
        elif needs_token and query.get("access_token") not in state.tokens:
            result = error(40001)
        elif method == "POST" and not isinstance(body, dict):
            result = error(47001)
        elif missing := [code for key, code in required if not fields.get(key)]:
            result = error(missing[0])
        else:
            result = handler(state, query, body)
        state.calls_received.append({"path": path, "method": method, "query": query, "body": body,
                                     "at": time.time(), "errcode": result.get("errcode", 0),
                                     "status": status})
    if status != 200:
        return jsonify({"error": "injected HTTP failure"}), status
    if path == "showqrcode" and result.get("errcode") == 0:
        # Real tickets are opaque; encoding the ticket makes every image different.
        png = qrcode_png(f"http://weixin.qq.com/q/{query['ticket']}")
        return Response(png, mimetype="image/png")
    return jsonify(result)


def create_fake_wechat() -> Flask:
    """Build an independent fake WeChat API app; its state is `app.extensions['fake_wechat']`."""
    app = Flask(__name__)
    state = app.extensions["fake_wechat"] = FakeWeChatState()
    for path, (method, *_rest) in ENDPOINTS.items():
        app.add_url_rule(f"/cgi-bin/{path}", f"wechat:{path}",
                         lambda p=path: _answer(state, p), methods=[method])

    @app.post("/_fail")
    def fail() -> Response:
        spec = request.get_json(force=True)
        state.fail(str(spec.pop("path")), **spec)
        return jsonify(OK)

    @app.route("/_calls", methods=["GET", "DELETE"])
    def calls() -> Response:
        if request.method == "DELETE":
            state.reset()
            return jsonify(OK)
        since = request.args.get("since", default=0, type=int)
        return jsonify(state.calls(request.args.get("path"), since))

    app.add_url_rule("/_stats", "stats", lambda: jsonify({"token_fetches": state.token_fetches}))

    return app


class FakeWeChatServer:
    """A fake WeChat app served from a background thread, with its state's helpers at hand."""

    def __init__(self, server: BaseWSGIServer, app: Flask) -> None:
        self._server = server
        self.state: FakeWeChatState = app.extensions["fake_wechat"]
        self.base_url = f"http://{server.host}:{server.port}/cgi-bin/"
        self.calls, self.fail, self.reset = self.state.calls, self.state.fail, self.state.reset
        # A short poll keeps shutdown() fast: tests start and stop one server each.
        self._thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    @property
    def token_fetches(self) -> int:
        """How many access tokens were issued since start or the last reset."""
        return self.state.token_fetches

    def shutdown(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()


def serve_fake_wechat(host: str = "127.0.0.1", port: int = 0) -> FakeWeChatServer:
    """Serve a new fake WeChat app from a background thread (port 0 picks a free port)."""
    app = create_fake_wechat()
    return FakeWeChatServer(make_server(host, port, app, threaded=True), app)
