"""Admin handlers: document upload, /reindex, /xoa, /trangthai, /chuatraloi.

Everyone not in telegram.admin_ids gets a polite refusal and nothing changes. The work is in
bot.telegram.document_ops (the files), confirmations (the yes/no buttons), rebuild (the
background indexing) and admin_status (what /trangthai and /chuatraloi show).
"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ChatType

from bot.telegram import (
    admin_status,
    confirmations,
    document_ops,
    rebuild,
    services,
    uploads,
    views,
)
from bot.telegram import messages as say
from bot.telegram.confirmations import Pending
from bot.telegram.handlers import send_html
from bot.telegram.services import Context


async def _refuse_unless_admin(update: Update, context: Context) -> bool:
    """True (after a polite refusal) when the sender is not an admin."""
    if services.is_admin(context, update.effective_user):
        return False
    if update.callback_query is not None:
        await update.callback_query.answer(say.ADMIN_ONLY, show_alert=True)
    elif update.effective_chat is not None:
        await send_html(context, update.effective_chat.id, [say.ADMIN_ONLY])
    return True


def _refusal(name: str, exc: document_ops.Refused) -> str:
    if exc.step == "reading":
        return say.UPLOAD_CORRUPT.format(name=name, reason=views.escape(exc))
    reason = say.UPLOAD_NOT_SAVED if exc.step == "saving" else views.escape(exc)
    return say.UPLOAD_REJECTED.format(name=name, reason=reason)


async def _download(document) -> bytes:
    return bytes(await (await document.get_file()).download_as_bytearray())


async def upload(update: Update, context: Context) -> None:
    """An admin's document: check, stage, read, save into knowledge/, index in the background."""
    chat, document = update.effective_chat, update.effective_message.document
    if chat.type != ChatType.PRIVATE or await _refuse_unless_admin(update, context):
        return  # files shared in groups are not uploads
    name = uploads.safe_name(document.file_name)
    shown = views.escape(name)
    try:
        received = await document_ops.receive(
            name, document.file_size, lambda: _download(document), services.settings(context)
        )
    except document_ops.Refused as exc:
        await send_html(context, chat.id, [_refusal(shown, exc)])
        return
    note = admin_status.scan_note(received.documents)
    if received.target.exists():
        action = Pending("upload", received.target, update.effective_user.id, received.staged)
        token = services.pending(context).add(action)
        buttons = confirmations.keyboard("up", token, say.BUTTON_YES_OVERWRITE)
        await send_html(context, chat.id, [say.UPLOAD_EXISTS.format(name=shown) + note], buttons)
        return
    db = services.db(context)
    document_ops.install_upload(db, chat.id, received.staged, received.target, is_new=True)
    await send_html(context, chat.id, [say.UPLOAD_RECEIVED.format(name=shown) + note])
    rebuild.start_rebuild(context.application)


async def _answered_confirmation(
    update: Update, context: Context, kind: str
) -> tuple[Pending, bool] | None:
    """The pending action a confirmation button answers, and yes/no; None when refused or stale."""
    query = update.callback_query
    if await _refuse_unless_admin(update, context):
        return None
    parsed = confirmations.parse(query.data)
    action = parsed and services.pending(context).take(parsed[0], kind, query.from_user.id)
    if not action:
        await query.answer(say.ACTION_EXPIRED, show_alert=True)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    return action, parsed[1]


async def upload_confirm(update: Update, context: Context) -> None:
    """The overwrite question's buttons: replace the existing file, or drop the new one."""
    answered = await _answered_confirmation(update, context, "upload")
    if answered is None:
        return
    action, yes = answered
    chat_id = update.effective_chat.id
    if not yes:
        action.staged.unlink(missing_ok=True)
        await send_html(context, chat_id, [say.UPLOAD_CANCELLED])
        return
    document_ops.install_upload(
        services.db(context), chat_id, action.staged, action.target, is_new=False
    )
    text = say.UPLOAD_RECEIVED.format(name=views.escape(action.target.name))
    await send_html(context, chat_id, [text])
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


async def _matching_files(context: Context, query: str) -> list:
    root = services.settings(context).knowledge_dir
    documents = await asyncio.to_thread(services.kb(context).documents)
    codes = {d.doc_id: d.code for d in documents}
    return await asyncio.to_thread(document_ops.find_document_files, root, query, codes)


async def xoa(update: Update, context: Context) -> None:
    """/xoa <văn bản>: remove a document from knowledge/, after a confirmation button."""
    if await _refuse_unless_admin(update, context):
        return
    chat_id = update.effective_chat.id
    query = " ".join(context.args or []).strip()
    matches = await _matching_files(context, query) if query else []
    shown = views.escape(query)
    if not query or len(matches) != 1:
        if not query:
            text = say.DELETE_USAGE
        elif not matches:
            text = say.DELETE_NOT_FOUND.format(name=shown)
        else:
            files = ", ".join(views.escape(p.name) for p in matches[:10])
            text = say.DELETE_AMBIGUOUS.format(name=shown, files=files)
        await send_html(context, chat_id, [text])
        return
    token = services.pending(context).add(Pending("delete", matches[0], update.effective_user.id))
    text = say.DELETE_CONFIRM.format(name=views.escape(matches[0].name))
    buttons = confirmations.keyboard("del", token, say.BUTTON_YES_DELETE)
    await send_html(context, chat_id, [text], buttons)


async def delete_confirm(update: Update, context: Context) -> None:
    """The /xoa confirmation buttons."""
    answered = await _answered_confirmation(update, context, "delete")
    if answered is None:
        return
    action, yes = answered
    chat_id = update.effective_chat.id
    if not yes:
        await send_html(context, chat_id, [say.UPLOAD_CANCELLED])
        return
    document_ops.delete_document(services.db(context), chat_id, action.target)
    text = say.DELETE_DONE.format(name=views.escape(action.target.name))
    await send_html(context, chat_id, [text])
    rebuild.start_rebuild(context.application)


async def trangthai(update: Update, context: Context) -> None:
    """/trangthai: documents, last update in Vietnam time, today's questions and share not found."""
    if await _refuse_unless_admin(update, context):
        return
    building = services.rebuild_lock(context).locked()
    text = admin_status.status_text(
        services.kb(context), services.db(context), services.settings(context), building
    )
    await send_html(context, update.effective_chat.id, [text])


async def chuatraloi(update: Update, context: Context) -> None:
    """/chuatraloi: recent questions that found nothing, to show which documents are missing."""
    if await _refuse_unless_admin(update, context):
        return
    parts = admin_status.unanswered_parts(services.db(context), services.settings(context))
    await send_html(context, update.effective_chat.id, parts)
