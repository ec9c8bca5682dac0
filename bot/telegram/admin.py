"""Admin handlers: document upload, /reindex, /xoa, /trangthai, /chuatraloi.

Everyone not in telegram.admin_ids gets a polite refusal and nothing changes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot import storage
from bot.child import ChildFailed, run_in_child
from bot.documents import Document
from bot.ingest.ocr import OCR_CONFIDENCE_KEY, OCR_PAGES_KEY, OCR_UNREADABLE_KEY, SCANNED_KEY
from bot.telegram import messages as say
from bot.telegram import rebuild, services, uploads, views
from bot.telegram.handlers import send_html
from bot.telegram.services import Context
from bot.text.codes import document_codes, find_question_codes

log = logging.getLogger(__name__)

STAGING_DIR = ".incoming"  # hidden inside knowledge/: the indexer never reads it
PENDING_SECONDS = 600


async def _refuse_unless_admin(update: Update, context: Context) -> bool:
    """True (after a polite refusal) when the sender is not an admin."""
    if services.is_admin(context, update.effective_user):
        return False
    if update.callback_query is not None:
        await update.callback_query.answer(say.ADMIN_ONLY, show_alert=True)
    elif update.effective_chat is not None:
        await send_html(context, update.effective_chat.id, [say.ADMIN_ONLY])
    return True


def _record(context: Context, kind: str, chat_id: int, target: Path, **job: object) -> int:
    """Write the admin job to SQLite: from here on a restart finishes and reports it."""
    return storage.add_admin_job(
        services.db(context), kind, chat_id, target.name, str(target), **job
    )


def _scan_note(documents: list[Document]) -> str:
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


def _token() -> str:
    return secrets.token_hex(4)


def _confirm_keyboard(prefix: str, token: str, yes: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=f"{prefix}:{token}:y"),
                InlineKeyboardButton(say.BUTTON_CANCEL, callback_data=f"{prefix}:{token}:n"),
            ]
        ]
    )


async def upload(update: Update, context: Context) -> None:
    """An admin's document: check, stage, validate, save into knowledge/, rebuild in background."""
    message, chat = update.effective_message, update.effective_chat
    if chat.type != ChatType.PRIVATE:
        return  # files shared in groups are not uploads
    if await _refuse_unless_admin(update, context):
        return
    settings = services.settings(context)
    document = message.document
    name = uploads.safe_name(document.file_name)
    shown = views.escape(name)
    try:
        uploads.check_suffix(name)
        uploads.check_name(name)
        uploads.check_size(document.file_size, min(settings.telegram.max_upload_mb, 20.0))
        telegram_file = await document.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
        uploads.check_size(len(data), settings.telegram.max_upload_mb)
        uploads.check_content(name, data, settings.ingest.max_docx_uncompressed_mb)
    except uploads.UploadRejected as exc:
        text = say.UPLOAD_REJECTED.format(name=shown, reason=views.escape(exc))
        await send_html(context, chat.id, [text])
        return
    root = settings.knowledge_dir
    staged = root / STAGING_DIR / f"{_token()}-{name}"
    try:
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
    except OSError:
        log.exception("cannot stage %s", staged)
        text = say.UPLOAD_REJECTED.format(name=shown, reason=say.UPLOAD_NOT_SAVED)
        await send_html(context, chat.id, [text])
        return
    try:
        # In a child process: a hostile file's memory goes back to the system with it.
        documents = await asyncio.to_thread(
            run_in_child, uploads.validate_staged, staged, root, settings.ingest, settings.chunking
        )
    except (uploads.UploadRejected, ChildFailed) as exc:
        staged.unlink(missing_ok=True)
        text = say.UPLOAD_CORRUPT.format(name=shown, reason=views.escape(exc))
        await send_html(context, chat.id, [text])
        return
    target = root / name
    if target.exists():
        token = _token()
        services.pending(context)[token] = {
            "kind": "upload",
            "staged": staged,
            "target": target,
            "user_id": update.effective_user.id,
            "at": time.monotonic(),
        }
        keyboard = _confirm_keyboard("up", token, say.BUTTON_YES_OVERWRITE)
        question = say.UPLOAD_EXISTS.format(name=shown) + _scan_note(documents)
        await send_html(context, chat.id, [question], keyboard)
        return
    _record(context, "upload", chat.id, target, staged=str(staged), is_new=True)
    os.replace(staged, target)
    await send_html(
        context, chat.id, [say.UPLOAD_RECEIVED.format(name=shown) + _scan_note(documents)]
    )
    rebuild.start_rebuild(context.application)


def _take_pending(context: Context, token: str, kind: str, user_id: int) -> dict | None:
    now = time.monotonic()
    waiting = services.pending(context)
    for stale in [t for t, a in waiting.items() if now - a["at"] > PENDING_SECONDS]:
        action = waiting.pop(stale)
        if action.get("staged") is not None:
            action["staged"].unlink(missing_ok=True)  # an unanswered overwrite question
    action = waiting.get(token)
    if action is None or action["kind"] != kind or action["user_id"] != user_id:
        return None
    waiting.pop(token, None)
    return action


