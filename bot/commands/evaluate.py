"""`nqbot eval QUESTIONS.jsonl`: retrieval and answer metrics over the current index."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import Settings
from bot.evaluate import (
    AnswerFn,
    compute_metrics,
    describe_failure,
    failures,
    load_questions,
    run_questions,
)

NO_INDEX = (
    "Chưa có chỉ mục văn bản. Hãy chạy `nqbot index` để lập chỉ mục thư mục knowledge/ trước."
)


def make_answer_fn(retriever: object, top_k: int, k: int) -> AnswerFn:
    """What a member gets for one question: ranked passages, the plain answer text, found."""
    from bot.answer import compose_answer
    from bot.render import render_plain

    def answer(question: str) -> tuple[list[tuple[str, str]], str, bool]:
        result = retriever.retrieve(question, k=max(k, top_k))
        # The member sees the answer composed from the default number of passages.
        shown = compose_answer(question, result.hits[:top_k], result.found)
        passages = [(h.chunk.doc_id, h.chunk.text) for h in result.hits[:k]]
        return passages, render_plain(shown), shown.found

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
        print(f"Không mở được chỉ mục: {exc}", file=sys.stderr)
        return 1
    retriever = Retriever(index, embedder, settings.retrieval)
    k = max(1, int(getattr(args, "k", 10) or 10))
    answer_fn = make_answer_fn(retriever, settings.retrieval.top_k, max(k, 10))
    if questions:  # load the model and train the restorer outside the timed questions
        answer_fn("khởi động")
        answer_fn("khoi dong")
    outcomes = run_questions(questions, answer_fn, fold_queries=bool(args.fold_queries))
    metrics = compute_metrics(outcomes)
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        _print_table(metrics)
    if args.failures:
        missed = failures(outcomes, k=min(k, 10))
        out = sys.stderr if args.json else sys.stdout
        print(f"\nCâu hỏi trả lời chưa đúng: {len(missed)}", file=out)
        for outcome in missed:
            print(describe_failure(outcome), file=out)
    return 0
