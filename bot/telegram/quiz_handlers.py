"""Quiz commands in Telegram (/quiz, /ontap, /dangky, /huydangky, /ketqua, /bangxephang).

Services come from context.bot_data: "settings" (Settings), "db" (sqlite3 connection from
bot.storage.connect), "kb" (KnowledgeBase, optional) and, for tests, "clock" (() -> datetime).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import Forbidden
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    PollAnswerHandler,
)

from bot.quiz import scheduler, store
from bot.quiz.generate import MAX_EXPLANATION, QuizItem
from bot.quiz.pool import quiz_items

log = logging.getLogger(__name__)

QUIZ_COMMANDS: list[BotCommand] = [
    BotCommand("quiz", "Câu hỏi trắc nghiệm (có thể thêm chủ đề hoặc mã văn bản)"),
    BotCommand("ontap", "Ôn lại các câu đã đến hạn"),
    BotCommand("dangky", "Nhận câu hỏi hằng ngày, ví dụ /dangky 07:30"),
    BotCommand("huydangky", "Thôi nhận câu hỏi hằng ngày"),
    BotCommand("ketqua", "Kết quả ôn tập của bạn"),
    BotCommand("bangxephang", "Bảng xếp hạng của nhóm"),
]

SOURCE_PREFIX = "qsrc:"
JOB_PREFIX = "quiz-daily:"
# Daily sends start this many per second: under Telegram's 30/s with room for live replies.
SENDS_PER_SECOND = 20
_HHMM = re.compile(r"^\s*([01]?\d|2[0-3])[:hg.]([0-5]\d)\s*$")


# ---------------------------------------------------------------- services


def _db(context: ContextTypes.DEFAULT_TYPE) -> sqlite3.Connection:
    return context.bot_data["db"]


def _now(bot_data: dict[str, Any]) -> datetime:
    clock: Callable[[], datetime] | None = bot_data.get("clock")
    return clock() if clock else datetime.now(UTC)


def _timezone(bot_data: dict[str, Any]) -> str:
    settings = bot_data.get("settings")
    return settings.quiz.timezone if settings else store.DEFAULT_TZ


def _items_key(kb: Any) -> Any:
    if kb is None or not getattr(kb, "ready", False):
        return None
    stats = kb.stats()
    return (stats.get("built_at"), stats.get("chunks"))


async def get_items(bot_data: dict[str, Any]) -> list[QuizItem]:
    """The quiz items, rebuilt (off the event loop) when the index changes, stored in SQLite."""
    kb = bot_data.get("kb")
    key = _items_key(kb)
    cached = bot_data.get("quiz_items")
    if cached is not None and cached[0] == key:
        return cached[1]
    lock = bot_data.setdefault("quiz_items_lock", asyncio.Lock())
    async with lock:
        cached = bot_data.get("quiz_items")
        if cached is not None and cached[0] == key:
            return cached[1]
        items, problems = await asyncio.to_thread(quiz_items, bot_data["settings"], kb)
        for problem in problems:
            log.warning("quiz bank: %s", problem)
        # Generation runs in a thread; the shared connection is only written from the loop.
        store.save_items(bot_data["db"], items, _now(bot_data))
        bot_data["quiz_items"] = (key, items)
        return items


def _learner_id(update: Update) -> int:
    """Whose review cards drive the choice: the member in private, the group in a group."""
    chat = update.effective_chat
    if chat and chat.type != ChatType.PRIVATE:
        return chat.id
    return update.effective_user.id if update.effective_user else chat.id


async def send_quiz(bot: Any, bot_data: dict[str, Any], chat_id: int, item: QuizItem) -> None:
    """Send the item as a native quiz poll with a 'Xem nguồn' button; remember the poll."""
    explanation = item.explanation
    if len(explanation) > MAX_EXPLANATION:
        explanation = explanation[: MAX_EXPLANATION - 1] + "…"
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Xem nguồn", callback_data=f"{SOURCE_PREFIX}{item.id[:16]}")]]
    )
    message = await bot.send_poll(
        chat_id,
        question=item.question,
        options=list(item.options),
        type="quiz",
        is_anonymous=False,
        correct_option_ids=[item.correct],
        explanation=explanation,
        reply_markup=markup,
    )
    store.record_poll(
        bot_data["db"], message.poll.id, item.id, chat_id, message.message_id, _now(bot_data)
    )


# ---------------------------------------------------------------- commands

MAX_TOPIC = 60


async def quiz_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/quiz [chủ đề | mã văn bản]: a quiz poll, due reviews first."""
    topic = " ".join(context.args or [])
    if len(topic) > MAX_TOPIC:  # a topic is a few words or a document number, not a paragraph
        topic = topic[:MAX_TOPIC].rsplit(" ", 1)[0]
    await _serve(update, context, topic=topic or None, review=False)


