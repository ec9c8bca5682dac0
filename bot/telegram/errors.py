"""The one error handler: log with the traceback, apologise briefly, tell admins (rate-limited)."""

from __future__ import annotations

import html
import logging
import time

from telegram import Update
from telegram.error import NetworkError, TelegramError

from bot.telegram import messages as say
from bot.telegram.services import Context

log = logging.getLogger(__name__)

ADMIN_ALERT_SECONDS = 300.0  # at most one alert to admins per five minutes


async def error_handler(update: object, context: Context) -> None:
    """Log the error with its traceback, apologise to the member, alert admins now and then."""
    error = context.error
    if isinstance(error, NetworkError):
        # A 5xx or a timeout from Telegram: the reply may well have been delivered, so no
        # apology after it (and no alarm for admins: the next request usually goes through).
        log.warning("Telegram did not confirm a request: %s", error)
        return
    log.error("error while handling an update", exc_info=error)
    if isinstance(update, Update):
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(say.ERROR_APOLOGY)
            elif update.effective_chat is not None:
                await context.bot.send_message(update.effective_chat.id, say.ERROR_APOLOGY)
        except TelegramError:
            log.warning("could not apologise to the user", exc_info=True)
    await _alert_admins(context, error)


async def _alert_admins(context: Context, error: BaseException | None) -> None:
    now = time.monotonic()
    last = context.bot_data.get("last_admin_alert")
    if last is not None and now - last < ADMIN_ALERT_SECONDS:
        return
    context.bot_data["last_admin_alert"] = now
    detail = html.escape(f"{type(error).__name__}: {error}", quote=False)[:1000]
    text = f"⚠️ Bot gặp lỗi (chi tiết trong nhật ký):\n<code>{detail}</code>"
    settings = context.bot_data["settings"]
    for admin_id in settings.telegram.admin_ids:
        try:
            await context.bot.send_message(admin_id, text, parse_mode="HTML")
        except TelegramError:
            log.warning("could not alert admin %s", admin_id, exc_info=True)
