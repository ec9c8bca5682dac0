"""The rebuild job: index knowledge/ in the background, one build at a time, and report.

Uploads and deletions are recorded in SQLite (admin_jobs) before the admin is told
"Đã nhận"; a build reports every job that was pending when it started. A job left pending
by a crash is resumed at the next start, and given up after MAX_ATTEMPTS builds that never
finished (a file that kills the indexer must not make the bot loop).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application

from bot import storage
from bot.build import BuildSummary
from bot.telegram import messages as say
from bot.telegram import views

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # builds started for one job; a third start gives the file up


def documents_of(kb, summary: BuildSummary, uploaded: str | None) -> list:
    """The changed documents as the lists describe them; only the uploaded file's, if given."""
    changed = set(summary.changed)
    documents = [d for d in kb.documents() if d.doc_id in changed]
    if uploaded is None:
        return documents
    own = [d for d in documents if d.doc_id == uploaded or d.doc_id.startswith(uploaded + "#")]
    return own


async def _tell(bot: Bot, chat_id: int, text: str) -> None:
    try:
        await bot.send_message(chat_id, text, parse_mode="HTML")
    except TelegramError:
        log.warning("could not report to chat %s", chat_id, exc_info=True)


def _remove_upload(job: sqlite3.Row) -> None:
    """Take a new upload that cannot be indexed out of knowledge/ (and out of staging)."""
    for key in ("staged", "target"):
        if job[key] and (key == "staged" or job["is_new"]):
            Path(job[key]).unlink(missing_ok=True)


async def _report(
    bot: Bot,
    kb: object,
    db: sqlite3.Connection,
    root: Path,
    summary: BuildSummary,
    job: sqlite3.Row,
    resumed: bool,
) -> None:
    name = views.escape(job["name"])
    if job["kind"] == "delete":
        await _tell(bot, job["chat_id"], say.DELETE_READY.format(name=name))
        storage.finish_admin_job(db, job["id"], "done")
        return
    rel = Path(job["target"]).relative_to(root).as_posix()
    skipped = next((s for s in summary.skipped if s.get("path") == rel), None)
    if skipped is not None:
        # The indexer could not read it: take it out so the folder matches the index.
        _remove_upload(job)
        reason = str(skipped.get("reason"))
        text = say.UPLOAD_CORRUPT.format(name=name, reason=views.escape(reason))
        await _tell(bot, job["chat_id"], text)
        storage.finish_admin_job(db, job["id"], "failed", reason)
        return
    documents = await asyncio.to_thread(documents_of, kb, summary, rel.rsplit(".", 1)[0])
    text = (
        say.upload_done(documents, bool(job["is_new"]))
        if documents
        else say.UPLOAD_READY.format(name=name)
    )
    if resumed:
        text = say.UPLOAD_RESUMED.format(name=name) + "\n" + text
    await _tell(bot, job["chat_id"], text)
    storage.finish_admin_job(db, job["id"], "done")


async def run_rebuild(
    application: Application, chat_id: int | None = None, resumed: bool = False
) -> None:
    """Rebuild once (never two at a time); report the pending jobs, and to chat_id the summary.

    chat_id is the admin who typed /reindex; None when the build is for recorded jobs only.
    """
    data = application.bot_data
    kb, db, bot = data["kb"], data["db"], application.bot
    root = data["settings"].knowledge_dir
    async with data["rebuild_lock"]:
        jobs = storage.pending_admin_jobs(db)
        if chat_id is None and not jobs:
            return  # an earlier build already covered them
        storage.admin_job_started(db, [job["id"] for job in jobs])
        try:
            summary: BuildSummary = await asyncio.to_thread(kb.rebuild)
        except Exception as exc:
            log.exception("rebuild failed")
            reason = views.escape(f"{type(exc).__name__}: {exc}")[:800]
            for job in jobs:
                if job["kind"] == "upload":
                    _remove_upload(job)
                storage.finish_admin_job(db, job["id"], "failed", reason)
            for chat in dict.fromkeys([*(job["chat_id"] for job in jobs), chat_id]):
                if chat is not None:
                    await _tell(bot, chat, say.REBUILD_FAILED.format(reason=reason))
            return
        for job in jobs:
            await _report(bot, kb, db, root, summary, job, resumed)
    if chat_id is not None:
        documents = await asyncio.to_thread(documents_of, kb, summary, None)
        await _tell(bot, chat_id, say.rebuild_done(summary, documents))


def start_rebuild(application: Application, chat_id: int | None = None) -> None:
    """run_rebuild as a background task."""
    application.create_task(run_rebuild(application, chat_id), name="nqbot-rebuild")


async def resume_jobs(application: Application) -> None:
    """At start: finish the file moves a crash interrupted, give up looping files, rebuild."""
    data = application.bot_data
    db, bot = data["db"], application.bot
    waiting = []
    for job in storage.pending_admin_jobs(db):
        if job["attempts"] >= MAX_ATTEMPTS:
            if job["kind"] == "upload":
                _remove_upload(job)
            storage.finish_admin_job(db, job["id"], "failed", "gave up after repeated crashes")
            text = say.UPLOAD_GAVE_UP.format(
                name=views.escape(job["name"]), attempts=job["attempts"]
            )
            await _tell(bot, job["chat_id"], text)
            continue
        if job["kind"] == "upload" and job["staged"] and Path(job["staged"]).exists():
            os.replace(job["staged"], job["target"])  # recorded, not yet moved
        elif job["kind"] == "delete":
            Path(job["target"]).unlink(missing_ok=True)
        waiting.append(job)
    if waiting:
        log.info("resuming %d admin job(s) left by a stop", len(waiting))
        await run_rebuild(application, None, resumed=True)
