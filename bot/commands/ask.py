"""`nqbot ask`: one question (or one a line from stdin) answered from the index."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bot.answer import Answer
from bot.config import Settings
from bot.knowledge_base import KnowledgeBase
from bot.render import render_plain
from bot.search.embedders import EmbedderUnavailable
from bot.search.index import IndexMismatch

NO_INDEX = (
    "Chưa có chỉ mục văn bản. Hãy chạy `nqbot index` để lập chỉ mục thư mục knowledge/ trước."
)


def answer_json(answer: Answer) -> dict:
    """The --json form: found, the text shown, the quotes, the top passages in rank order."""
    return {
        "found": answer.found,
        "answer": render_plain(answer),
        "quotes": [
            {"text": q.text, "doc_id": q.doc_id, "code": q.code, "heading": q.heading}
            for q in answer.quotes
        ],
        "citations": [
            {
                "doc_id": c.doc_id,
                "code": c.code,
                "title": c.title,
                "heading": c.heading,
                "date": c.date,
                "score": c.score,
                "text": c.text,
            }
            for c in answer.citations
        ],
    }


def open_knowledge_base(settings: Settings) -> KnowledgeBase | None:
    """The loaded knowledge base, or None after telling the user what to run."""
    kb = KnowledgeBase(settings)
    try:
        loaded = kb.load()
    except IndexMismatch as exc:
        print(str(exc), file=sys.stderr)
        return None
    except (EmbedderUnavailable, OSError) as exc:
        print(f"Không mở được chỉ mục: {exc}", file=sys.stderr)
        return None
    if not loaded:
        print(NO_INDEX, file=sys.stderr)
        return None
    return kb


def _emit(answer: Answer, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(answer_json(answer), ensure_ascii=False) + "\n")
    else:
        out.write(render_plain(answer) + "\n")
    out.flush()


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Answer the question (or each stdin line for '-'); exit 1 when there is no usable index."""
    kb = open_knowledge_base(settings)
    if kb is None:
        return 1
    k = args.k or settings.retrieval.top_k
    if args.question != "-":
        _emit(kb.ask(args.question, k=k), args.json, sys.stdout)
        return 0
    first = True
    for line in sys.stdin:
        question = line.strip()
        if not question:
            continue
        if not args.json and not first:
            sys.stdout.write("\n")
        _emit(kb.ask(question, k=k), args.json, sys.stdout)
        first = False
    return 0
