"""QuizService: the quiz's SQLite work (cards, answers, choices) around the pure scheduler."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Collection, Sequence
from datetime import datetime

from bot.quiz import scheduler, store
from bot.quiz.items import QuizItem


class QuizService:
    """One member's (or group's) review cards and the next items to ask, over one database."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def record_review(self, user_id: int, item_id: str, correct: bool, now: datetime) -> datetime:
        """Update the member's card for the item; returns when it is due again."""
        card_json, due = scheduler.review(store.load_card(self.db, user_id, item_id), correct, now)
        store.save_card(self.db, user_id, item_id, card_json, due)
        return due

    def pick_next(
        self,
        learner: int,
        items: Sequence[QuizItem],
        now: datetime,
        topic: str | None = None,
        rng: random.Random | None = None,
        due_only: bool = False,
        exclude: Collection[str] = (),
    ) -> QuizItem | None:
        """Due items first (most overdue), then a new one (curated before generated)."""
        wanted = [it for it in items if scheduler.matches_topic(it, topic)]
        return scheduler.choose(
            wanted,
            store.due_item_ids(self.db, learner, now),
            store.seen_item_ids(self.db, learner),
            rng or random.Random(),
            due_only=due_only,
            exclude=exclude,
        )

    def pick_series(
        self,
        learner: int,
        items: Sequence[QuizItem],
        now: datetime,
        count: int,
        topic: str | None = None,
        rng: random.Random | None = None,
        due_only: bool = False,
    ) -> list[QuizItem]:
        """Up to count different items for one series, chosen as pick_next would."""
        rng = rng or random.Random()
        chosen: list[QuizItem] = []
        for _ in range(count):
            item = self.pick_next(
                learner, items, now, topic, rng, due_only, exclude={it.id for it in chosen}
            )
            if item is None or item in chosen:
                break
            chosen.append(item)
        return chosen