async def _answered_confirmation(
    update: Update, context: Context, kind: str
) -> tuple[dict, str] | None:
    """The pending action a confirmation button answers, and the choice; None when refused or stale."""
    query = update.callback_query
    if await _refuse_unless_admin(update, context):
        return None
    _, token, choice = (query.data or "::").split(":", 2)
    action = _take_pending(context, token, kind, query.from_user.id)
    if action is None:
        await query.answer(say.ACTION_EXPIRED, show_alert=True)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    return action, choice


async def upload_confirm(update: Update, context: Context) -> None:
    """The overwrite question's buttons: replace the existing file, or drop the new one."""
    answered = await _answered_confirmation(update, context, "upload")
    if answered is None:
        return
    action, choice = answered
    staged: Path = action["staged"]
    target: Path = action["target"]
    if choice != "y":
        staged.unlink(missing_ok=True)
        await send_html(context, update.effective_chat.id, [say.UPLOAD_CANCELLED])
        return
    chat_id = update.effective_chat.id
    _record(context, "upload", chat_id, target, staged=str(staged), is_new=False)
    os.replace(staged, target)
    await send_html(context, chat_id, [say.UPLOAD_RECEIVED.format(name=views.escape(target.name))])
    rebuild.start_rebuild(context.application)


async def reindex(update: Update, context: Context) -> None:
    """/reindex: rescan knowledge/ and rebuild in the background."""
    if await _refuse_unless_admin(update, context):
        return
    chat_id = update.effective_chat.id
    if services.rebuild_lock(context).locked():
        await send_html(context, chat_id, [say.REBUILD_BUSY])
        return
    await send_html(context, chat_id, [say.REBUILD_STARTED])
    rebuild.start_rebuild(context.application, chat_id)


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


async def xoa(update: Update, context: Context) -> None:
    """/xoa <văn bản>: remove a document from knowledge/, after a confirmation button."""
    if await _refuse_unless_admin(update, context):
        return
    chat_id = update.effective_chat.id
    query = " ".join(context.args or []).strip()
    if not query:
        await send_html(context, chat_id, [say.DELETE_USAGE])
        return
    root = services.settings(context).knowledge_dir
    documents = await asyncio.to_thread(services.kb(context).documents)
    codes = {d.doc_id: d.code for d in documents}
    matches = await asyncio.to_thread(find_document_files, root, query, codes)
    shown = views.escape(query)
    if not matches:
        await send_html(context, chat_id, [say.DELETE_NOT_FOUND.format(name=shown)])
        return
    if len(matches) > 1:
        files = ", ".join(views.escape(p.name) for p in matches[:10])
        await send_html(context, chat_id, [say.DELETE_AMBIGUOUS.format(name=shown, files=files)])
        return
    token = _token()
    services.pending(context)[token] = {
        "kind": "delete",
        "target": matches[0],
        "user_id": update.effective_user.id,
        "at": time.monotonic(),
    }
    text = say.DELETE_CONFIRM.format(name=views.escape(matches[0].name))
    await send_html(
        context, chat_id, [text], _confirm_keyboard("del", token, say.BUTTON_YES_DELETE)
    )


async def delete_confirm(update: Update, context: Context) -> None:
    """The /xoa confirmation buttons."""
    answered = await _answered_confirmation(update, context, "delete")
    if answered is None:
        return
    action, choice = answered
    target: Path = action["target"]
    chat_id = update.effective_chat.id
    if choice != "y":
        await send_html(context, chat_id, [say.UPLOAD_CANCELLED])
        return
    _record(context, "delete", chat_id, target, is_new=False)
    target.unlink(missing_ok=True)
    await send_html(context, chat_id, [say.DELETE_DONE.format(name=views.escape(target.name))])
    rebuild.start_rebuild(context.application)


async def trangthai(update: Update, context: Context) -> None:
    """/trangthai: documents, last update in Vietnam time, today's questions and share not found."""
    if await _refuse_unless_admin(update, context):
        return
    settings = services.settings(context)
    stats = services.kb(context).stats()
    zone = ZoneInfo(settings.quiz.timezone)
    today = storage.question_stats(
        services.db(context), datetime.now(zone).date(), settings.quiz.timezone
    )
    building = services.rebuild_lock(context).locked()
    text = say.status(stats, today, building, settings.quiz.timezone)
    await send_html(context, update.effective_chat.id, [text])


async def chuatraloi(update: Update, context: Context) -> None:
    """/chuatraloi: recent questions that found nothing, to show which documents are missing."""
    if await _refuse_unless_admin(update, context):
        return
    rows = storage.recent_unanswered(services.db(context), 20)
    chat_id = update.effective_chat.id
    if not rows:
        await send_html(context, chat_id, [say.NO_UNANSWERED])
        return
    zone = ZoneInfo(services.settings(context).quiz.timezone)
    items = []
    for row in rows:
        when = datetime.fromisoformat(row["asked_at"]).astimezone(zone).strftime("%d/%m %H:%M")
        question = " ".join(row["question"].split())
        if len(question) > 300:
            question = question[:299] + "…"
        items.append(f"{when} — {question}")
    parts = views.rows_list(say.UNANSWERED_HEADER, items)
    await send_html(context, chat_id, parts)
