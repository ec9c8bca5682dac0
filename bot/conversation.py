"""The previous turn of one chat, so that a follow-up ("còn đến 2045?") is read in its context."""

from __future__ import annotations

import time
from dataclasses import dataclass

CONTEXT_SECONDS = 15 * 60  # a follow-up later than this starts afresh
CONTEXT_TURNS = 3  # follow-ups read against one subject before it is dropped


@dataclass
class Conversation:
    """What the last answered question of a chat was about: its documents and its words."""

    doc_ids: tuple[str, ...] = ()
    subject: str = ""  # the question that set the context, as typed
    turns: int = 0  # follow-ups read against this subject so far
    updated: float = 0.0  # time.time() of the last turn

    def clear(self) -> None:
        """Forget the context (/moi)."""
        self.doc_ids, self.subject, self.turns, self.updated = (), "", 0, 0.0

    def active(self, now: float | None = None) -> bool:
        """True while a follow-up may still be read against this context."""
        now = time.time() if now is None else now
        return (
            bool(self.subject)
            and now - self.updated <= CONTEXT_SECONDS
            and self.turns < CONTEXT_TURNS
        )


class Conversations:
    """One Conversation per chat key (Telegram chat id, 'nqbot chat', a JSON 'chat' field)."""

    def __init__(self) -> None:
        self._by_key: dict[str, Conversation] = {}

    def get(self, key: str | int) -> Conversation:
        """The chat's conversation, created empty on first use."""
        return self._by_key.setdefault(str(key), Conversation())

    def clear(self, key: str | int) -> None:
        """Forget one chat's context."""
        self._by_key.pop(str(key), None)
