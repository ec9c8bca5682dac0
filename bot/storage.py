"""SQLite storage: one file, WAL, schema changes as numbered migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

_LOG_LOCK = threading.Lock()  # one question-log transaction at a time across threads


def m001_questions_and_feedback(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            asked_at TEXT NOT NULL,          -- ISO 8601 UTC
            user_id INTEGER,
            chat_id INTEGER,
            chat_type TEXT,                  -- private | group | supergroup | cli
            question TEXT NOT NULL,
            found INTEGER NOT NULL,          -- 1 answered, 0 "không tìm thấy"
            top_chunk_id TEXT,
            top_score REAL
        );
        CREATE INDEX questions_asked_at ON questions(asked_at);
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL REFERENCES questions(id),
            user_id INTEGER NOT NULL,
            value INTEGER NOT NULL,          -- +1 👍, -1 👎
            created_at TEXT NOT NULL,
            UNIQUE (question_id, user_id)
        );
        """
    )


def m002_quiz(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE quiz_items (
            id TEXT PRIMARY KEY,             -- stable hash of question + options
            question TEXT NOT NULL,
            options_json TEXT NOT NULL,      -- JSON list of 4 strings
            correct INTEGER NOT NULL,        -- index into options
            explanation TEXT NOT NULL,
            doc_id TEXT,
            code TEXT,
            chunk_id TEXT,
            source_text TEXT,
            origin TEXT NOT NULL,            -- curated | generated
            created_at TEXT NOT NULL
        );
        CREATE TABLE quiz_polls (
            poll_id TEXT PRIMARY KEY,        -- Telegram poll id
            item_id TEXT NOT NULL REFERENCES quiz_items(id),
            chat_id INTEGER NOT NULL,
            message_id INTEGER,
            sent_at TEXT NOT NULL
        );
        CREATE TABLE quiz_answers (
            id INTEGER PRIMARY KEY,
            poll_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            correct INTEGER NOT NULL,
            answered_at TEXT NOT NULL,
            UNIQUE (poll_id, user_id)
        );
        CREATE INDEX quiz_answers_chat ON quiz_answers(chat_id);
        CREATE TABLE review_cards (
            user_id INTEGER NOT NULL,
            item_id TEXT NOT NULL,
            card_json TEXT NOT NULL,         -- fsrs Card.to_json()
            due TEXT NOT NULL,               -- ISO 8601 UTC
            PRIMARY KEY (user_id, item_id)
        );
        CREATE TABLE subscriptions (
            chat_id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL,
            time TEXT NOT NULL,              -- HH:MM, Asia/Ho_Chi_Minh
            created_at TEXT NOT NULL
        );
        CREATE TABLE members (
            user_id INTEGER PRIMARY KEY,
            display_name TEXT NOT NULL
        );
        """
    )


def m003_admin_jobs(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE admin_jobs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,              -- upload | delete
            chat_id INTEGER NOT NULL,        -- the admin's chat, told when it is done
            name TEXT NOT NULL,              -- the file name shown to the admin
            staged TEXT,                     -- upload: the checked file waiting in .incoming/
            target TEXT NOT NULL,            -- the file in knowledge/
            is_new INTEGER NOT NULL,         -- upload: 1 new file, 0 overwrite
            state TEXT NOT NULL,             -- pending | done | failed
            attempts INTEGER NOT NULL DEFAULT 0,  -- index builds started for it
            created_at TEXT NOT NULL,
            finished_at TEXT,
            error TEXT
        );
        CREATE INDEX admin_jobs_state ON admin_jobs(state);
        """
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_questions_and_feedback,
    m002_quiz,
    m003_admin_jobs,
]


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) the database at path, in WAL mode, fully migrated."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    migrate(db)
    return db


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations this database has not seen yet, each in its own transaction."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        with db:
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")


