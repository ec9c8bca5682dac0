"""Webhook mode's safety: every update must carry a secret, and the server listens privately.

Telegram sends the secret registered with setWebhook(secret_token=…) in the
X-Telegram-Bot-Api-Secret-Token header; python-telegram-bot answers 403 to any update
without it. When TELEGRAM_WEBHOOK_SECRET is not set, a fresh random secret is made at
each start and registered, so there is no configuration that takes unauthenticated updates.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from urllib.parse import urlparse

from bot.config import TelegramSettings

SECRET_ENV = "TELEGRAM_WEBHOOK_SECRET"
MIN_SECRET_CHARS = 16
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token


class WebhookRefused(Exception):
    """A webhook configuration nqbot will not start; str(exc) says why, in Vietnamese."""


def webhook_secret(environ: dict[str, str] | None) -> str:
    """The secret from the environment, checked; a new random one when it is not set."""
    value = (environ or {}).get(SECRET_ENV, "").strip()
    if not value:
        return secrets.token_urlsafe(32)  # 43 characters of [A-Za-z0-9_-]
    if not _SECRET.fullmatch(value):
        raise WebhookRefused(
            f"{SECRET_ENV} chỉ được gồm chữ cái không dấu, chữ số, '_' và '-' (tối đa 256 ký tự)."
        )
    if len(value) < MIN_SECRET_CHARS:
        raise WebhookRefused(
            f"{SECRET_ENV} quá ngắn ({len(value)} ký tự): cần ít nhất {MIN_SECRET_CHARS} ký tự "
            "để không ai đoán được; hoặc bỏ biến này, bot sẽ tự tạo mã mỗi lần chạy."
        )
    return value


def check_webhook(telegram: TelegramSettings) -> None:
    """WebhookRefused when the URL Telegram posts to would travel unencrypted."""
    url = urlparse(telegram.webhook_url or "")
    host = url.hostname or ""
    if url.scheme == "https" and host:
        return
    if url.scheme == "http" and _is_loopback(host):
        return  # a proxy or a test on the same machine
    raise WebhookRefused(
        f"telegram.webhook_url phải là địa chỉ https:// mà Telegram gọi được "
        f"(đang là '{telegram.webhook_url}')."
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