async def review_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ontap: the next due item (or a new one when nothing is due)."""
    await _serve(update, context, topic=None, review=True)


async def _serve(
    update: Update, context: ContextTypes.DEFAULT_TYPE, topic: str | None, review: bool
) -> None:
    message = update.effective_message
    items = await get_items(context.bot_data)
    if not items:
        await message.reply_text(
            "Chưa có câu hỏi nào: kho văn bản đang được chuẩn bị. Vui lòng thử lại sau."
        )
        return
    now = _now(context.bot_data)
    learner = _learner_id(update)
    item = scheduler.pick_next(_db(context), learner, items, now, topic=topic, due_only=review)
    if item is None and review:
        await message.reply_text("Bạn chưa có câu nào đến hạn ôn. Đây là một câu mới:")
        item = scheduler.pick_next(_db(context), learner, items, now)
    if item is None:
        await message.reply_text(
            f"Không có câu hỏi nào về “{topic or ''}”. "  # plain text: shown as typed
            "Hãy thử chủ đề khác hoặc một mã văn bản, ví dụ /quiz 57-NQ/TW."
        )
        return
    await send_quiz(context.bot, context.bot_data, update.effective_chat.id, item)


async def poll_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record a member's answer to one of our quiz polls and update their review card."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return  # anonymous votes (voter_chat) cannot be scored
    db = _db(context)
    now = _now(context.bot_data)
    recorded = store.record_answer(db, answer.poll_id, answer.user.id, list(answer.option_ids), now)
    if recorded is None:
        return  # a poll we did not send, or a repeat
    store.set_member_name(db, answer.user.id, answer.user.full_name)
    scheduler.record_review(db, answer.user.id, recorded.item.id, recorded.correct, now)


async def show_source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'Xem nguồn': the passage the question comes from, with its citation."""
    query = update.callback_query
    item = store.get_item(_db(context), query.data.removeprefix(SOURCE_PREFIX))
    if item is None:
        await query.answer("Không còn tìm thấy câu hỏi này.", show_alert=True)
        return
    await query.answer()
    await query.message.reply_text(
        source_html(item, context.bot_data.get("kb")), parse_mode=ParseMode.HTML
    )


def source_html(item: QuizItem, kb: Any = None) -> str:
    """The source passage in Telegram HTML: citation, then the text with the sentence in bold."""
    chunk = kb.passage(item.chunk_id) if kb is not None and item.chunk_id else None
    cite = [item.code or item.doc_id or ""]
    if chunk is not None and chunk.heading:
        cite.append(chunk.heading)
    head = "📄 <b>" + html.escape(" › ".join(c for c in cite if c) or "Nguồn") + "</b>"
    if chunk is None:
        body = html.escape(item.source_text) or html.escape(item.explanation)
        return f"{head}\n\n{body}"[:4000]
    text = chunk.text
    if len(text) > 3500:
        text = text[:3500].rsplit(" ", 1)[0] + "…"
    body = html.escape(text)
    sentence = html.escape(item.source_text)
    if sentence and sentence in body:
        body = body.replace(sentence, f"<b>{sentence}</b>", 1)
    return f"{head}\n\n{body}"


async def results_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ketqua: answered, correct, accuracy, streak, items due."""
    user = update.effective_user
    stats = store.member_stats(
        _db(context), user.id, _now(context.bot_data), _timezone(context.bot_data)
    )
    await update.effective_message.reply_text(format_stats(stats))


def format_stats(stats: store.MemberStats) -> str:
    """The /ketqua message."""
    if stats.answered == 0:
        return "Bạn chưa trả lời câu hỏi nào. Gõ /quiz để bắt đầu!"
    return (
        "📊 Kết quả ôn tập của bạn\n"
        f"• Đã trả lời: {stats.answered} câu\n"
        f"• Trả lời đúng: {stats.correct} câu ({round(stats.accuracy * 100)}%)\n"
        f"• Chuỗi ngày học liên tiếp: {stats.streak} ngày\n"
        f"• Câu đến hạn ôn tập: {stats.due} (gõ /ontap)"
    )


async def leaderboard_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bangxephang: the group's leaderboard."""
    chat = update.effective_chat
    if chat.type == ChatType.PRIVATE:
        await update.effective_message.reply_text("Lệnh này dùng trong nhóm. Trong nhóm, gõ /quiz.")
        return
    rows = store.leaderboard(_db(context), chat.id)
    await update.effective_message.reply_text(format_leaderboard(rows), parse_mode=ParseMode.HTML)


def format_leaderboard(rows: list[store.LeaderRow]) -> str:
    """The leaderboard in Telegram HTML, names escaped."""
    if not rows:
        return "Nhóm chưa có ai trả lời câu hỏi nào. Gõ /quiz để bắt đầu!"
    medals = ["🥇", "🥈", "🥉"]
    lines = ["🏆 <b>Bảng xếp hạng</b>"]
    for i, row in enumerate(rows):
        mark = medals[i] if i < len(medals) else f"{i + 1}."
        lines.append(f"{mark} {html.escape(row.name)}: {row.correct}/{row.answered} câu đúng")
    return "\n".join(lines)


# ---------------------------------------------------------------- daily quiz


