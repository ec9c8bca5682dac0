"""Spaced repetition with FSRS: score answers, and choose what a member sees next."""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from fsrs import Card, Rating, Scheduler

from bot.quiz import store
from bot.quiz.items import QuizItem
from bot.text.codes import find_codes, find_question_codes
from bot.text.normalize import fold

# No fuzzing: the same answers give the same due dates (testable, explainable to members).
_SCHEDULER = Scheduler(enable_fuzzing=False)


def review(card_json: str | None, correct: bool, now: datetime) -> tuple[str, datetime]:
    """The card after one answer (correct → Good, wrong → Again) and its next due time."""
    card = Card.from_json(card_json) if card_json else Card(due=now)
    rating = Rating.Good if correct else Rating.Again
    card, _log = _SCHEDULER.review_card(card, rating, review_datetime=now)
    return card.to_json(), card.due


def record_review(
    db: sqlite3.Connection, user_id: int, item_id: str, correct: bool, now: datetime
) -> datetime:
    """Update the member's card for the item in SQLite; returns the next due time."""
    card_json, due = review(store.load_card(db, user_id, item_id), correct, now)
    store.save_card(db, user_id, item_id, card_json, due)
    return due


_NUMBER_TOPIC = re.compile(r"^\s*(\d{1,4})\s*$")


def matches_topic(item: QuizItem, topic: str | None) -> bool:
    """True if the item is about the topic: a document ('57', 'nq 57', '57-NQ/TW') or words."""
    if not topic or not topic.strip():
        return True
    wanted = find_question_codes(topic)
    if wanted:
        have = find_codes(item.code or "")
        return any(w.matches(h) for w in wanted for h in have)
    number = _NUMBER_TOPIC.match(topic)
    if number:
        have = find_codes(item.code or "")
        return any(h.number.lstrip("0") == number.group(1).lstrip("0") for h in have)
    words = fold(topic).split()
    haystack = fold(f"{item.code or ''} {item.question} {item.source_text} {item.heading}")
    return all(w in haystack for w in words)


def pick_next(
    db: sqlite3.Connection,
    user_id: int,
    items: Sequence[QuizItem],
    now: datetime,
    topic: str | None = None,
    rng: random.Random | None = None,
    due_only: bool = False,
) -> QuizItem | None:
    """Due items first (most overdue), then a new one (curated before generated)."""
    rng = rng or random.Random()
    by_id = {it.id: it for it in items if matches_topic(it, topic)}
    for item_id in store.due_item_ids(db, user_id, now):
        if item_id in by_id:
            return by_id[item_id]
    if due_only:
        return None
    seen = store.seen_item_ids(db, user_id)
    fresh = [it for it in by_id.values() if it.id not in seen]
    for origin in ("curated", "generated"):
        group = [it for it in fresh if it.origin == origin]
        if group:
            return rng.choice(group)
    # Everything seen and nothing due: practise a random one rather than refuse.
    return rng.choice(list(by_id.values())) if by_id else None
