"""`nqbot quiz export [--json]` and `nqbot quiz [play]`: review and try the quiz in a terminal."""

from __future__ import annotations

import argparse
import json
import random
import sys
from typing import TextIO

from bot.config import Settings
from bot.quiz.bank import REJECTED_FILE, dump_bank, reject
from bot.quiz.items import QuizItem
from bot.quiz.pool import quiz_items
from bot.quiz.scheduler import matches_topic


def export_json(items: list[QuizItem]) -> str:
    """The items as the JSON list admins and scripts read."""
    keys = (
        "id",
        "question",
        "options",
        "correct",
        "explanation",
        "kind",
        "origin",
        "doc_id",
        "code",
        "heading",
        "source_text",
    )
    data = [{k: v for k, v in it.to_dict().items() if k in keys} for it in items]
    return json.dumps(data, ensure_ascii=False, indent=2)


def play(
    items: list[QuizItem], n: int, stdin: TextIO, stdout: TextIO, rng: random.Random
) -> tuple[int, int]:
    """Ask n items in the terminal; returns (correct, asked)."""
    chosen = rng.sample(items, min(n, len(items)))
    score = 0
    for number, item in enumerate(chosen, start=1):
        print(f"\nCâu {number}/{len(chosen)}: {item.question}", file=stdout)
        for i, option in enumerate(item.options, start=1):
            print(f"  {i}. {option}", file=stdout)
        answer = _read_choice(stdin, stdout, len(item.options))
        if answer is None:
            break
        if answer == item.correct:
            score += 1
            print("✅ Đúng!", file=stdout)
        else:
            print(f"❌ Chưa đúng. Đáp án: {item.correct + 1}. {item.answer}", file=stdout)
        print(f"   {item.explanation}", file=stdout)
        if item.source_text:
            print(f"   Nguyên văn: “{item.source_text.strip()}”", file=stdout)
    print(f"\nKết quả: {score}/{len(chosen)} câu đúng.", file=stdout)
    return score, len(chosen)


def _read_choice(stdin: TextIO, stdout: TextIO, count: int) -> int | None:
    while True:
        print(f"Chọn 1-{count} (q để thoát): ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in ("q", "quit", "thoat"):
            return None
        if line.strip().isdigit() and 1 <= int(line.strip()) <= count:
            return int(line.strip()) - 1
        print("Hãy nhập số thứ tự của một phương án.", file=stdout)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Export the items, reject some, or play a few of them."""
    if args.action == "reject":
        return reject_items(settings, getattr(args, "item_id", []) or [])
    items, problems = quiz_items(settings)
    for problem in problems:
        print(f"Ngân hàng câu hỏi: {problem}", file=sys.stderr)
    topic = getattr(args, "topic", None)
    items = [it for it in items if matches_topic(it, topic)]
    if args.action == "export":
        sys.stdout.write(export_json(items) + "\n" if args.json else dump_bank(items))
        return 0
    if not items:
        print(
            "Chưa có câu hỏi nào: hãy thêm văn bản vào knowledge/ (và chạy `nqbot index`)"
            + (f", hoặc thử chủ đề khác “{topic}”." if topic else "."),
            file=sys.stderr,
        )
        return 1
    play(items, max(1, args.n), sys.stdin, sys.stdout, random.Random())
    return 0


def reject_items(settings: Settings, ids: list[str]) -> int:
    """`nqbot quiz reject ID…`: the items never come back, whatever is re-indexed."""
    if not ids:
        print("Cách dùng: nqbot quiz reject MÃ_CÂU_HỎI (mã lấy từ nqbot quiz export --json)")
        return 2
    quiz_dir = settings.knowledge_dir / settings.quiz.quiz_dir
    items, _problems = quiz_items(settings)
    by_id = {it.id: it for it in items}
    for item_id in ids:
        item = by_id.get(item_id)
        note = item.question[:80] if item else ""
        if reject(quiz_dir, item_id, note):
            where = quiz_dir / REJECTED_FILE
            print(f"Đã loại câu {item_id}" + (f": {note}" if note else "") + f" (ghi vào {where})")
        else:
            print(f"Câu {item_id} đã bị loại từ trước.")
    return 0
