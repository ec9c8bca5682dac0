"""SQLite queries on the quiz tables: items, polls, answers, review cards, subscriptions, members."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.quiz.items import QuizItem

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def save_items(db: sqlite3.Connection, items: Iterable[QuizItem], now: datetime) -> int:
    """Insert or refresh items (keyed by id); returns how many were written."""
    rows = [
        (
            it.id,
            it.question,
            json.dumps(list(it.options), ensure_ascii=False),
            it.correct,
            it.explanation,
            it.doc_id,
            it.code,
            it.chunk_id,
            it.source_text,
            it.origin,
            _iso(now),
        )
        for it in items
    ]
    with db:
        db.executemany(
            """INSERT INTO quiz_items (id, question, options_json, correct, explanation, doc_id,
                   code, chunk_id, source_text, origin, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET question=excluded.question,
                   options_json=excluded.options_json, correct=excluded.correct,
                   explanation=excluded.explanation, doc_id=excluded.doc_id, code=excluded.code,
                   chunk_id=excluded.chunk_id, source_text=excluded.source_text,
                   origin=excluded.origin""",
            rows,
        )
    return len(rows)


def _item_from_row(row: sqlite3.Row) -> QuizItem:
    return QuizItem(
        id=row["id"],
        question=row["question"],
        options=tuple(json.loads(row["options_json"])),
        correct=row["correct"],
        explanation=row["explanation"],
        doc_id=row["doc_id"],
        code=row["code"],
        chunk_id=row["chunk_id"],
        source_text=row["source_text"] or "",
        origin=row["origin"],
    )


def get_item(db: sqlite3.Connection, item_id: str) -> QuizItem | None:
    """One stored item by id, or by a unique id prefix (callback data carries a prefix)."""
    row = db.execute("SELECT * FROM quiz_items WHERE id = ?", (item_id,)).fetchone()
    if row is None and item_id:
        rows = db.execute(
            "SELECT * FROM quiz_items WHERE id LIKE ? LIMIT 2", (item_id.replace("%", "") + "%",)
        ).fetchall()
        row = rows[0] if len(rows) == 1 else None
    return _item_from_row(row) if row else None


def record_poll(
    db: sqlite3.Connection,
    poll_id: str,
    item_id: str,
    chat_id: int,
    message_id: int | None,
    now: datetime,
) -> None:
    """Remember which item a sent poll asks, so its answers can be scored after a restart."""
    with db:
        db.execute(
            """INSERT OR REPLACE INTO quiz_polls (poll_id, item_id, chat_id, message_id, sent_at)
               VALUES (?, ?, ?, ?, ?)""",
            (poll_id, item_id, chat_id, message_id, _iso(now)),
        )


@dataclass(frozen=True)
class RecordedAnswer:
    """A member's scored answer to a known poll."""

    item: QuizItem
    chat_id: int
    correct: bool


def record_answer(
    db: sqlite3.Connection, poll_id: str, user_id: int, option_ids: list[int], now: datetime
) -> RecordedAnswer | None:
    """Score and store an answer; None for unknown polls, retracted votes and repeats."""
    row = db.execute(
        """SELECT p.chat_id, i.* FROM quiz_polls p JOIN quiz_items i ON i.id = p.item_id
           WHERE p.poll_id = ?""",
        (poll_id,),
    ).fetchone()
    if row is None or not option_ids:
        return None
    item = _item_from_row(row)
    correct = item.correct in option_ids
    with db:
        cursor = db.execute(
            """INSERT OR IGNORE INTO quiz_answers
                   (poll_id, item_id, user_id, chat_id, correct, answered_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (poll_id, item.id, user_id, row["chat_id"], int(correct), _iso(now)),
        )
    if cursor.rowcount == 0:
        return None
    return RecordedAnswer(item=item, chat_id=row["chat_id"], correct=correct)


# ---------------------------------------------------------------- review cards


def load_card(db: sqlite3.Connection, user_id: int, item_id: str) -> str | None:
    """The member's FSRS card for an item (JSON), or None if never reviewed."""
    row = db.execute(
        "SELECT card_json FROM review_cards WHERE user_id = ? AND item_id = ?", (user_id, item_id)
    ).fetchone()
    return row["card_json"] if row else None


def save_card(
    db: sqlite3.Connection, user_id: int, item_id: str, card_json: str, due: datetime
) -> None:
    """Store the member's FSRS card and its next due time."""
    with db:
        db.execute(
            """INSERT INTO review_cards (user_id, item_id, card_json, due) VALUES (?, ?, ?, ?)
               ON CONFLICT(user_id, item_id) DO UPDATE SET card_json=excluded.card_json,
                   due=excluded.due""",
            (user_id, item_id, card_json, _iso(due)),
        )


def card_due(db: sqlite3.Connection, user_id: int, item_id: str) -> datetime | None:
    """When the member should next see the item."""
    row = db.execute(
        "SELECT due FROM review_cards WHERE user_id = ? AND item_id = ?", (user_id, item_id)
    ).fetchone()
    return datetime.fromisoformat(row["due"]) if row else None


def due_item_ids(db: sqlite3.Connection, user_id: int, now: datetime) -> list[str]:
    """Items due for the member now, most overdue first."""
    rows = db.execute(
        "SELECT item_id FROM review_cards WHERE user_id = ? AND due <= ? ORDER BY due",
        (user_id, _iso(now)),
    ).fetchall()
    return [r["item_id"] for r in rows]


def seen_item_ids(db: sqlite3.Connection, user_id: int) -> set[str]:
    """Items the member has a review card for."""
    rows = db.execute("SELECT item_id FROM review_cards WHERE user_id = ?", (user_id,)).fetchall()
    return {r["item_id"] for r in rows}


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class MemberStats:
    """What /ketqua shows."""

    answered: int
    correct: int
    streak: int  # consecutive local days with an answer, ending today or yesterday
    due: int

    @property
    def accuracy(self) -> float:
        """Share of correct answers (0 when nothing answered)."""
        return self.correct / self.answered if self.answered else 0.0


def member_stats(
    db: sqlite3.Connection, user_id: int, now: datetime, tz: str = DEFAULT_TZ
) -> MemberStats:
    """Answered, correct, streak and items due for one member."""
    row = db.execute(
        "SELECT COUNT(*) AS n, COALESCE(SUM(correct), 0) AS ok FROM quiz_answers WHERE user_id = ?",
        (user_id,),
    ).fetchone()
    zone = ZoneInfo(tz)
    days = {
        datetime.fromisoformat(r["answered_at"]).astimezone(zone).date()
        for r in db.execute("SELECT answered_at FROM quiz_answers WHERE user_id = ?", (user_id,))
    }
    due = db.execute(
        "SELECT COUNT(*) FROM review_cards WHERE user_id = ? AND due <= ?", (user_id, _iso(now))
    ).fetchone()[0]
    return MemberStats(
        answered=row["n"],
        correct=row["ok"],
        streak=_streak(days, now.astimezone(zone).date()),
        due=due,
    )


def _streak(days: set[date], today: date) -> int:
    # A streak still counts on a day the member has not played yet.
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


@dataclass(frozen=True)
class LeaderRow:
    """One line of a group's leaderboard."""

    user_id: int
    name: str
    correct: int
    answered: int


def leaderboard(db: sqlite3.Connection, chat_id: int, limit: int = 10) -> list[LeaderRow]:
    """Members of a chat by correct answers, then by fewer attempts, then by name."""
    rows = db.execute(
        """SELECT a.user_id, COALESCE(m.display_name, CAST(a.user_id AS TEXT)) AS name,
                  SUM(a.correct) AS ok, COUNT(*) AS n
           FROM quiz_answers a LEFT JOIN members m ON m.user_id = a.user_id
           WHERE a.chat_id = ?
           GROUP BY a.user_id
           ORDER BY ok DESC, n ASC, name ASC
           LIMIT ?""",
        (chat_id, limit),
    ).fetchall()
    return [LeaderRow(r["user_id"], r["name"], r["ok"], r["n"]) for r in rows]


def set_member_name(db: sqlite3.Connection, user_id: int, display_name: str) -> None:
    """Remember how to call a member on leaderboards."""
    with db:
        db.execute(
            """INSERT INTO members (user_id, display_name) VALUES (?, ?)
               ON CONFLICT(user_id) DO UPDATE SET display_name=excluded.display_name""",
            (user_id, display_name[:64]),
        )


# ---------------------------------------------------------------- subscriptions


@dataclass(frozen=True)
class Subscription:
    """A chat's daily quiz at a local time (HH:MM)."""

    chat_id: int
    user_id: int
    time: str


def subscribe(db: sqlite3.Connection, chat_id: int, user_id: int, hhmm: str, now: datetime) -> None:
    """Create or move a chat's daily quiz."""
    with db:
        db.execute(
            """INSERT INTO subscriptions (chat_id, user_id, time, created_at) VALUES (?, ?, ?, ?)
               ON CONFLICT(chat_id) DO UPDATE SET user_id=excluded.user_id, time=excluded.time""",
            (chat_id, user_id, hhmm, _iso(now)),
        )


def unsubscribe(db: sqlite3.Connection, chat_id: int) -> bool:
    """Cancel a chat's daily quiz; False when there was none."""
    with db:
        cursor = db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
    return cursor.rowcount > 0


def subscriptions(db: sqlite3.Connection) -> list[Subscription]:
    """Every daily quiz, by time then chat."""
    rows = db.execute(
        "SELECT chat_id, user_id, time FROM subscriptions ORDER BY time, chat_id"
    ).fetchall()
    return [Subscription(r["chat_id"], r["user_id"], r["time"]) for r in rows]


def has_answered(db: sqlite3.Connection, poll_id: str, user_id: int) -> bool:
    """True once the member has voted in the poll (then its source may be shown)."""
    row = db.execute(
        "SELECT 1 FROM quiz_answers WHERE poll_id = ? AND user_id = ?", (poll_id, user_id)
    ).fetchone()
    return row is not None


def poll_answers(
    db: sqlite3.Connection, poll_ids: Iterable[str]
) -> list[tuple[str, int, str, bool]]:
    """(poll_id, user_id, name, correct) of every answer to the given polls."""
    ids = list(poll_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"""SELECT a.poll_id, a.user_id, COALESCE(m.display_name, CAST(a.user_id AS TEXT)) AS name, a.correct
            FROM quiz_answers a LEFT JOIN members m ON m.user_id = a.user_id
            WHERE a.poll_id IN ({marks})""",
        ids,
    ).fetchall()
    return [(r["poll_id"], r["user_id"], r["name"], bool(r["correct"])) for r in rows]
