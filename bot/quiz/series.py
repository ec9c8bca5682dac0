"""A quiz series: ten polls one after another, as @QuizBot runs them, and its ranking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.quiz.items import QuizItem

SERIES_LENGTH = 10
MEDALS = ("🥇", "🥈", "🥉")


@dataclass
class Series:
    """The polls of one run in one chat; the next is sent when the current one is answered."""

    chat_id: int
    starter: int  # who typed /quiz: in a group, their answer moves the series on
    learner: int  # whose review cards chose the items (the member, or the group)
    items: list[QuizItem]
    group: bool = False
    poll_ids: list[str] = field(default_factory=list)
    finished: bool = False

    @property
    def current_poll(self) -> str | None:
        """The poll that is open now (the last one sent)."""
        return self.poll_ids[-1] if self.poll_ids else None

    def next_item(self) -> QuizItem | None:
        """The item to send next, or None when every item has been sent."""
        sent = len(self.poll_ids)
        return self.items[sent] if sent < len(self.items) else None

    def position(self) -> str:
        """'3/10' for the poll about to be sent."""
        return f"{len(self.poll_ids) + 1}/{len(self.items)}"


@dataclass(frozen=True)
class Ranked:
    """One line of a leaderboard: its mark (medal or place), name and score."""

    mark: str
    name: str
    correct: int
    answered: int


def ranked(rows: Iterable[tuple[str, int, int]]) -> list[Ranked]:
    """Rows of (name, correct, answered) in order: equal scores share a place, and a medal
    goes only to places 1-3 with at least one correct answer."""
    rows = sorted(rows, key=lambda r: (-r[1], r[2], r[0]))
    out: list[Ranked] = []
    for name, correct, answered in rows:
        place = 1 + sum(1 for _n, c, a in rows if (c, -a) > (correct, -answered))
        medal = MEDALS[place - 1] if correct > 0 and place <= len(MEDALS) else f"{place}."
        out.append(Ranked(medal, name, correct, answered))
    return out
