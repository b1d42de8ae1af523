"""The WeChat API client Linli uses: one shared access token in Redis and one error type."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import quote

import requests
from redis import Redis
from redis.exceptions import LockError
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

REAL_API_BASE = "https://api.weixin.qq.com/cgi-bin/"
TOKEN_PREFIX = "linli:wechat"
TOKEN_MARGIN_SECONDS = 300
"""Tokens leave Redis this long before WeChat expires them, so nobody uses a dying token."""
LOCK_SECONDS = 15
UNDELIVERABLE_ERRCODES = frozenset({45015, 45047})


class WeChatApiError(Exception):
    """A WeChat call failed; `errcode` is WeChat's code, or None if no WeChat answer came back."""

    def __init__(self, errcode: int | None, errmsg: str) -> None:
        # Both values go to Exception so the error survives pickling (RQ stores failed jobs).
        super().__init__(errcode, errmsg)
        self.errcode = errcode
        self.errmsg = errmsg

    def __str__(self) -> str:
        """Readable one-liner, e.g. for a notification's last_error."""
        if self.errcode is None:
            return f"WeChat API unreachable: {self.errmsg}"
        return f"WeChat API error {self.errcode}: {self.errmsg}"

    @property
    def is_undeliverable(self) -> bool:
        """True when retrying cannot help: the 48-hour window is closed or the quota used up."""
        return self.errcode in UNDELIVERABLE_ERRCODES


@contextmanager
def wechat_errors() -> Iterator[None]:
    """Turn wechatpy and requests failures raised inside the block into WeChatApiError."""
    try:
        yield
    except WeChatClientException as exc:
        if exc.errcode is not None:
            raise WeChatApiError(int(exc.errcode), str(exc.errmsg)) from exc
        response = exc.response
        status = f"HTTP {response.status_code}" if response is not None else "no response"
        raise WeChatApiError(None, status) from exc
    except requests.RequestException as exc:
        raise WeChatApiError(None, f"{type(exc).__name__}: {exc}") from exc


class _RetryState(threading.local):
    """What this thread's request in flight used, so a token refresh knows what to replace."""

    used_token: str | None = None
    depth: int = 0
    refreshed: bool = False


class LinliWeChatClient(WeChatClient):  # type: ignore[misc]
    """wechatpy's client aimed at `api_base`, sharing one access token per appid via Redis."""

    def __init__(self, appid: str, secret: str, api_base: str, redis: Redis,
                 timeout: float = 5.0) -> None:
        self._retry = _RetryState()
        super().__init__(appid, secret, session=RedisStorage(redis, prefix=TOKEN_PREFIX),
                         timeout=timeout)
        self.API_BASE_URL = api_base
        self._redis = redis

    @property
    def auto_retry(self) -> bool:
        """Whether a token error triggers a refresh and retry; only once per call, never a loop."""
        return self._auto_retry and not self._retry.refreshed

    @auto_retry.setter
    def auto_retry(self, value: bool) -> None:
        self._auto_retry = value

    @property
    def access_token(self) -> str:
        """The shared token; Redis drops it early, so whatever Redis holds is fresh enough."""
        # wechatpy also compares with this instance's own expires_at, which makes every process
        # refresh again when the token it fetched itself gets old, even if another one refreshed.
        token = self.session.get(self.access_token_key)
        return str(token) if token else self._refresh(stale=None)

    def fetch_access_token(self) -> dict[str, Any]:
        """Replace the shared token, unless another process replaced it while we waited."""
        state = self._retry
        if state.depth:
            # wechatpy's auto-retry after 40001/40014/42001: the token to replace is the one
            # that request used, whatever Redis holds by now.
            state.refreshed = True
            stale = state.used_token
        else:
            stale = self.session.get(self.access_token_key)
        return {"access_token": self._refresh(stale)}

    def send_text(self, openid: str, text: str) -> None:
        """Send a customer-service text message; any failure raises WeChatApiError."""
        with wechat_errors():
            result = self.message.send_text(openid, text)
        if not isinstance(result, dict):
            raise WeChatApiError(None, "the answer was not JSON")

    def send_template(self, openid: str, template_id: str, data: dict[str, Any]) -> None:
        """Send a template message (needs a verified service account; no 48-hour window)."""
        with wechat_errors():
            self.message.send_template(openid, template_id, data)

    def qrcode_url(self, ticket: str) -> str:
        """The URL of a QR code image: mp.weixin.qq.com for the real API, else under api_base."""
        if self.API_BASE_URL == REAL_API_BASE:
            return str(self.qrcode.get_url(ticket))
        return f"{self.API_BASE_URL}showqrcode?ticket={quote(ticket, safe='')}"

    def _handle_result(self, res: Any, method: str | None = None, url: str | None = None,
                       result_processor: Any = None, **kwargs: Any) -> Any:
        # wechatpy calls fetch_access_token() from here without saying which token was refused;
        # remember it, and count nesting so one refresh per call is the limit.
        state = self._retry
        params = kwargs.get("params")
        outer_token = state.used_token
        state.used_token = params.get("access_token") if isinstance(params, dict) else None
        state.depth += 1
        try:
            return super()._handle_result(res, method, url, result_processor, **kwargs)
        finally:
            state.depth -= 1
            state.used_token = outer_token
            if state.depth == 0:
                state.refreshed = False

    def _refresh(self, stale: str | None) -> str:
        """Fetch a token under a Redis lock, unless Redis already holds one other than `stale`."""
        lock = self._redis.lock(f"{TOKEN_PREFIX}:token-lock:{self.appid}", timeout=LOCK_SECONDS,
                                blocking_timeout=LOCK_SECONDS)
        if not lock.acquire():
            raise WeChatApiError(None, "timed out waiting for another access token refresh")
        try:
            # Whoever held the lock before us may have refreshed already: use theirs.
            current = self.session.get(self.access_token_key)
            if current and current != stale:
                return str(current)
            return self._fetch_token()
        finally:
            # Held past its timeout the lock has expired and is free again: nothing to release.
            with suppress(LockError):
                lock.release()

    def _fetch_token(self) -> str:
        """Ask WeChat for a token and store it with a TTL short of what WeChat grants."""
        # wechatpy's own fetch hard-codes api.weixin.qq.com and sends no timeout.
        params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        try:
            res = self._http.get(f"{self.API_BASE_URL}token", params=params, timeout=self.timeout)
            res.raise_for_status()
            result = res.json()
        except requests.RequestException as exc:
            raise WeChatApiError(None, f"fetching the access token: {exc}") from exc
        if not isinstance(result, dict) or not result.get("access_token"):
            errcode = result.get("errcode") if isinstance(result, dict) else None
            errmsg = result.get("errmsg") if isinstance(result, dict) else None
            raise WeChatApiError(int(errcode) if errcode else None,
                                 str(errmsg or "no access_token in the answer"))
        expires_in = int(result.get("expires_in", 7200))
        ttl = (expires_in - TOKEN_MARGIN_SECONDS if expires_in > 2 * TOKEN_MARGIN_SECONDS
               else max(1, expires_in // 2))
        token = str(result["access_token"])
        self.session.set(self.access_token_key, token, ttl)
        self.expires_at = int(time.time()) + ttl
        return token


def make_wechat_client(appid: str, secret: str, api_base: str, redis: Redis,
                       timeout: float = 5.0) -> LinliWeChatClient:
    """Build the client for one official account; clients of one appid share their token."""
    return LinliWeChatClient(appid, secret, api_base, redis, timeout)
