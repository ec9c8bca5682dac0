"""Admin actions waiting for a confirmation button: overwrite an upload, delete a document.

Each waits under a short random token carried by its buttons ("up:<token>:y"), for its own
admin only, and expires after PENDING_SECONDS (an expired overwrite's staged file is removed).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram import messages as say

PENDING_SECONDS = 600
_DATA = re.compile(r"^[a-z]+:([0-9a-f]{8}):([yn])$")


@dataclass
class Pending:
    """One action an admin was asked to confirm."""

    kind: str  # "upload" (overwrite) | "delete"
    target: Path
    user_id: int
    staged: Path | None = None  # the upload waiting beside knowledge/
    at: float = field(default_factory=time.monotonic)


class Confirmations:
    """The actions waiting for their buttons, by token."""

    def __init__(
        self, seconds: float = PENDING_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._waiting: dict[str, Pending] = {}

    def add(self, action: Pending) -> str:
        """Keep the action; the token its buttons carry."""
        action.at = self._clock()
        token = secrets.token_hex(4)
        self._waiting[token] = action
        return token

    def take(self, token: str, kind: str, user_id: int) -> Pending | None:
        """The action a button answers, removed; None when stale, another kind or another admin's."""
        now = self._clock()
        for stale in [t for t, a in self._waiting.items() if now - a.at > self.seconds]:
            action = self._waiting.pop(stale)
            if action.staged is not None:
                action.staged.unlink(missing_ok=True)  # an unanswered overwrite question
        action = self._waiting.get(token)
        if action is None or action.kind != kind or action.user_id != user_id:
            return None
        return self._waiting.pop(token)

    def __len__(self) -> int:
        return len(self._waiting)


def parse(data: str | None) -> tuple[str, bool] | None:
    """(token, yes) from a confirmation button's data; None for anything malformed."""
    match = _DATA.match(data or "")
    return (match.group(1), match.group(2) == "y") if match else None


def keyboard(prefix: str, token: str, yes: str) -> InlineKeyboardMarkup:
    """The two buttons: yes (with its own wording) and cancel."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=f"{prefix}:{token}:y"),
                InlineKeyboardButton(say.BUTTON_CANCEL, callback_data=f"{prefix}:{token}:n"),
            ]
        ]
    )
