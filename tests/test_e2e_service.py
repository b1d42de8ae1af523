"""The whole service as `make run` starts it: real gunicorn, RQ worker and fake WeChat API."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bot.cli.chat import Channel
from bot.core.settings import Settings
from tests.conftest import AES_KEY

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["plaintext", "safe mode"])
def service(request: pytest.FixtureRequest, tmp_path: Path, redis_url: str,
            redis) -> Iterator[tuple[str, str, Settings]]:
    """Start the service with the development setup; yield webhook URL, fake base, settings."""
    web, fake = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "REDIS_URL",
                                                                     "DATABASE_URL"))}
    env.update({"LINLI_PORT": str(web), "LINLI_FAKE_WECHAT_PORT": str(fake),
                "REDIS_URL": redis_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}"})
    if request.param == "safe mode":
        env["LINLI_WECHAT_AES_KEY"] = AES_KEY
    process = subprocess.Popen([sys.executable, "-m", "bot.web.devserver"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{web}/wechat"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{fake}/_calls", timeout=1).ok and \
                    requests.get(url, timeout=1).status_code == 403:
                break
        except requests.RequestException:
            time.sleep(0.2)
    settings = Settings.from_env({**env, "LINLI_WECHAT_API_BASE":
                                  f"http://127.0.0.1:{fake}/cgi-bin/"})
    yield url, f"http://127.0.0.1:{fake}", settings
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output[-2000:]
    assert "webhook listening at" in output and "development setup" in output
    assert "loaded the sample roster" in output


def _staff_messages(fake: str) -> list[dict[str, object]]:
    calls = requests.get(f"{fake}/_calls", params={"path": "message/custom/send"}, timeout=5)
    return list(calls.json())


def test_a_resident_talks_to_the_running_service(service: tuple[str, str, Settings]) -> None:
    url, fake, settings = service
    resident = Channel(settings, url, "o-e2e-resident")
    assert (resident.safe is not None) == settings.is_safe_mode
    assert "敬老卡" in resident.send("text", Content="敬老卡怎么办")
    assert "senior" in resident.send("text", Content="how do I apply for a senior card").lower()
    assert "地点" in resident.send("text", Content="楼道灯坏了")
    assert "电话" in resident.send("text", Content="9号楼1单元")
    done = resident.send("text", Content="13800001111")
    assert "工单号 #" in done
    number = done.split("#")[1].split("。")[0]

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not _staff_messages(fake):
        time.sleep(0.3)
    [sent] = _staff_messages(fake)
    body = sent["body"]
    assert isinstance(body, dict)
    assert body["touser"] == "sample-openid-property-repair"
    assert f"#{number}" in body["text"]["content"] and "9号楼1单元" in body["text"]["content"]


def test_clients_sending_headers_slowly_do_not_take_the_webhook_down(
        service: tuple[str, str, Settings]) -> None:
    url, _, settings = service
    host, port = url.split("//")[1].split("/")[0].split(":")
    slow = []
    for _ in range(4):  # twice the web workers, each holding a connection open mid-header
        client = socket.create_connection((host, int(port)))
        client.sendall(b"POST /wechat HTTP/1.1\r\nHost: x\r\n")
        slow.append(client)
    try:
        resident = Channel(settings, url, "o-e2e-slow")
        start = time.monotonic()
        assert "敬老卡" in resident.send("text", Content="敬老卡怎么办")
        assert time.monotonic() - start < 5.0
    finally:
        for client in slow:
            client.close()
