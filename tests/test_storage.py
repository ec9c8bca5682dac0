"""The question log and feedback in SQLite: what /chuatraloi and /trangthai read."""

from __future__ import annotations

from datetime import date

import pytest

from bot import storage


@pytest.fixture
def db(tmp_path):
    connection = storage.connect(tmp_path / "data" / "nqbot.sqlite3")
    yield connection
    connection.close()


def test_connect_migrates_in_wal_mode(db) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(storage.MIGRATIONS)


def test_log_and_get_question(db) -> None:
    qid = storage.log_question(
        db,
        "Mục tiêu <b> & 😀?",
        True,
        user_id=5,
        chat_id=5,
        chat_type="private",
        top_chunk_id="57-NQ-TW#3",
        top_score=0.8,
    )
    row = storage.get_question(db, qid)
    assert row["question"] == "Mục tiêu <b> & 😀?"
    assert (row["found"], row["user_id"], row["top_chunk_id"]) == (1, 5, "57-NQ-TW#3")
    assert storage.get_question(db, qid + 100) is None


def test_recent_unanswered_newest_first(db) -> None:
    storage.log_question(db, "cũ", False, asked_at="2026-01-01T00:00:00+00:00")
    storage.log_question(db, "đã trả lời", True, asked_at="2026-01-02T00:00:00+00:00")
    storage.log_question(db, "mới", False, asked_at="2026-01-03T00:00:00+00:00")
    assert [r["question"] for r in storage.recent_unanswered(db, 10)] == ["mới", "cũ"]
    assert [r["question"] for r in storage.recent_unanswered(db, 1)] == ["mới"]


def test_question_stats_use_the_vietnamese_day(db) -> None:
    # 23:30 UTC on 1 Jan is 06:30 on 2 Jan in Hà Nội.
    storage.log_question(db, "a", False, asked_at="2026-01-01T23:30:00+00:00")
    storage.log_question(db, "b", True, asked_at="2026-01-02T03:00:00+00:00")
    storage.log_question(db, "c", True, asked_at="2026-01-01T10:00:00+00:00")
    assert storage.question_stats(db, date(2026, 1, 2)) == {
        "questions": 2,
        "not_found": 1,
        "share_not_found": 0.5,
    }
    assert storage.question_stats(db, date(2025, 1, 1))["share_not_found"] == 0.0


def test_feedback_second_vote_replaces_first(db) -> None:
    qid = storage.log_question(db, "q", True)
    storage.add_feedback(db, qid, 7, 1)
    storage.add_feedback(db, qid, 7, -1)
    storage.add_feedback(db, qid, 8, 1)
    rows = db.execute("SELECT user_id, value FROM feedback ORDER BY user_id").fetchall()
    assert [tuple(r) for r in rows] == [(7, -1), (8, 1)]
    with pytest.raises(ValueError):
        storage.add_feedback(db, qid, 7, 0)
