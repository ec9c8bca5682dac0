"""`nqbot chat`: a conversation in the terminal, answered from the index and logged like
Telegram questions (so /chuatraloi sees what it could not answer)."""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
from pathlib import Path
from typing import TextIO

from bot import render, storage
from bot.answer import Answer
from bot.commands.ask import open_knowledge_base
from bot.config import Settings
from bot.conversation import Conversation
from bot.telegram import messages as say

log = logging.getLogger(__name__)

HISTORY = Path.home() / ".nqbot_history"
QUIT_WORDS = {"thoát", "thoat", "exit", "quit", "/q", "/thoat"}
HELP_WORDS = {"/help", "/trogiup", "/huongdan", "?"}
NEW_WORDS = {"/moi", "/mới"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def _enable_readline() -> None:
    """Line editing and a saved history when readline is available."""
    try:
        import atexit
        import readline
    except ImportError:  # Windows without pyreadline: plain input() still works
        return
    try:
        readline.read_history_file(HISTORY)
    except OSError:
        pass
    readline.set_history_length(1000)

    def _save() -> None:
        try:
            readline.write_history_file(HISTORY)
        except OSError:
            pass

    atexit.register(_save)


def supports_style(out: TextIO) -> bool:
    """Bold and dim only on a terminal that renders them (not piped, not NO_COLOR, not dumb)."""
    isatty = getattr(out, "isatty", None)
    return (
        bool(isatty and isatty())
        and not os.environ.get("NO_COLOR")
        and (os.environ.get("TERM", "") not in ("", "dumb"))
    )


def styled(answer: Answer, style: bool) -> str:
    """The plain answer; with style, headings bold and citation lines dim."""
    text = render.render_plain(answer)
    if not style:
        return text
    headings = {render.QUOTES_HEADER, render.MORE_SOURCES, render.TRY_HEADER, render.NOT_FOUND}
    lines = []
    for line in text.split("\n"):
        if line in headings:
            line = f"{BOLD}{line}{RESET}"
        elif line.startswith("   — ") or line[:3].rstrip(".").isdigit():
            line = f"{DIM}{line}{RESET}"
        lines.append(line)
    return "\n".join(lines)


def _open_log(settings: Settings) -> sqlite3.Connection | None:
    try:
        return storage.connect(settings.database)
    except (OSError, sqlite3.Error):
        log.warning("cannot open %s: questions will not be logged", settings.database)
        return None


def _log(db: sqlite3.Connection | None, question: str, answer: Answer) -> None:
    if db is None:
        return
    top = answer.citations[0] if answer.citations else None
    try:
        storage.log_question(
            db,
            question,
            answer.found,
            chat_type="cli",
            top_chunk_id=top.chunk_id if top else None,
            top_score=top.score if top else None,
        )
    except sqlite3.Error:
        log.warning("could not log a question", exc_info=True)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """The interactive loop: one question a line, the answer after it; /help, /moi, thoát."""
    kb = open_knowledge_base(settings)
    if kb is None:
        return 1
    interactive = sys.stdin.isatty()
    style = supports_style(sys.stdout)
    if interactive:
        _enable_readline()
        print(say.CHAT_WELCOME)
    db = _open_log(settings)
    conversation = Conversation()
    try:
        while True:
            try:
                question = input("\n❓ " if interactive else "").strip()
            except EOFError:
                if interactive:
                    print()
                return 0
            except KeyboardInterrupt:
                print("\n" + say.CHAT_HOW_TO_QUIT)
                continue
            command = question.lower()
            if not question:
                continue
            if command in QUIT_WORDS:
                return 0
            if command in HELP_WORDS:
                print(say.CHAT_HELP)
                continue
            if command in NEW_WORDS:
                conversation.clear()
                print(say.MOI_DONE)
                continue
            try:
                answer = kb.ask(question, conversation=conversation)
            except KeyboardInterrupt:
                print("\n" + say.CHAT_STOPPED)
                continue
            _log(db, question, answer)
            print(styled(answer, style))
    finally:
        if db is not None:
            db.close()
