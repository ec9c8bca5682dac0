"""`nqbot eval QUESTIONS.jsonl`: retrieval and answer metrics over the current index."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bot.config import Settings
from bot.evaluate import (
    AnswerFn,
    Reply,
    compute_metrics,
    describe_failure,
    failures,
    load_questions,
    run_questions,
)
from bot.evaluate_kinds import by_kind, kind_table, summary, target_lines

NO_INDEX = "Chưa có văn bản nào được đọc. Hãy chạy `nqbot index` để đọc các văn bản trước."


def make_kb_answer_fn(kb: object, retriever: object, k: int) -> AnswerFn:
    """The member's answer from KnowledgeBase.ask (with the chat's conversation, if any).

    The member's wait is the timed part. Passages for R@k: a standalone question's ranking
    from the retriever (k of them); a conversation turn's from the answer's own sources.
    """
    from bot.render import render_plain

    def answer(question: str, conversation: object | None = None) -> Reply:
        start = time.perf_counter()
        shown = kb.ask(question, conversation=conversation)
        ms = (time.perf_counter() - start) * 1000.0
        if conversation is None:
            hits = retriever.retrieve(question, k=k).hits
            passages = [(h.chunk.doc_id, h.chunk.text) for h in hits]
        else:
            passages = [(c.doc_id, c.text) for c in shown.citations]
        cited = tuple(q.doc_id for q in shown.quotes)
        return Reply(passages, render_plain(shown), shown.found, cited, ms)

    return answer


def _print_table(metrics: dict) -> None:
    labels = {
        "R@1": "R@1",
        "R@5": "R@5",
        "R@10": "R@10",
        "MRR@10": "MRR@10",
        "answer_hit": "trả lời trúng (answer hit)",
        "refusal_accuracy": "từ chối đúng (refusal)",
        "p50_ms": "p50 (ms)",
        "p95_ms": "p95 (ms)",
        "questions": "số câu hỏi",
    }
    for key, label in labels.items():
        value = metrics[key]
        shown = "—" if value is None else (f"{value:.3f}" if isinstance(value, float) else value)
        print(f"{label:<28} {shown}")


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Load the index once, ask every question, print the metrics (and the misses)."""
    from bot.search.embedders import EmbedderUnavailable, make_embedder
    from bot.search.index import IndexMismatch, IndexMissing, load_index
    from bot.search.retriever import Retriever

    path = Path(args.questions)
    try:
        questions = load_questions(path)
    except (OSError, ValueError, KeyError) as exc:
        print(f"Không đọc được tệp câu hỏi {path}: {exc}", file=sys.stderr)
        return 2
    try:
        embedder = make_embedder(settings.embedding)
        index = load_index(settings.index_dir, embedder)
    except IndexMissing:
        print(NO_INDEX, file=sys.stderr)
        return 1
    except IndexMismatch as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (EmbedderUnavailable, OSError) as exc:
        print(f"Không mở được kho văn bản: {exc}", file=sys.stderr)
        return 1
    from bot.conversation import Conversation
    from bot.knowledge_base import KnowledgeBase

    kb = KnowledgeBase(settings, embedder)
    kb.install(index)
    retriever = Retriever(index, embedder, settings.retrieval)
    k = max(1, int(getattr(args, "k", 10) or 10))
    answer_fn = make_kb_answer_fn(kb, retriever, max(k, 10))
    if questions:  # load the model and train the restorer outside the timed questions
        answer_fn("khởi động")
        answer_fn("khoi dong")
    outcomes = run_questions(
        questions, answer_fn, fold_queries=bool(args.fold_queries), new_conversation=Conversation
    )
    metrics = compute_metrics(outcomes)
    kinded = any(q.kind for q in questions)
    if args.json:
        if kinded:
            metrics["by_kind"] = {row.kind: row.as_dict() for row in by_kind(outcomes)}
            metrics["summary"] = summary(outcomes)
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        _print_table(metrics)
        if kinded:
            print()
            print("\n".join(kind_table([by_kind(outcomes)])))
            print()
            print("\n".join(target_lines([summary(outcomes)])))
    if args.failures:
        missed = failures(outcomes, k=min(k, 10))
        out = sys.stderr if args.json else sys.stdout
        print(f"\nCâu hỏi trả lời chưa đúng: {len(missed)}", file=out)
        for outcome in missed:
            print(describe_failure(outcome), file=out)
    return 0
