"""The previous turn of one chat, so that a follow-up ("còn đến 2045?") is read in its context."""

from __future__ import annotations

import copy
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


class AnswerContexts:
    """Which conversation produced each of the bot's answer messages, so that a reply to an
    answer in a group is read in that answer's context (and its buttons re-ask it the same way).

    Kept per (chat id, message id): the context before the question (to ask it again) and
    after it (for a follow-up). The oldest entries go first past `limit`.
    """

    def __init__(self, limit: int = 5000) -> None:
        self.limit = limit
        self._by_message: dict[tuple[int, int], tuple[Conversation, Conversation]] = {}

    def remember(
        self, chat_id: int, message_ids: list[int], before: Conversation, after: Conversation
    ) -> None:
        """Record the contexts of one answer, sent as message_ids."""
        pair = (copy.deepcopy(before), copy.deepcopy(after))
        for message_id in message_ids:
            self._by_message.pop((chat_id, message_id), None)
            self._by_message[(chat_id, message_id)] = pair
        while len(self._by_message) > self.limit:
            self._by_message.pop(next(iter(self._by_message)))

    def after(self, chat_id: int, message_id: int) -> Conversation | None:
        """A copy of the context a follow-up to this answer is read in; None if unknown."""
        pair = self._by_message.get((chat_id, message_id))
        return copy.deepcopy(pair[1]) if pair else None

    def before(self, chat_id: int, message_id: int) -> Conversation | None:
        """A copy of the context the answer's own question was asked in; None if unknown."""
        pair = self._by_message.get((chat_id, message_id))
        return copy.deepcopy(pair[0]) if pair else None

    def forget_chat(self, chat_id: int) -> None:
        """/moi in a group: no earlier answer of this chat carries its context any more."""
        for key in [k for k in self._by_message if k[0] == chat_id]:
            del self._by_message[key]
