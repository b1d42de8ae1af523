"""The committee's web console: sign-in, and pages over what WeChat and the CLI already do."""

from bot.console.auth import console

__all__ = ["console"]
