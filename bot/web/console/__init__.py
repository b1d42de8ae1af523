"""The committee's web console: sign-in, and pages over what WeChat and the CLI already do."""

from bot.web.console import account_forms as _account_forms  # noqa: F401  (registers its routes)
from bot.web.console import guide as _guide  # noqa: F401  (registers its routes)
from bot.web.console import people as _people  # noqa: F401  (registers its routes)
from bot.web.console import reports as _reports  # noqa: F401  (registers its routes)
from bot.web.console import simulator as _simulator  # noqa: F401  (registers its routes)
from bot.web.console import tickets as _tickets  # noqa: F401  (registers its routes)
from bot.web.console import volunteers as _volunteers  # noqa: F401  (registers its routes)
from bot.web.console.auth import console

__all__ = ["console"]
