"""What an admin does to the library, without Telegram: receive an upload (check, stage, read
it in a child process), put it in knowledge/, delete a document, find the files a name means.

Every change is written to SQLite (admin_jobs) before the file moves, so a restart finishes
and reports it (bot.telegram.rebuild).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot import storage
from bot.child import ChildFailed, run_in_child
from bot.config import Settings
from bot.documents import Document
from bot.telegram import uploads
from bot.text.codes import document_codes, find_question_codes

log = logging.getLogger(__name__)

STAGING_DIR = ".incoming"  # hidden inside knowledge/: the indexer never reads it


class Refused(Exception):
    """An upload not taken. step: "checks" (name, size, content), "saving" (the disk) or
    "reading" (the reader could not use it); str(exc) is the reason in Vietnamese."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step


@dataclass(frozen=True)
class Received:
    """An upload checked, staged and read: ready to go into knowledge/ as target."""

    staged: Path
    target: Path
    documents: list[Document]  # as the indexer will read them (a scan's OCR figures)


async def receive(
    name: str,
    declared_size: int | None,
    download: Callable[[], Awaitable[bytes]],
    settings: Settings,
) -> Received:
    """Check the file (before and after downloading it), stage it, read it in a child process."""
    try:
        uploads.check_suffix(name)
        uploads.check_name(name)
        uploads.check_size(declared_size, min(settings.telegram.max_upload_mb, 20.0))
        data = await download()
        uploads.check_size(len(data), settings.telegram.max_upload_mb)
        uploads.check_content(name, data, settings.ingest.max_docx_uncompressed_mb)
    except uploads.UploadRejected as exc:
        raise Refused("checks", str(exc)) from None
    root = settings.knowledge_dir
    staged = root / STAGING_DIR / f"{secrets.token_hex(4)}-{name}"
    try:
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
    except OSError:
        log.exception("cannot stage %s", staged)
        raise Refused("saving", "") from None
    try:
        # In a child process: a hostile file's memory goes back to the system with it.
        documents = await asyncio.to_thread(
            run_in_child, uploads.validate_staged, staged, root, settings.ingest, settings.chunking
        )
    except (uploads.UploadRejected, ChildFailed) as exc:
        staged.unlink(missing_ok=True)
        raise Refused("reading", str(exc)) from None
    return Received(staged=staged, target=root / name, documents=documents)


def _record(db: sqlite3.Connection, kind: str, chat_id: int, target: Path, **job: object) -> int:
    """Write the admin job to SQLite: from here on a restart finishes and reports it."""
    return storage.add_admin_job(db, kind, chat_id, target.name, str(target), **job)


def install_upload(
    db: sqlite3.Connection, chat_id: int, staged: Path, target: Path, is_new: bool
) -> None:
    """Record the upload, then move it from staging into knowledge/ (replacing any old file)."""
    _record(db, "upload", chat_id, target, staged=str(staged), is_new=is_new)
    os.replace(staged, target)


def delete_document(db: sqlite3.Connection, chat_id: int, target: Path) -> None:
    """Record the deletion, then remove the file from knowledge/."""
    _record(db, "delete", chat_id, target, is_new=False)
    target.unlink(missing_ok=True)


def _norm(text: str) -> str:
    return "".join(text.casefold().replace("/", "-").split())


def find_document_files(root: Path, query: str, codes: dict[str, str | None]) -> list[Path]:
    """Files that /xoa <query> names: file name, doc id or code, a code as questions name it
    ('nghị quyết 57', 'nq 57'), else a file name prefix."""
    from bot.ingest.loaders import discover_files

    wanted = _norm(query)
    if not wanted:
        return []
    named = find_question_codes(query)  # "nghị quyết 57", "nq 57", "57-NQ/TW"
    files = [p for p in discover_files(root) if STAGING_DIR not in p.relative_to(root).parts]
    exact, by_code, prefix = [], [], []
    for path in files:
        rel = path.relative_to(root).as_posix()
        doc_id = rel.rsplit(".", 1)[0]
        names = {_norm(rel), _norm(doc_id), _norm(path.name)}
        code = codes.get(doc_id)
        if code:
            names.add(_norm(code))
        if wanted in names:
            exact.append(path)
        elif code and any(n.matches(c) for n in named for c in document_codes(code)):
            by_code.append(path)
        elif _norm(path.name).startswith(wanted):
            prefix.append(path)
    return exact or by_code or prefix