# ---------------------------------------------------------------- question log and feedback


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def log_question(
    db: sqlite3.Connection,
    question: str,
    found: bool,
    *,
    user_id: int | None = None,
    chat_id: int | None = None,
    chat_type: str | None = None,
    top_chunk_id: str | None = None,
    top_score: float | None = None,
    asked_at: str | None = None,
) -> int:
    """Record one asked question and whether it was answered; return its row id.

    Safe from the worker threads that answer questions: the id comes back with the insert
    (RETURNING), not from the connection's last row id, which another thread may have moved.
    """
    with _LOG_LOCK, db:
        rows = db.execute(
            "INSERT INTO questions (asked_at, user_id, chat_id, chat_type, question, found,"
            " top_chunk_id, top_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                asked_at or _now_iso(),
                user_id,
                chat_id,
                chat_type,
                question,
                int(bool(found)),
                top_chunk_id,
                top_score,
            ),
        ).fetchall()
    return int(rows[0][0])


def get_question(db: sqlite3.Connection, question_id: int) -> sqlite3.Row | None:
    """One logged question by id, or None."""
    return db.execute("SELECT * FROM questions WHERE id = ?", (question_id,)).fetchone()


def add_feedback(db: sqlite3.Connection, question_id: int, user_id: int, value: int) -> None:
    """Store a member's 👍 (+1) or 👎 (-1) on an answer; a second vote replaces the first."""
    if value not in (1, -1):
        raise ValueError("feedback value must be +1 or -1")
    with db:
        db.execute(
            "INSERT INTO feedback (question_id, user_id, value, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (question_id, user_id) DO UPDATE SET value = excluded.value,"
            " created_at = excluded.created_at",
            (question_id, user_id, value, _now_iso()),
        )


def recent_unanswered(db: sqlite3.Connection, limit: int = 20) -> list[sqlite3.Row]:
    """The most recent questions that found nothing, newest first."""
    return db.execute(
        "SELECT * FROM questions WHERE found = 0 ORDER BY asked_at DESC, id DESC LIMIT ?",
        (limit,),
    ).fetchall()


def question_stats(
    db: sqlite3.Connection, day: date, timezone: str = "Asia/Ho_Chi_Minh"
) -> dict[str, float | int]:
    """Questions asked on a local calendar day: count, not found, and the share not found."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    end = start + timedelta(days=1)
    row = db.execute(
        "SELECT COUNT(*) AS n, COALESCE(SUM(found = 0), 0) AS missed FROM questions"
        " WHERE asked_at >= ? AND asked_at < ?",
        (start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")),
    ).fetchone()
    total, missed = int(row["n"]), int(row["missed"])
    return {
        "questions": total,
        "not_found": missed,
        "share_not_found": missed / total if total else 0.0,
    }


# ---------------------------------------------------------------- admin jobs (uploads, deletions)


def add_admin_job(
    db: sqlite3.Connection,
    kind: str,
    chat_id: int,
    name: str,
    target: str,
    *,
    staged: str | None = None,
    is_new: bool = True,
) -> int:
    """Record an upload or deletion before it is acknowledged; return its id."""
    if kind not in ("upload", "delete"):
        raise ValueError(f"unknown admin job kind {kind!r}")
    with db:
        cursor = db.execute(
            "INSERT INTO admin_jobs (kind, chat_id, name, staged, target, is_new, state,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
            (kind, chat_id, name, staged, target, int(is_new), _now_iso()),
        )
    return int(cursor.lastrowid)


def pending_admin_jobs(db: sqlite3.Connection) -> list[sqlite3.Row]:
    """Uploads and deletions not yet reported done or failed, oldest first."""
    return db.execute("SELECT * FROM admin_jobs WHERE state = 'pending' ORDER BY id").fetchall()


def admin_job_started(db: sqlite3.Connection, job_ids: list[int]) -> None:
    """Count one more index build started for these jobs (a crash leaves the count)."""
    with db:
        db.executemany(
            "UPDATE admin_jobs SET attempts = attempts + 1 WHERE id = ?", [(i,) for i in job_ids]
        )


def finish_admin_job(
    db: sqlite3.Connection, job_id: int, state: str, error: str | None = None
) -> None:
    """Mark a job done or failed (with the reason)."""
    if state not in ("done", "failed"):
        raise ValueError(f"unknown admin job state {state!r}")
    with db:
        db.execute(
            "UPDATE admin_jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?",
            (state, error, _now_iso(), job_id),
        )
