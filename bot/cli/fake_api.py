"""`flask --app bot fake-wechat`: the fake WeChat API on its own port, for development."""

from __future__ import annotations

import click


@click.command("fake-wechat")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8001, type=int)
def fake_wechat(host: str, port: int) -> None:
    """Run the fake WeChat API (development and tests)."""
    from werkzeug.serving import run_simple

    from bot.wechat.fake_api import create_fake_wechat

    click.echo(f"fake WeChat API on http://{host}:{port}/cgi-bin/ (calls at /_calls)")
    run_simple(host, port, create_fake_wechat(), threaded=True)
