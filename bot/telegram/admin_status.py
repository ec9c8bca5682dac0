"""What the admin commands show: /trangthai's report, /chuatraloi's list, a scan's OCR note."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import storage
from bot.config import Settings
from bot.documents import Document
from bot.ingest.ocr import OCR_CONFIDENCE_KEY, OCR_PAGES_KEY, OCR_UNREADABLE_KEY, SCANNED_KEY
from bot.knowledge_base import KnowledgeBase
from bot.telegram import messages as say
from bot.telegram import views

UNANSWERED_SHOWN = 20
QUESTION_CHARS = 300


def status_text(
    kb: KnowledgeBase, db: sqlite3.Connection, settings: Settings, building: bool
) -> str:
    """Documents, last update in the configured time zone, today's questions and share not found."""
    zone = settings.quiz.timezone
    today = storage.question_stats(db, datetime.now(ZoneInfo(zone)).date(), zone)
    return say.status(kb.stats(), today, building, zone)


def unanswered_parts(db: sqlite3.Connection, settings: Settings) -> list[str]:
    """The recent questions that found nothing, newest first, as message parts."""
    rows = storage.recent_unanswered(db, UNANSWERED_SHOWN)
    if not rows:
        return [say.NO_UNANSWERED]
    zone = ZoneInfo(settings.quiz.timezone)
    items = []
    for row in rows:
        when = datetime.fromisoformat(row["asked_at"]).astimezone(zone).strftime("%d/%m %H:%M")
        question = " ".join(row["question"].split())
        if len(question) > QUESTION_CHARS:
            question = question[: QUESTION_CHARS - 1] + "…"
        items.append(f"{when} — {question}")
    return views.rows_list(say.UNANSWERED_HEADER, items)


def scan_note(documents: list[Document]) -> str:
    """'Đã nhận bản quét: nhận dạng 12 trang, …' for a scan read by OCR, else ''."""
    extra = next((d.meta.extra for d in documents if d.meta.extra.get(SCANNED_KEY)), None)
    if extra is None:
        return ""
    lines = [
        say.SCAN_RECEIVED.format(
            pages=extra.get(OCR_PAGES_KEY, "?"), confidence=extra.get(OCR_CONFIDENCE_KEY, "?")
        )
    ]
    if extra.get(OCR_UNREADABLE_KEY):
        lines.append(say.SCAN_UNREADABLE.format(pages=extra[OCR_UNREADABLE_KEY]))
    return "\n" + "\n".join(lines)
