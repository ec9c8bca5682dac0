"""`nqbot chat`: ask questions in the terminal, answered from the index."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.commands.ask import open_knowledge_base
from bot.config import Settings
from bot.render import render_plain

HISTORY = Path.home() / ".nqbot_history"
QUIT_WORDS = {"thoát", "thoat", "exit", "quit", "/q"}
WELCOME = (
    "nqbot — hỏi đáp văn bản của Đảng, trích nguyên văn có nguồn.\n"
    "Gõ câu hỏi rồi nhấn Enter; gõ “thoát” hoặc Ctrl-D để thoát."
)


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


def run(settings: Settings, args: argparse.Namespace) -> int:
    """The interactive loop: one question a line, the plain answer after it."""
    kb = open_knowledge_base(settings)
    if kb is None:
        return 1
    interactive = sys.stdin.isatty()
    if interactive:
        _enable_readline()
        print(WELCOME)
    while True:
        try:
            question = input("\n❓ " if interactive else "").strip()
        except EOFError:
            if interactive:
                print()
            return 0
        except KeyboardInterrupt:
            print("\n(Gõ “thoát” hoặc Ctrl-D để thoát.)")
            continue
        if not question:
            continue
        if question.lower() in QUIT_WORDS:
            return 0
        try:
            answer = kb.ask(question)
        except KeyboardInterrupt:
            print("\n(Đã dừng câu hỏi này.)")
            continue
        print(render_plain(answer))