def parse_hhmm(text: str) -> str | None:
    """'7:30', '07h30', '19.05' → 'HH:MM'; None when it is not a time of day."""
    m = _HHMM.match(text)
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/dangky [HH:MM]: a daily quiz in this chat at the chosen local time."""
    settings = context.bot_data.get("settings")
    default = settings.quiz.default_daily_time if settings else "07:30"
    raw = " ".join(context.args or []) or default
    hhmm = parse_hhmm(raw)
    if hhmm is None:
        await update.effective_message.reply_text(
            "Giờ chưa đúng dạng. Ví dụ: /dangky 07:30 (giờ Việt Nam)."
        )
        return
    chat_id = update.effective_chat.id
    store.subscribe(_db(context), chat_id, update.effective_user.id, hhmm, _now(context.bot_data))
    schedule_all(context.application)
    await update.effective_message.reply_text(
        f"Đã đăng ký: mỗi ngày lúc {hhmm} (giờ Việt Nam) bạn sẽ nhận một câu hỏi. "
        "Gõ /huydangky để thôi nhận."
    )


async def unsubscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huydangky: stop the daily quiz in this chat."""
    chat_id = update.effective_chat.id
    removed = store.unsubscribe(_db(context), chat_id)
    _remove_job(context.application, chat_id)
    await update.effective_message.reply_text(
        "Đã hủy câu hỏi hằng ngày." if removed else "Bạn chưa đăng ký câu hỏi hằng ngày."
    )


async def daily_quiz(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: send one quiz (due reviews first) to a subscribed chat."""
    job = context.job
    chat_id = job.chat_id
    user_id = (job.data or {}).get("user_id", chat_id)
    learner = user_id if chat_id > 0 else chat_id
    items = await get_items(context.bot_data)
    item = scheduler.pick_next(_db(context), learner, items, _now(context.bot_data))
    if item is None:
        return
    try:
        await send_quiz(context.bot, context.bot_data, chat_id, item)
    except Forbidden:
        # The member blocked the bot or left the group: stop sending.
        log.info("quiz: chat %s unreachable, cancelling its daily quiz", chat_id)
        store.unsubscribe(_db(context), chat_id)
        job.schedule_removal()


def _remove_job(application: Application, chat_id: int) -> None:
    if application.job_queue is None:
        return
    for job in application.job_queue.get_jobs_by_name(f"{JOB_PREFIX}{chat_id}"):
        job.schedule_removal()


def daily_send_times(subs: list[store.Subscription], tz: str) -> dict[int, time]:
    """Each chat's send time: its HH:MM, staggered by a second per SENDS_PER_SECOND chats."""
    zone = ZoneInfo(tz)
    position: dict[str, int] = {}
    out: dict[int, time] = {}
    for sub in sorted(subs, key=lambda s: (s.time, s.chat_id)):
        n = position.get(sub.time, 0)
        position[sub.time] = n + 1
        hour, minute = (int(x) for x in sub.time.split(":"))
        moment = datetime(2000, 1, 1, hour, minute) + timedelta(seconds=n // SENDS_PER_SECOND)
        out[sub.chat_id] = moment.time().replace(tzinfo=zone)
    return out


def schedule_all(application: Application) -> int:
    """(Re)create every daily job from SQLite; returns how many are scheduled."""
    job_queue = application.job_queue
    db = application.bot_data.get("db")
    if job_queue is None or db is None:
        log.warning("quiz: no job queue or database, daily quizzes are not scheduled")
        return 0
    subs = store.subscriptions(db)
    times = daily_send_times(subs, _timezone(application.bot_data))
    for job in job_queue.jobs():
        if job.name and job.name.startswith(JOB_PREFIX):
            job.schedule_removal()
    for sub in subs:
        job_queue.run_daily(
            daily_quiz,
            time=times[sub.chat_id],
            chat_id=sub.chat_id,
            name=f"{JOB_PREFIX}{sub.chat_id}",
            data={"user_id": sub.user_id},
        )
    return len(subs)


# ---------------------------------------------------------------- wiring


def register(application: Application) -> None:
    """Add the quiz handlers and restore daily schedules (now, or in post_init)."""
    application.add_handler(CommandHandler("quiz", quiz_command))
    application.add_handler(CommandHandler("ontap", review_command))
    application.add_handler(CommandHandler("dangky", subscribe_command))
    application.add_handler(CommandHandler("huydangky", unsubscribe_command))
    application.add_handler(CommandHandler("ketqua", results_command))
    application.add_handler(CommandHandler("bangxephang", leaderboard_command))
    application.add_handler(CallbackQueryHandler(show_source, pattern=f"^{SOURCE_PREFIX}"))
    application.add_handler(PollAnswerHandler(poll_answer))
    if application.bot_data.get("db") is not None:
        schedule_all(application)
        return
    previous = application.post_init

    async def post_init(app: Application) -> None:
        if previous is not None:
            await previous(app)
        schedule_all(app)

    application.post_init = post_init
