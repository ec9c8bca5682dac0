"""`nqbot` command line: parse arguments, load settings, hand over to bot.commands.*."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from bot.config import ConfigError, load_settings

# subcommand → module in bot.commands exposing `run(settings, args) -> int`
SUBCOMMANDS = {
    "index": "bot.commands.index",
    "documents": "bot.commands.documents",
    "ask": "bot.commands.ask",
    "chat": "bot.commands.chat",
    "eval": "bot.commands.evaluate",
    "run": "bot.commands.run",
    "quiz": "bot.commands.quiz",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="nqbot",
        description="Tra cứu và ôn tập văn bản của Đảng, trích nguyên văn có nguồn.",
    )
    parser.add_argument("--config", default=None, help="tệp cấu hình (mặc định ./config.yaml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi nhật ký chi tiết")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="đọc các văn bản trong thư mục văn bản để trả lời câu hỏi")
    p.add_argument("--json", action="store_true", help="in bản tóm tắt dạng JSON")

    p = sub.add_parser("documents", help="danh sách văn bản đã đọc, kèm những chỗ cần xem lại")
    p.add_argument("--json", action="store_true", help="in danh sách dạng JSON")

    p = sub.add_parser("ask", help="hỏi một câu (hoặc '-' để đọc mỗi dòng một câu từ stdin)")
    p.add_argument("question", help="câu hỏi, hoặc '-' để đọc từ stdin")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("-k", type=int, default=None, help="số đoạn trích dẫn trả về")

    sub.add_parser("chat", help="trò chuyện hỏi đáp trên terminal")

    p = sub.add_parser("eval", help="đo chất lượng tìm kiếm trên một tệp câu hỏi JSONL")
    p.add_argument("questions", help="tệp câu hỏi JSONL")
    p.add_argument("--fold-queries", action="store_true", help="bỏ dấu câu hỏi trước khi hỏi")
    p.add_argument("--json", action="store_true", help="in số đo dạng JSON")
    p.add_argument("--failures", action="store_true", help="liệt kê các câu trả lời sai")
    p.add_argument("-k", type=int, default=10, help="số đoạn lấy về cho mỗi câu hỏi")

    sub.add_parser("run", help="chạy bot Telegram (cần TELEGRAM_BOT_TOKEN)")

    p = sub.add_parser("quiz", help="câu hỏi trắc nghiệm: chơi thử trên terminal hoặc xuất ra")
    p.add_argument("action", nargs="?", choices=["play", "export", "reject"], default="play")
    p.add_argument("item_id", nargs="*", help="mã câu hỏi cần loại (với reject)")
    p.add_argument("--json", action="store_true", help="xuất dạng JSON (mặc định YAML)")
    p.add_argument("-n", type=int, default=5, help="số câu khi chơi thử")
    p.add_argument("--topic", default=None, help="chủ đề hoặc mã văn bản")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `nqbot` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    module = importlib.import_module(SUBCOMMANDS[args.command])
    return module.run(settings, args)


if __name__ == "__main__":
    sys.exit(main())
