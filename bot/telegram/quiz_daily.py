"""The daily quiz: /dangky, /huydangky, the job that sends a greeting and one question.

Split from quiz_handlers.py; services come from context.bot_data as there.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import Application, ContextTypes

from bot.quiz import store
from bot.quiz.items import QuizItem
from bot.telegram import messages as say
from bot.telegram import quiz_handlers as quiz

log = logging.getLogger(__name__)

JOB_PREFIX = "quiz-daily:"
# Daily sends start this many per second: under Telegram's 30/s with room for live replies.
SENDS_PER_SECOND = 20
_HHMM = re.compile(
    r"^\s*([01]?\d|2[0-3])\s*(?:(?:[:hg.]|giờ|gio)\s*([0-5]?\d)?\s*(?:phút|phut|p)?)?\s*$",
    re.IGNORECASE,
)


def parse_hhmm(text: str) -> str | None:
    """'7:30', '07h30', '7 giờ 30', '19.05', '7 giờ' → 'HH:MM'; None when not a time of day."""
    m = _HHMM.match(text)
    return f"{int(m.group(1)):02d}:{int(m.group(2) or 0):02d}" if m else None


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/dangky [giờ]: a daily quiz in this chat at the chosen local time."""
    settings = context.bot_data.get("settings")
    default = settings.quiz.default_daily_time if settings else "07:30"
    hhmm = parse_hhmm(" ".join(context.args or []) or default)
    if hhmm is None:
        await update.effective_message.reply_text(say.QUIZ_TIME_BAD)
        return
    chat_id = update.effective_chat.id
    store.subscribe(
        quiz._db(context), chat_id, update.effective_user.id, hhmm, quiz._now(context.bot_data)
    )
    schedule_all(context.application)
    await update.effective_message.reply_text(say.QUIZ_SUBSCRIBED.format(time=hhmm))


async def unsubscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huydangky: stop the daily quiz in this chat."""
    chat_id = update.effective_chat.id
    removed = store.unsubscribe(quiz._db(context), chat_id)
    _remove_job(context.application, chat_id)
    await update.effective_message.reply_text(
        say.QUIZ_UNSUBSCRIBED if removed else say.QUIZ_NOT_SUBSCRIBED
    )


def daily_greeting(item: QuizItem, local: datetime) -> str:
    """The line before the daily question: a greeting for the hour and what it is about."""
    greeting = next((g for hour, g in say.QUIZ_GREETINGS if local.hour < hour), None)
    about = item.code or "các văn bản của Đảng"
    return say.QUIZ_DAILY_GREETING.format(
        greeting=greeting or say.QUIZ_GREETING_EVENING, about=about
    )


async def daily_quiz(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: a greeting and one quiz (due reviews first) to a subscribed chat."""
    job = context.job
    chat_id = job.chat_id
    user_id = (job.data or {}).get("user_id", chat_id)
    learner = user_id if chat_id > 0 else chat_id
    items = await quiz.get_items(context.bot_data)
    now = quiz._now(context.bot_data)
    item = quiz._service(context.bot_data).pick_next(learner, items, now)
    if item is None:
        return
    local = now.astimezone(ZoneInfo(quiz._timezone(context.bot_data)))
    try:
        await context.bot.send_message(chat_id, daily_greeting(item, local))
        await quiz.send_quiz(context.bot, context.bot_data, chat_id, item)
    except Forbidden:
        # The member blocked the bot or left the group: stop sending.
        log.info("quiz: chat %s unreachable, cancelling its daily quiz", chat_id)
        store.unsubscribe(quiz._db(context), chat_id)
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
    times = daily_send_times(subs, quiz._timezone(application.bot_data))
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
