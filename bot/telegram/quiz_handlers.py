"""Quiz commands in Telegram (/quiz, /ontap, /dangky, /huydangky, /ketqua, /bangxephang)."""

from __future__ import annotations

from telegram import BotCommand
from telegram.ext import Application

# (command, Vietnamese description) pairs for setMyCommands.
QUIZ_COMMANDS: list[BotCommand] = []


def register(application: Application) -> None:
    """Add the quiz handlers and restore daily schedules. STUB (owner: quiz helper)."""
    return None
