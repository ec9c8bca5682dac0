"""Answers are scored, FSRS moves the next review, and results and leaderboards add up."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.quiz import store
from bot.quiz.items import QuizItem
from bot.quiz.scheduler import matches_topic
from bot.quiz.service import QuizService
from bot.storage import connect

NOW = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


def _item(n: int, origin: str = "generated", code: str = "57-NQ/TW") -> QuizItem:
    return QuizItem(
        id=f"item{n:012d}",
        question=f"Câu hỏi số {n} về chuyển đổi số?",
        options=("10%", "20%", "30%", "40%"),
        correct=n % 4,
        explanation=f"Đáp án. Nguồn: {code}",
        code=code,
        source_text="...",
        origin=origin,
    )


@pytest.fixture
def db():
    conn = connect(":memory:")
    store.save_items(conn, [_item(i) for i in range(6)], NOW)
    yield conn
    conn.close()


def _answer(db, poll: str, item: QuizItem, user: int, option: int, chat: int, when: datetime):
    store.record_poll(db, poll, item.id, chat, 1, when)
    recorded = store.record_answer(db, poll, user, [option], when)
    if recorded:
        QuizService(db).record_review(user, item.id, recorded.correct, when)
    return recorded


def test_good_pushes_the_next_review_later_than_again(db) -> None:
    item = _item(1)
    right = _answer(db, "p1", item, user=7, option=item.correct, chat=7, when=NOW)
    wrong = _answer(db, "p2", item, user=8, option=(item.correct + 1) % 4, chat=8, when=NOW)
    assert right.correct and not wrong.correct
    due_good = store.card_due(db, 7, item.id)
    due_again = store.card_due(db, 8, item.id)
    assert NOW < due_again < due_good
    # A second correct answer when due spaces the item out further still.
    _answer(db, "p3", item, user=7, option=item.correct, chat=7, when=due_good)
    assert store.card_due(db, 7, item.id) - due_good > due_good - NOW


def test_unknown_polls_repeats_and_retractions_are_ignored(db) -> None:
    item = _item(2)
    assert store.record_answer(db, "nope", 7, [0], NOW) is None
    store.record_poll(db, "p", item.id, 7, 1, NOW)
    assert store.record_answer(db, "p", 7, [], NOW) is None  # retracted vote
    assert store.record_answer(db, "p", 7, [item.correct], NOW) is not None
    assert store.record_answer(db, "p", 7, [item.correct], NOW) is None
    assert store.member_stats(db, 7, NOW).answered == 1


def test_pick_next_serves_due_items_first_then_curated_new_ones(db) -> None:
    items = [_item(i) for i in range(6)] + [_item(9, origin="curated", code="04-NQ/TU")]
    store.save_items(db, items[-1:], NOW)
    rng = random.Random(1)
    first = QuizService(db).pick_next(7, items, NOW, rng=rng)
    assert first.origin == "curated"  # curated before generated
    _answer(db, "p1", items[3], user=7, option=(items[3].correct + 1) % 4, chat=7, when=NOW)
    later = NOW + timedelta(hours=1)
    assert QuizService(db).pick_next(7, items, later, rng=rng).id == items[3].id
    assert QuizService(db).pick_next(7, items, NOW, rng=rng, due_only=True) is None
    assert QuizService(db).pick_next(7, items, later, topic="04-NQ/TU", rng=rng).code == "04-NQ/TU"
    assert QuizService(db).pick_next(7, items, later, topic="nq 57", rng=rng).id == items[3].id
    assert QuizService(db).pick_next(7, items, later, topic="kết luận 69", rng=rng) is None
    assert QuizService(db).pick_next(7, items, later, topic="57", rng=rng).id == items[3].id


def test_a_series_has_different_items_and_topics_match_whole_words(db) -> None:
    items = [_item(i) for i in range(6)]
    series = QuizService(db).pick_series(7, items, NOW, 10, rng=random.Random(2))
    assert len(series) == 6 and len({it.id for it in series}) == 6
    about = QuizItem(**{**_item(1).__dict__, "question": "Số liệu về chuyển đổi năng lượng?"})
    assert matches_topic(_item(1), "chuyển đổi số")
    assert not matches_topic(about, "chuyển đổi số")  # "chuyển đổi" then "số liệu" is no match
    assert matches_topic(_item(1), "chuyen doi so")  # without diacritics too


def test_results_count_accuracy_streak_and_due(db) -> None:
    # Answers on three consecutive Hà Nội days (the first at 23:30 local = 16:30 UTC).
    days = [
        datetime(2025, 2, 27, 16, 30, tzinfo=UTC),
        datetime(2025, 2, 28, 3, 0, tzinfo=UTC),
        datetime(2025, 3, 1, 0, 30, tzinfo=UTC),
    ]
    for n, when in enumerate(days):
        item = _item(n)
        _answer(db, f"p{n}", item, 7, item.correct if n else (item.correct + 1) % 4, 7, when)
    stats = store.member_stats(db, 7, NOW, "Asia/Ho_Chi_Minh")
    assert (stats.answered, stats.correct, stats.streak) == (3, 2, 3)
    assert round(stats.accuracy, 2) == 0.67
    assert stats.due >= 1  # the wrong one comes back within minutes
    assert store.member_stats(db, 7, NOW + timedelta(days=3)).streak == 0


def test_leaderboard_orders_by_correct_then_fewer_attempts(db) -> None:
    group = -100
    names = {1: "An <b>", 2: "Bình", 3: "Chi"}
    for user, name in names.items():
        store.set_member_name(db, user, name)
    plan = {1: [True, True, False], 2: [True, True], 3: [True]}
    poll = 0
    for user, results in plan.items():
        for ok in results:
            poll += 1
            item = _item(poll % 6)
            option = item.correct if ok else (item.correct + 1) % 4
            _answer(db, f"g{poll}", item, user, option, group, NOW)
    rows = store.leaderboard(db, group)
    assert [(r.name, r.correct, r.answered) for r in rows] == [
        ("Bình", 2, 2),
        ("An <b>", 2, 3),
        ("Chi", 1, 1),
    ]
    assert store.leaderboard(db, -200) == []


def test_subscriptions_crud(db) -> None:
    store.subscribe(db, 7, 7, "07:30", NOW)
    store.subscribe(db, -100, 7, "06:00", NOW)
    store.subscribe(db, 7, 7, "20:15", NOW)  # moving the time keeps one subscription
    assert [(s.chat_id, s.time) for s in store.subscriptions(db)] == [(-100, "06:00"), (7, "20:15")]
    assert store.unsubscribe(db, 7) and not store.unsubscribe(db, 7)
