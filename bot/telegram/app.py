"""Wiring: the python-telegram-bot Application with nqbot's services and handlers."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

from telegram import BotCommandScopeChat, LinkPreviewOptions, MessageEntity
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import storage
from bot.config import Settings
from bot.conversation import AnswerContexts, Conversations
from bot.knowledge_base import KnowledgeBase
from bot.telegram import admin, handlers, quiz_handlers, rebuild
from bot.telegram import messages as say
from bot.telegram.confirmations import Confirmations
from bot.telegram.delivery import FloodLimits, RetryingRequest
from bot.telegram.errors import error_handler
from bot.telegram.flood import FloodLimiter

log = logging.getLogger(__name__)


def build_application(
    settings: Settings, kb: KnowledgeBase | None = None, db: sqlite3.Connection | None = None
) -> Application:
    """The Application with services in bot_data and every handler registered (no I/O yet)."""
    token = settings.bot_token
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    telegram = settings.telegram
    request = RetryingRequest(
        connection_pool_size=16,
        connect_timeout=10.0,
        read_timeout=telegram.read_timeout,
        write_timeout=20.0,
        pool_timeout=5.0,
        media_write_timeout=60.0,
    )
    updates_request = HTTPXRequest(connection_pool_size=2, connect_timeout=10.0, read_timeout=10.0)
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(telegram.base_url)
        .base_file_url(telegram.base_file_url)
        .request(request)
        .get_updates_request(updates_request)
        .rate_limiter(FloodLimits(max_retries=3))
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        # Several members' questions are answered at once; retrieval runs in threads.
        .concurrent_updates(8)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    owns_db = db is None
    application.bot_data.update(
        settings=settings,
        kb=kb if kb is not None else KnowledgeBase(settings, isolate_builds=True),
        db=db if db is not None else storage.connect(settings.database),
        flood=FloodLimiter(telegram.flood_messages, telegram.flood_seconds),
        rebuild_lock=asyncio.Lock(),
        pending=Confirmations(),
        conversations=Conversations(),
        answer_contexts=AnswerContexts(),
        owns_db=owns_db,
    )
    _register(application)
    return application


def _register(application: Application) -> None:
    only_messages = filters.UpdateType.MESSAGE
    commands = [
        ("start", handlers.start),
        ("help", handlers.help_command),
        ("hoi", handlers.hoi),
        ("moi", handlers.moi),
        ("vanban", handlers.vanban),
        ("reindex", admin.reindex),
        ("xoa", admin.xoa),
        ("trangthai", admin.trangthai),
        ("chuatraloi", admin.chuatraloi),
    ]
    for name, callback in commands:
        application.add_handler(CommandHandler(name, callback, filters=only_messages))
    callbacks = [
        (r"^src:", handlers.source_button),
        (r"^more:", handlers.more_button),
        (r"^fb:", handlers.feedback_button),
        (r"^doc:", handlers.document_button),
        (r"^up:", admin.upload_confirm),
        (r"^del:", admin.delete_confirm),
    ]
    for pattern, callback in callbacks:
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(MessageHandler(filters.Document.ALL & only_messages, admin.upload))
    quiz_handlers.register(application)
    # Last in group 0: a button no handler above took (stale or forged data) is still answered,
    # and a command no handler above knows gets a pointer to /help.
    application.add_handler(CallbackQueryHandler(handlers.unknown_button))
    application.add_handler(
        MessageHandler(filters.COMMAND & only_messages, handlers.unknown_command)
    )
    # Catch-all text handlers go last, in their own group, so quiz handlers always see first.
    application.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & only_messages,
            handlers.private_text,
        ),
        group=1,
    )
    application.add_handler(
        MessageHandler(
            filters.TEXT
            & ~filters.COMMAND
            & (filters.REPLY | filters.Entity(MessageEntity.MENTION))
            & filters.ChatType.GROUPS
            & only_messages,
            handlers.group_text,
        ),
        group=1,
    )
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE
            & only_messages
            & (filters.PHOTO | filters.Sticker.ALL | filters.VOICE | filters.VIDEO | filters.AUDIO),
            handlers.not_text,
        ),
        group=1,
    )
    application.add_error_handler(error_handler)


async def _post_init(application: Application) -> None:
    """Load the index once, register the command menus, tell admins if there is no index."""
    data = application.bot_data
    kb: KnowledgeBase = data["kb"]
    settings: Settings = data["settings"]
    problem = None
    if not kb.ready:
        try:
            await asyncio.to_thread(kb.load)
        except Exception as exc:  # a mismatched or damaged index must not stop the bot
            log.exception("could not load the index")
            problem = f"{type(exc).__name__}: {exc}"
    bot = application.bot
    member_commands = say.MEMBER_COMMANDS + list(quiz_handlers.QUIZ_COMMANDS)
    await bot.set_my_commands(member_commands)
    for admin_id in settings.telegram.admin_ids:
        try:
            await bot.set_my_commands(
                member_commands + say.ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id)
            )
        except TelegramError:
            log.warning("could not set admin commands for %s", admin_id, exc_info=True)
    # Uploads and deletions a stop interrupted: finish them in the background and report.
    data["resume_task"] = asyncio.get_running_loop().create_task(
        rebuild.resume_jobs(application), name="nqbot-resume"
    )
    if kb.ready:
        return
    import html

    text = (
        say.INDEX_LOAD_FAILED_ADMIN.format(reason=html.escape(problem, quote=False)[:800])
        if problem
        else say.NOT_READY_ADMIN
    )
    for admin_id in settings.telegram.admin_ids:
        try:
            await bot.send_message(admin_id, text, parse_mode="HTML")
        except TelegramError:
            log.warning("could not tell admin %s about the missing index", admin_id)


async def _post_shutdown(application: Application) -> None:
    """Close the database if this application opened it."""
    if application.bot_data.get("owns_db"):
        application.bot_data["db"].close()
