"""The one kind of error a person is shown: a refusal, in their language. Anything else is a fault,
logged with a reference and answered with an apology."""

from __future__ import annotations


class RefusalError(Exception):
    """A known refusal (not allowed, not yours, not found, malformed): its text is shown as is."""

    def __init__(self, zh: str, en: str = "") -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en or zh

    def text(self, lang: str) -> str:
        """Return the refusal in the user's language."""
        return self.en if lang == "en" else self.zh
