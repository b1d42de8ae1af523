"""A failed job's traceback, logged and kept in Redis, never shows the AppSecret or a token."""

from __future__ import annotations

import logging

import pytest

from bot.core.privacy import redact_secrets
from bot.core.services import Services
from workers.worker import LinliWorker

TOKEN_URL = ("https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential"
             "&appid=wx-test-appid&secret={secret}")


def fail_with_credentials(secret: str) -> None:
    """A job that fails the way a refused token request does: the URL in the message."""
    raise RuntimeError("token request failed: " + TOKEN_URL.format(secret=secret)
                       + " then message/custom/send?access_token=ACCESS-abc123XYZ")


def test_a_failed_jobs_traceback_hides_the_app_secret_and_access_token(
        services: Services, caplog: pytest.LogCaptureFixture) -> None:
    secret = services.settings.wechat_secret
    job = services.jobs.queue.enqueue(fail_with_credentials, secret)
    worker = LinliWorker([services.jobs.queue], connection=services.redis)
    with caplog.at_level(logging.ERROR):
        worker.work(burst=True)
    job.refresh()
    kept = job.latest_result().exc_string  # type: ignore[union-attr]
    for text in (caplog.text, kept):
        assert "token request failed" in text  # the failure itself is still there
        assert secret not in text and "ACCESS-abc123XYZ" not in text


@pytest.mark.parametrize(("text", "hidden"), [
    ("?appid=wx1&secret=s3cr3t-value&x=1", "s3cr3t-value"),
    ('{"access_token": "TOKEN123456", "expires_in": 7200}', "TOKEN123456"),
    ("msg_signature=abcdef0123456789", "abcdef0123456789"),
])
def test_credentials_named_in_urls_and_json_are_hidden(text: str, hidden: str) -> None:
    assert hidden not in redact_secrets(text)
