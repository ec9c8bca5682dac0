"""The quiz over Telegram, end to end against the Bot API double with the real bot wiring."""

from __future__ import annotations

import asyncio
import html
import shutil
from datetime import UTC, datetime, time, timedelta

import pytest
from conftest import DEFAULT_LIBRARY, PARTY_CORPUS

from bot.devtools.botapi_double import TOKEN, BotApiDouble, running
from bot.quiz import store
from bot.storage import connect
from bot.telegram import quiz_daily, quiz_handlers
from bot.telegram.app import build_application

SEED = next(PARTY_CORPUS.glob("57-NQ-TW_*.md"))
BANK = DEFAULT_LIBRARY / "quiz" / "1_57-NQ-TW.yaml"


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


def _count(n: int):
    return lambda items: items if len(items) >= n else None


def _polls_at_least(double: BotApiDouble, chat_id: int, n: int):
    return lambda: (lambda p: p if len(p) >= n else None)(_polls(double, chat_id))


async def _recorded(double: BotApiDouble, app, poll: dict) -> None:
    """Wait until the bot has recorded the poll (it does so right after Telegram accepts it)."""
    db = app.bot_data["db"]
    await double.await_for(
        lambda: (
            db.execute("SELECT 1 FROM quiz_polls WHERE poll_id = ?", (poll["id"],)).fetchone()
            and poll["id"] in app.bot_data.get("quiz_series_polls", {poll["id"]: 1})
        )
    )


async def _answer(double: BotApiDouble, app, user: int, poll: dict, option: int) -> None:
    await _recorded(double, app, poll)
    double.send_poll_answer(user, poll["id"], [option])


def _alerts(double: BotApiDouble) -> list[str]:
    return [c.params.get("text") or "" for c in double.calls_of("answerCallbackQuery")]


def test_quiz_runs_a_series_of_ten_with_the_score_at_the_end(
    double: BotApiDouble, settings
) -> None:
    app = build_application(settings)
    db = app.bot_data["db"]

    async def main() -> None:
        async with running(app):
            double.send_text(42, "/quiz")
            [first] = await double.await_for(_polls_at_least(double, 42, 1))
            poll = first["poll"]
            assert poll["type"] == "quiz" and poll["is_anonymous"] is False
            assert len({o["text"] for o in poll["options"]}) == 4
            assert 0 < len(poll["explanation"]) <= 200
            assert "57-NQ/TW" in poll["explanation"]  # names the source
            [buttons] = first["reply_markup"]["inline_keyboard"]
            assert [b["text"] for b in buttons] == ["Xem nguồn", "➡️ Câu tiếp theo"]
            assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)

            # "Xem nguồn" before voting gives nothing away: a pop-up asks to answer first.
            double.press_button(42, first, text="Xem nguồn")
            await double.await_for(lambda: "trả lời trước" in " ".join(_alerts(double)))

            # Ten polls, one after another as the member answers: 7 right, 3 wrong.
            questions = []
            for n in range(10):
                polls = await double.await_for(_polls_at_least(double, 42, n + 1))
                current = polls[n]["poll"]
                questions.append(current["question"])
                [correct] = current["correct_option_ids"]
                await _answer(double, app, 42, current, correct if n % 3 else (correct + 1) % 4)
            assert len(set(questions)) == 10
            done = await double.await_for(
                lambda: [m for m in double.sent(42) if "Kết thúc lượt" in m.get("text", "")]
            )
            assert "6/10" in done[0]["text"]  # answers 0, 3, 6 and 9 were wrong
            assert "/ontap" in done[0]["text"]  # the missed ones come back
            assert len(_polls(double, 42)) == 10  # no eleventh poll

            # After voting, "Xem nguồn" shows the verbatim source of the item.
            before = len(double.sent(42))
            double.press_button(42, first, text="Xem nguồn")
            [source] = await double.await_for(double.messages_after(42, before))
            item = store.get_item(db, buttons[0]["callback_data"].removeprefix("qsrc:"))
            assert item is not None and item.source_text.strip() in html.unescape(source["text"])

            before = len(double.sent(42))
            double.send_text(42, "/ketqua")
            [reply] = await double.await_for(double.messages_after(42, before))
            assert "Đã trả lời: 10 câu" in reply["text"]
            assert "Trả lời đúng: 6 câu (60%)" in reply["text"]
            assert "Chuỗi ngày học liên tiếp: 1 ngày" in reply["text"]

    asyncio.run(main())
    assert double.rejected == []
    assert {"quiz", "ontap", "dangky", "ketqua", "bangxephang"} <= {
        c["command"] for c in double.commands
    }


