"""Spaced repetition with FSRS, pure: score an answer, choose what a member sees next.

No database here: QuizService (bot/quiz/service.py) reads and writes the cards in SQLite.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Sequence
from datetime import datetime

from fsrs import Card, Rating, Scheduler

from bot.quiz.items import QuizItem
from bot.text.codes import document_codes, find_question_codes
from bot.text.normalize import fold

# No fuzzing: the same answers give the same due dates (testable, explainable to members).
_SCHEDULER = Scheduler(enable_fuzzing=False)


def review(card_json: str | None, correct: bool, now: datetime) -> tuple[str, datetime]:
    """The card after one answer (correct → Good, wrong → Again) and its next due time."""
    card = Card.from_json(card_json) if card_json else Card(due=now)
    rating = Rating.Good if correct else Rating.Again
    card, _log = _SCHEDULER.review_card(card, rating, review_datetime=now)
    return card.to_json(), card.due


_NUMBER_TOPIC = re.compile(r"^\s*(\d{1,4})\s*$")


def _phrase(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", fold(text))) + " "


def matches_topic(item: QuizItem, topic: str | None) -> bool:
    """True if the item is about the topic: a document ('57', 'nq 57', '57-NQ/TW') or words.

    Words match whole words in order ("chuyển đổi số" is not "chuyển đổi" + "số liệu").
    """
    if not topic or not topic.strip():
        return True
    have = document_codes(item.code)
    wanted = find_question_codes(topic)
    if wanted:
        return any(w.matches(h) for w in wanted for h in have)
    number = _NUMBER_TOPIC.match(topic)
    if number:
        return any(h.number.lstrip("0") == number.group(1).lstrip("0") for h in have)
    haystack = _phrase(
        f"{item.question} {item.source_text} {item.heading} {' '.join(item.options)}"
    )
    return _phrase(topic) in haystack


def choose(
    items: Sequence[QuizItem],
    due_ids: Sequence[str],
    seen_ids: Collection[str],
    rng: random.Random,
    due_only: bool = False,
    exclude: Collection[str] = (),
) -> QuizItem | None:
    """Due items first (most overdue), then a new one (curated before generated)."""
    by_id = {it.id: it for it in items if it.id not in exclude}
    for item_id in due_ids:
        if item_id in by_id:
            return by_id[item_id]
    if due_only:
        return None
    fresh = [it for it in by_id.values() if it.id not in seen_ids]
    for origin in ("curated", "generated"):
        group = [it for it in fresh if it.origin == origin]
        if group:
            return rng.choice(group)
    # Everything seen and nothing due: practise a random one rather than refuse.
    return rng.choice(list(by_id.values())) if by_id else None
