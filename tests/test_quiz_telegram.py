"""The quiz over Telegram, end to end against the Bot API double with the real bot wiring."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, time, timedelta

import pytest
from conftest import ROOT

from bot.devtools.botapi_double import TOKEN, BotApiDouble, running
from bot.quiz import store
from bot.storage import connect
from bot.telegram import quiz_handlers
from bot.telegram.app import build_application

SEED = next((ROOT / "knowledge").glob("01-CTr-TU_*.txt"))
BANK = ROOT / "knowledge" / "quiz" / "vi-du.yaml"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def double():
    with BotApiDouble() as server:
        yield server


@pytest.fixture
def settings(make_settings, double, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    result = make_settings(telegram=double.telegram_config(admin_ids=[1]))
    shutil.copy(SEED, result.knowledge_dir / SEED.name)
    (result.knowledge_dir / "quiz").mkdir()
    shutil.copy(BANK, result.knowledge_dir / "quiz" / BANK.name)
    return result


def _polls(double: BotApiDouble, chat_id: int) -> list[dict]:
    return [m for m in double.sent(chat_id) if "poll" in m]


def test_quiz_poll_answer_and_results(double: BotApiDouble, settings) -> None:
    app = build_application(settings)
    db = app.bot_data["db"]

    async def main() -> None:
        async with running(app):
            double.send_text(42, "/quiz")
            [message] = await double.await_for(lambda: _polls(double, 42))
            poll = message["poll"]
            assert poll["type"] == "quiz" and poll["is_anonymous"] is False
            assert len(poll["options"]) == 4
            assert len({o["text"] for o in poll["options"]}) == 4
            assert 0 < len(poll["explanation"]) <= 200
            assert "01-CTr/TU" in poll["explanation"]  # names the source
            [[button]] = message["reply_markup"]["inline_keyboard"]
            assert button["text"] == "Xem nguồn" and len(button["callback_data"].encode()) <= 64

            # A correct answer is recorded for the member and scheduled by FSRS.
            [correct] = poll["correct_option_ids"]
            double.send_poll_answer(42, poll["id"], [correct])
            double.send_poll_answer(42, "POLL-unknown", [0])  # ignored
            await double.await_for(lambda: store.member_stats(db, 42, datetime.now(UTC)).answered)
            before = len(double.sent(42))
            double.send_text(42, "/ketqua")
            [reply] = await double.await_for(double.messages_after(42, before))
            assert "Đã trả lời: 1 câu" in reply["text"]
            assert "Trả lời đúng: 1 câu (100%)" in reply["text"]
            assert "Chuỗi ngày học liên tiếp: 1 ngày" in reply["text"]

            # "Xem nguồn" shows the verbatim source of the item.
            before = len(double.sent(42))
            double.press_button(42, message, data=button["callback_data"])
            [source] = await double.await_for(double.messages_after(42, before))
            item = store.get_item(db, button["callback_data"].removeprefix("qsrc:"))
            assert item is not None and item.source_text.strip() in source["text"]

            # The next /quiz does not repeat the item just answered correctly.
            double.send_text(42, "/quiz")
            polls = await double.await_for(
                lambda: (lambda p: p if len(p) == 2 else None)(_polls(double, 42))
            )
            assert polls[1]["poll"]["question"] != poll["question"]

    asyncio.run(main())
    assert double.rejected == []
    assert {"quiz", "ontap", "dangky", "ketqua", "bangxephang"} <= {
        c["command"] for c in double.commands
    }


def test_group_quiz_and_leaderboard(double: BotApiDouble, settings) -> None:
    app = build_application(settings)
    group = -1001

    async def main() -> None:
        async with running(app):
            double.send_group_command(5, group, "quiz")
            [message] = await double.await_for(lambda: _polls(double, group))
            poll = message["poll"]
            [correct] = poll["correct_option_ids"]
            double.send_poll_answer(5, poll["id"], [(correct + 1) % 4])
            double.send_poll_answer(6, poll["id"], [correct])
            db = app.bot_data["db"]
            await double.await_for(lambda: len(store.leaderboard(db, group)) == 2)
            before = len(double.sent(group))
            double.send_group_command(5, group, "bangxephang")
            [board] = await double.await_for(double.messages_after(group, before))
            lines = board["text"].splitlines()
            assert "Bảng xếp hạng" in lines[0]
            assert "1/1" in lines[1] and "0/1" in lines[2]  # the right answer ranks first

    asyncio.run(main())
    assert double.rejected == []


def test_daily_subscription_fires_and_survives_a_restart(double: BotApiDouble, settings) -> None:
    clock = FakeClock(datetime(2025, 3, 1, 0, 0, tzinfo=UTC))

    async def subscribe() -> None:
        app = build_application(settings)
        app.bot_data["clock"] = clock
        async with running(app):
            double.send_text(42, "/dangky 7:30")
            [reply] = await double.await_for(double.messages_after(42, 0))
            assert "07:30" in reply["text"]
            [job] = app.job_queue.get_jobs_by_name("quiz-daily:42")
            # Due at 07:30 in Hà Nội, i.e. 00:30 UTC.
            assert job.next_t.astimezone(UTC).time() == time(0, 30)

    asyncio.run(subscribe())

    async def after_restart() -> None:
        app = build_application(settings)  # a new process: schedules come from SQLite
        app.bot_data["clock"] = clock
        async with running(app):
            [job] = app.job_queue.get_jobs_by_name("quiz-daily:42")
            clock.now += timedelta(minutes=30)
            await job.run(app)  # what the job queue does at 07:30
            [message] = await double.await_for(lambda: _polls(double, 42))
            assert message["poll"]["type"] == "quiz"
            before = len(double.sent(42))
            double.send_text(42, "/huydangky")
            await double.await_for(double.messages_after(42, before))
            assert app.job_queue.get_jobs_by_name("quiz-daily:42") == () or all(
                j.removed for j in app.job_queue.get_jobs_by_name("quiz-daily:42")
            )

    asyncio.run(after_restart())
    db = connect(settings.database)
    assert store.subscriptions(db) == []
    assert double.rejected == []


def test_daily_sends_are_staggered_within_limits() -> None:
    subs = [store.Subscription(chat_id=i, user_id=i, time="07:30") for i in range(1, 46)]
    subs.append(store.Subscription(chat_id=999, user_id=1, time="08:00"))
    times = quiz_handlers.daily_send_times(subs, "Asia/Ho_Chi_Minh")
    per_second: dict[time, int] = {}
    for t in times.values():
        per_second[t] = per_second.get(t, 0) + 1
    assert max(per_second.values()) <= 30
    assert times[1].second == 0 and times[45].second == 2 and times[999].second == 0


def test_ontap_brings_back_a_missed_question_when_due(double: BotApiDouble, settings) -> None:
    clock = FakeClock(datetime(2025, 3, 1, 0, 0, tzinfo=UTC))
    app = build_application(settings)
    app.bot_data["clock"] = clock

    async def main() -> None:
        async with running(app):
            double.send_text(42, "/quiz")
            [first] = await double.await_for(lambda: _polls(double, 42))
            poll = first["poll"]
            [correct] = poll["correct_option_ids"]
            double.send_poll_answer(42, poll["id"], [(correct + 1) % 4])  # wrong → Again
            db = app.bot_data["db"]
            await double.await_for(lambda: store.member_stats(db, 42, clock.now).answered)
            before = len(double.sent(42))
            double.send_text(42, "/ontap")  # nothing due yet: a new question, said so
            await double.await_for(lambda: len(_polls(double, 42)) == 2)
            assert "chưa có câu nào đến hạn" in double.sent(42)[before]["text"]
            clock.now += timedelta(hours=1)  # FSRS brings a missed item back within minutes
            double.send_text(42, "/ontap")
            polls = await double.await_for(
                lambda: (lambda p: p if len(p) == 3 else None)(_polls(double, 42))
            )
            assert polls[2]["poll"]["question"] == poll["question"]

    asyncio.run(main())
    assert double.rejected == []
