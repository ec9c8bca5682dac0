"""`nqbot run`: the Telegram bot, long polling by default, a webhook when configured."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import sys
from urllib.parse import urlparse

from telegram import Update

from bot.config import Settings

NO_TOKEN = """Chưa có mã bot Telegram (TELEGRAM_BOT_TOKEN).

Cách lấy và đặt mã:
  1. Trong Telegram, mở @BotFather, gõ /newbot và làm theo hướng dẫn.
  2. BotFather gửi lại một mã dạng 123456789:AA...; giữ bí mật mã này.
  3. Đặt mã vào biến môi trường rồi chạy lại:
       export TELEGRAM_BOT_TOKEN="123456789:AA..."
       nqbot run

Chưa cần bot? Dùng "nqbot chat" để hỏi đáp ngay trên terminal."""

NO_WEBHOOK_SUPPORT = """Cấu hình có telegram.webhook_url nhưng chưa cài phần webhook của python-telegram-bot.

Cài thêm:  pip install "python-telegram-bot[webhooks]"
hoặc bỏ telegram.webhook_url để chạy kiểu long polling (không cần mở cổng)."""


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Start the bot and block until it is stopped (Ctrl-C or SIGTERM)."""
    if not settings.bot_token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    telegram = settings.telegram
    if telegram.webhook_url and importlib.util.find_spec("tornado") is None:
        print(NO_WEBHOOK_SUPPORT, file=sys.stderr)
        return 2
    from bot.telegram.app import build_application
    from bot.telegram.webhook import WebhookRefused, check_webhook, webhook_secret

    secret = None
    if telegram.webhook_url:
        try:
            check_webhook(telegram)
            secret = webhook_secret(dict(os.environ))
        except WebhookRefused as exc:
            print(f"Không chạy bot: {exc}", file=sys.stderr)
            return 2
    logging.getLogger("bot").setLevel(logging.INFO)
    application = build_application(settings)
    if telegram.webhook_url:
        print(
            f"nqbot đang chạy (webhook, nghe tại {telegram.webhook_listen}:"
            f"{telegram.webhook_port}). Nhấn Ctrl-C để dừng.",
            file=sys.stderr,
        )
        application.run_webhook(
            listen=telegram.webhook_listen,
            port=telegram.webhook_port,
            url_path=urlparse(telegram.webhook_url).path.lstrip("/"),
            webhook_url=telegram.webhook_url,
            secret_token=secret,  # never None: updates without it get 403
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        print("nqbot đang chạy (long polling). Nhấn Ctrl-C để dừng.", file=sys.stderr)
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