def test_quiz_picks_a_document_or_says_there_is_none(double: BotApiDouble, settings) -> None:
    app = build_application(settings)

    async def main() -> None:
        async with running(app):
            double.send_text(42, "/quiz nq 57")
            [first] = await double.await_for(_polls_at_least(double, 42, 1))
            assert "57" in first["poll"]["question"] or "57" in first["poll"]["explanation"]
            before = len(double.sent(7))
            double.send_text(7, "/quiz kết luận 69")
            [reply] = await double.await_for(double.messages_after(7, before))
            assert "Không có câu hỏi nào về “kết luận 69”" in reply["text"]

    asyncio.run(main())
    assert double.rejected == []


def test_group_series_ends_with_its_ranking(double: BotApiDouble, settings) -> None:
    app = build_application(settings)
    group = -1001

    async def main() -> None:
        async with running(app):
            double.send_group_command(5, group, "quiz")
            [message] = await double.await_for(_polls_at_least(double, group, 1))
            poll = message["poll"]
            [correct] = poll["correct_option_ids"]
            await _answer(double, app, 6, poll, correct)  # not the starter: no next yet
            await _answer(double, app, 7, poll, correct)
            await _answer(double, app, 8, poll, (correct + 2) % 4)
            db = app.bot_data["db"]
            await double.await_for(lambda: len(store.leaderboard(db, group)) == 3)
            await _answer(double, app, 5, poll, (correct + 1) % 4)  # the starter: next
            for n in range(1, 10):
                polls = await double.await_for(_polls_at_least(double, group, n + 1))
                await _recorded(double, app, polls[n]["poll"])
                double.press_button(9, polls[n], text="Câu tiếp theo")
            board = await double.await_for(
                lambda: [m for m in double.sent(group) if "Kết quả lượt thi" in m.get("text", "")]
            )
            lines = board[0]["text"].splitlines()
            # Equal scores share first place; no medal for zero correct answers.
            assert lines[2].startswith("🥇") and lines[3].startswith("🥇")
            assert lines[4].startswith("3.") and lines[5].startswith("3.")
            assert all("0/1" in line for line in lines[4:6])
            before = len(double.sent(group))
            double.send_group_command(5, group, "bangxephang")
            [reply] = await double.await_for(double.messages_after(group, before))
            assert "Bảng xếp hạng" in reply["text"].splitlines()[0]

    asyncio.run(main())
    assert double.rejected == []


def test_source_in_a_group_is_a_short_pop_up() -> None:
    item = store.QuizItem(
        id="x",
        question="?",
        options=("a", "b", "c", "d"),
        correct=0,
        explanation="",
        code="57-NQ/TW",
        source_text="Nghị quyết này phổ biến đến chi bộ. " * 10,
    )
    popup = quiz_handlers.source_popup(item)
    assert popup.startswith("📄 57-NQ/TW: “Nghị quyết này") and len(popup) <= 200


def test_times_of_day_members_type() -> None:
    for text in ("7 giờ 30", "7h30", "07:30", "7:30", "7g30", "7 giờ 30 phút"):
        assert quiz_daily.parse_hhmm(text) == "07:30", text
    assert quiz_daily.parse_hhmm("19h") == "19:00"
    assert quiz_daily.parse_hhmm("25:00") is None and quiz_daily.parse_hhmm("sáng") is None


def test_daily_subscription_fires_and_survives_a_restart(double: BotApiDouble, settings) -> None:
    # Two processes one after the other within seconds: the second cannot know what the
    # first sent to the chat, so the double's per-chat flood limit would count both.
    double.flood_limits = False
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
            greeting = double.sent(42)[-2]["text"]
            assert greeting.startswith("☀️ Chào buổi sáng, đồng chí!") and "57-NQ/TW" in greeting
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
    times = quiz_daily.daily_send_times(subs, "Asia/Ho_Chi_Minh")
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
            await _answer(double, app, 42, poll, (correct + 1) % 4)  # wrong → Again
            await double.await_for(_polls_at_least(double, 42, 2))  # the series goes on
            before = len(double.sent(42))
            double.send_text(42, "/ontap")  # nothing due yet: new questions, and it says when
            await double.await_for(_polls_at_least(double, 42, 3))
            said = double.sent(42)[before]["text"]
            assert "chưa có câu nào đến hạn" in said and "sai sẽ quay lại sau ít phút" in said
            clock.now += timedelta(hours=1)  # FSRS brings a missed item back within minutes
            double.send_text(42, "/ontap")
            polls = await double.await_for(_polls_at_least(double, 42, 4))
            assert polls[3]["poll"]["question"] == poll["question"]
            assert any("Ôn lại 1 câu" in m.get("text", "") for m in double.sent(42))

    asyncio.run(main())
    assert double.rejected == []
