"""Answer hit of composed answers on a question set: how often the shown text holds the answer.

Usage: .venv/bin/python benchmarks/bench_compose.py [--data ../shared] [CORPUS_DIR|corpus.jsonl]
       [QUESTIONS.jsonl] [--verbose]   (default: the party set under --data)
Prints, as written and folded: answer hit (render_plain), the ceiling (answer anywhere in the
top-5 passages), refusal accuracy, and the quotes' mean length.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import add_data_argument, require  # noqa: E402
from bot.answer import compose_answer  # noqa: E402
from bot.config import EmbeddingSettings, RetrievalSettings  # noqa: E402
from bot.ingest.chunking import chunk_document  # noqa: E402
from bot.ingest.loaders import discover_files, load_file  # noqa: E402
from bot.render import render_html, render_plain  # noqa: E402
from bot.search.embedders import make_embedder  # noqa: E402
from bot.search.index import build_memory_index  # noqa: E402
from bot.search.retriever import Retriever  # noqa: E402
from bot.text import fold, normalize  # noqa: E402


def _norm(text: str) -> str:
    text = normalize(text).replace("**", "").replace("\\-", "-").lower()
    return " ".join(text.split())


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("corpus", nargs="?", type=Path, help="folder or corpus.jsonl")
    parser.add_argument("questions", nargs="?", type=Path, help="questions.jsonl")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    verbose = options.verbose
    corpus = options.corpus or options.data / "corpus" / "party"
    qpath = options.questions or options.data / "eval" / "party" / "questions.jsonl"
    require(corpus, qpath)
    if corpus.suffix == ".jsonl":  # an eval corpus: one document a line
        docs = load_file(corpus, corpus.parent, max_bytes=1 << 30)
    else:
        docs = [
            d
            for p in discover_files(corpus)
            if p.name != "PROVENANCE.txt"
            for d in load_file(p, corpus)
        ]
    chunks = [c for d in docs for c in chunk_document(d)]
    embedder = make_embedder(EmbeddingSettings(backend="hashing", model="hashing-384"))
    retriever = Retriever(
        build_memory_index(chunks, {d.id: d.meta for d in docs}, embedder),
        embedder,
        RetrievalSettings(),
    )
    questions = [json.loads(x) for x in qpath.read_text(encoding="utf-8").splitlines() if x.strip()]
    for folded in (False, True):
        hit = ceiling = refusal = inscope = 0
        lengths: list[int] = []
        compose_ms: list[float] = []
        started = time.perf_counter()
        for q in questions:
            text = fold(q["question"]) if folded else q["question"]
            result = retriever.retrieve(text, k=5)
            t0 = time.perf_counter()
            answer = compose_answer(text, result.hits, result.found)
            plain = render_plain(answer)
            render_html(answer)
            compose_ms.append((time.perf_counter() - t0) * 1000)
            shown = _norm(plain)
            out = bool(q.get("out_of_scope"))
            refusal += (not answer.found) == out
            if out or not q.get("answers"):
                continue
            inscope += 1
            gold = [_norm(a) for a in q["answers"]]
            ok = any(g in shown for g in gold)
            hit += ok
            ceiling += any(g in _norm(h.chunk.text) for h in result.hits for g in gold)
            lengths += [len(x.text) for x in answer.quotes]
            if verbose and not ok:
                print(f"MISS {q['id']}: {text}\n  gold={q['answers']}")
                for x in answer.quotes:
                    print("  quote:", x.text[:160])
        ms = (time.perf_counter() - started) * 1000 / len(questions)
        print(
            f"{'folded ' if folded else 'written'}: answer_hit {hit}/{inscope} = {hit / inscope:.3f}"
            f"  ceiling(top5) {ceiling / inscope:.3f}  refusal_acc {refusal / len(questions):.3f}"
            f"  mean quote chars {sum(lengths) / max(len(lengths), 1):.0f}  {ms:.1f} ms/q"
            f"  compose+render p50 {_pct(compose_ms, 0.5):.1f} p95 {_pct(compose_ms, 0.95):.1f} ms"
        )


if __name__ == "__main__":
    main()
