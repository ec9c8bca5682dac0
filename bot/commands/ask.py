"""`nqbot ask`: one question (or one a line from stdin) answered from the index.

With '-', a line is a question, or a JSON object {"question": …, "chat": "c1"}: lines of the
same chat share one conversation, in order; plain lines stand alone."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bot.answer import Answer
from bot.config import Settings
from bot.conversation import Conversations
from bot.knowledge_base import KnowledgeBase
from bot.render import render_plain
from bot.search.embedders import EmbedderUnavailable
from bot.search.index import IndexMismatch

NO_INDEX = "Chưa có văn bản nào được đọc. Hãy chạy `nqbot index` để đọc các văn bản trước."
BAD_LINE = 'Dòng {number} không phải câu hỏi: cần chữ, hoặc JSON {{"question": …, "chat": …}}.'


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
        print(f"Không mở được kho văn bản: {exc}", file=sys.stderr)
        return None
    if not loaded:
        print(NO_INDEX, file=sys.stderr)
        return None
    return kb


def _emit(answer: Answer, as_json: bool, out: TextIO, chat: str | None = None) -> None:
    if as_json:
        data = answer_json(answer)
        if chat is not None:
            data["chat"] = chat
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        out.write(render_plain(answer) + "\n")
    out.flush()


def parse_line(line: str) -> tuple[str, str | None] | None:
    """A stdin line as (question, chat): plain text, or {"question": …, "chat": …}.

    None when the line is a JSON object without a question. Lines of one chat are asked in
    order in one conversation, so a follow-up is read against the question before it.
    """
    text = line.strip()
    if not text.startswith("{"):
        return text, None
    try:
        data = json.loads(text)
    except ValueError:
        return text, None  # text that merely starts with a brace
    question = data.get("question") if isinstance(data, dict) else None
    if not isinstance(question, str) or not question.strip():
        return None
    chat = data.get("chat")
    return question.strip(), (None if chat is None else str(chat))


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Answer the question (or each stdin line for '-'); exit 1 when there is no usable index."""
    kb = open_knowledge_base(settings)
    if kb is None:
        return 1
    k = args.k or settings.retrieval.top_k
    if args.question != "-":
        _emit(kb.ask(args.question, k=k), args.json, sys.stdout)
        return 0
    conversations = Conversations()
    first = True
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        parsed = parse_line(line)
        if parsed is None:
            message = BAD_LINE.format(number=number)
            if args.json:
                sys.stdout.write(json.dumps({"error": message}, ensure_ascii=False) + "\n")
            else:
                print(message, file=sys.stderr)
            continue
        question, chat = parsed
        conversation = conversations.get(chat) if chat is not None else None
        if not args.json and not first:
            sys.stdout.write("\n")
        _emit(kb.ask(question, k=k, conversation=conversation), args.json, sys.stdout, chat)
        first = False
    return 0
