"""Quiz commands in Telegram (/quiz, /ontap, /dangky, /huydangky, /ketqua, /bangxephang).

/quiz runs a series of ten polls, the next sent as soon as the member answers (in a group:
when the member who started answers, or anyone taps "➡️ Câu tiếp theo"), then the score or
the group's ranking. Services come from context.bot_data: "settings", "db" (sqlite3 from
bot.storage.connect), "kb" (optional) and, for tests, "clock" (() -> datetime).
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    PollAnswerHandler,
)

from bot.quiz import store
from bot.quiz.items import MAX_EXPLANATION, QuizItem
from bot.quiz.pool import quiz_items
from bot.quiz.series import SERIES_LENGTH, Series, ranked
from bot.quiz.service import QuizService
from bot.telegram import messages as say

log = logging.getLogger(__name__)

QUIZ_COMMANDS: list[BotCommand] = say.QUIZ_COMMANDS
SOURCE_PREFIX = "qsrc:"
NEXT_PREFIX = "qnext:"
MAX_TOPIC = 60  # a topic is a few words or a document number, never a paragraph


# ---------------------------------------------------------------- services


def _db(context: ContextTypes.DEFAULT_TYPE) -> Any:
    return context.bot_data["db"]


def _now(bot_data: dict[str, Any]) -> datetime:
    clock: Callable[[], datetime] | None = bot_data.get("clock")
    return clock() if clock else datetime.now(UTC)


def _timezone(bot_data: dict[str, Any]) -> str:
    settings = bot_data.get("settings")
    return settings.quiz.timezone if settings else store.DEFAULT_TZ


def _service(bot_data: dict[str, Any]) -> QuizService:
    return QuizService(bot_data["db"])


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


def _series_by_chat(bot_data: dict[str, Any]) -> dict[int, Series]:
    return bot_data.setdefault("quiz_series", {})


def _series_by_poll(bot_data: dict[str, Any]) -> dict[str, Series]:
    return bot_data.setdefault("quiz_series_polls", {})


async def send_quiz(
    bot: Any, bot_data: dict[str, Any], chat_id: int, item: QuizItem, series: bool = False
) -> str:
    """Send the item as a native quiz poll with its buttons; remember the poll; its id."""
    explanation = item.explanation
    if len(explanation) > MAX_EXPLANATION:
        explanation = explanation[: MAX_EXPLANATION - 1] + "…"
    buttons = [InlineKeyboardButton(say.QUIZ_BUTTON_SOURCE, callback_data=SOURCE_PREFIX + item.id)]
    if series:
        buttons.append(InlineKeyboardButton(say.QUIZ_BUTTON_NEXT, callback_data=NEXT_PREFIX))
    message = await bot.send_poll(
        chat_id,
        question=item.question,
        options=list(item.options),
        type="quiz",
        is_anonymous=False,
        correct_option_ids=[item.correct],
        explanation=explanation,
        reply_markup=InlineKeyboardMarkup([buttons]),
    )
    store.record_poll(
        bot_data["db"], message.poll.id, item.id, chat_id, message.message_id, _now(bot_data)
    )
    return message.poll.id


# ---------------------------------------------------------------- series


def parse_topic(args: list[str] | None) -> str | None:
    """The /quiz argument: a document number or a few words, capped."""
    topic = " ".join(args or []).strip()
    return topic[:MAX_TOPIC].rsplit(" ", 1)[0] if len(topic) > MAX_TOPIC else topic or None


async def quiz_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/quiz [số hiệu | chủ đề]: a series of ten polls, due reviews first."""
    await _start(update, context, parse_topic(context.args), review=False)


async def review_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ontap: a series of the items due for review (new ones when nothing is due)."""
    await _start(update, context, None, review=True)


async def _start(
    update: Update, context: ContextTypes.DEFAULT_TYPE, topic: str | None, review: bool
) -> None:
    message, chat = update.effective_message, update.effective_chat
    items = await get_items(context.bot_data)
    if not items:
        await message.reply_text(say.QUIZ_NO_ITEMS)
        return
    learner, now = _learner_id(update), _now(context.bot_data)
    service = _service(context.bot_data)
    chosen = service.pick_series(learner, items, now, SERIES_LENGTH, topic, due_only=review)
    if review and chosen:
        await message.reply_text(say.QUIZ_REVIEW_START.format(count=len(chosen)))
    elif review:
        await message.reply_text(say.QUIZ_NOTHING_DUE)
        chosen = service.pick_series(learner, items, now, SERIES_LENGTH)
    if not chosen:
        # Plain text: the topic is shown as typed (it was capped at MAX_TOPIC characters).
        await message.reply_text(say.QUIZ_NO_TOPIC.format(topic=topic or ""))
        return
    group = chat.type != ChatType.PRIVATE
    series = Series(chat.id, update.effective_user.id, learner, chosen, group=group)
    about = say.QUIZ_ABOUT.format(topic=topic) if topic else ""
    if not review:
        intro = say.QUIZ_START_GROUP if group else say.QUIZ_START
        await message.reply_text(intro.format(count=len(chosen), about=about))
    _series_by_chat(context.bot_data)[chat.id] = series
    await _advance(context.bot, context.bot_data, series)


async def _advance(bot: Any, bot_data: dict[str, Any], series: Series) -> None:
    """Send the series' next poll, or its result when every poll has been sent."""
    item = series.next_item()
    if item is None:
        series.finished = True
        _series_by_chat(bot_data).pop(series.chat_id, None)
        await bot.send_message(series.chat_id, _result(bot_data, series), parse_mode=ParseMode.HTML)
        return
    poll_id = await send_quiz(bot, bot_data, series.chat_id, item, series=True)
    series.poll_ids.append(poll_id)
    _series_by_poll(bot_data)[poll_id] = series


def _result(bot_data: dict[str, Any], series: Series) -> str:
    """The end of a series: the member's score and what comes back, or the group's ranking."""
    answers = store.poll_answers(bot_data["db"], series.poll_ids)
    if series.group:
        return format_series_board(answers, len(series.items))
    mine = {poll: ok for poll, user, _name, ok in answers if user == series.starter}
    lines = [say.QUIZ_DONE.format(correct=sum(mine.values()), asked=len(series.items))]
    item_of = dict(zip(series.poll_ids, series.items, strict=False))
    missed = [item_of[poll] for poll, ok in mine.items() if not ok and poll in item_of]
    dues = [
        d for d in (store.card_due(bot_data["db"], series.starter, it.id) for it in missed) if d
    ]
    if dues:
        zone = ZoneInfo(_timezone(bot_data))
        lines.append(say.QUIZ_DONE_MISSED.format(due=min(dues).astimezone(zone).strftime("%H:%M")))
    elif len(mine) == len(series.items) and all(mine.values()):
        lines.append(say.QUIZ_DONE_PERFECT)
    lines.append(say.QUIZ_DONE_NEXT)
    return "\n".join(lines)


def format_series_board(answers: list[tuple[str, int, str, bool]], asked: int) -> str:
    """A group series' ranking in Telegram HTML: correct answers of each member who played."""
    totals: dict[int, list[Any]] = {}
    for _poll, user, name, ok in answers:
        row = totals.setdefault(user, [name, 0, 0])
        row[1] += int(ok)
        row[2] += 1
    lines = [say.QUIZ_DONE_GROUP.format(asked=asked), say.QUIZ_BOARD_SERIES_TITLE]
    rows = ranked((name, ok, n) for name, ok, n in totals.values())
    lines += [_board_line(r) for r in rows] or [say.QUIZ_BOARD_NOBODY]
    return "\n".join(lines)


def _board_line(row: Any) -> str:
    return say.QUIZ_BOARD_LINE.format(
        mark=row.mark, name=html.escape(row.name), correct=row.correct, answered=row.answered
    )


async def poll_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record a member's answer, update their review card, move their series on."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return  # anonymous votes (voter_chat) cannot be scored
    db, now = _db(context), _now(context.bot_data)
    recorded = store.record_answer(db, answer.poll_id, answer.user.id, list(answer.option_ids), now)
    if recorded is None:
        return  # a poll we did not send, or a repeat
    store.set_member_name(db, answer.user.id, answer.user.full_name)
    _service(context.bot_data).record_review(
        answer.user.id, recorded.item.id, recorded.correct, now
    )
    series = _series_by_poll(context.bot_data).get(answer.poll_id)
    if series and not series.finished and series.current_poll == answer.poll_id:
        if not series.group or answer.user.id == series.starter:
            await _advance(context.bot, context.bot_data, series)


async def next_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'➡️ Câu tiếp theo': the series' next poll (only from its current poll)."""
    query = update.callback_query
    poll = query.message.poll if query.message else None
    series = _series_by_poll(context.bot_data).get(poll.id) if poll else None
    if series is None or series.finished:
        await query.answer(say.QUIZ_SERIES_OVER, show_alert=True)
        return
    await query.answer()
    if series.current_poll == poll.id:
        await _advance(context.bot, context.bot_data, series)


async def show_source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'Xem nguồn': only after voting; in a group as a pop-up, so nobody else sees it."""
    query = update.callback_query
    item = store.get_item(_db(context), query.data.removeprefix(SOURCE_PREFIX))
    if item is None:
        await query.answer(say.QUIZ_GONE, show_alert=True)
        return
    poll = query.message.poll if query.message else None
    if poll is not None and not store.has_answered(_db(context), poll.id, query.from_user.id):
        await query.answer(say.QUIZ_SOURCE_FIRST, show_alert=True)
        return
    if query.message.chat.type != ChatType.PRIVATE:
        await query.answer(source_popup(item), show_alert=True)
        return
    await query.answer()
    await query.message.reply_text(
        source_html(item, context.bot_data.get("kb")), parse_mode=ParseMode.HTML
    )


def source_popup(item: QuizItem, limit: int = 200) -> str:
    """The source in a pop-up (at most 200 characters): citation and the quoted sentence."""
    text = f"📄 {item.code or ''}: “{item.source_text.strip()}”"
    return text if len(text) <= limit else text[: limit - 2].rsplit(" ", 1)[0] + "…”"


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


# ---------------------------------------------------------------- results


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
        return say.QUIZ_NO_RESULTS
    return say.QUIZ_RESULTS.format(
        answered=stats.answered,
        correct=stats.correct,
        percent=round(stats.accuracy * 100),
        streak=stats.streak,
        due=stats.due,
    )


async def leaderboard_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bangxephang: the group's leaderboard."""
    chat = update.effective_chat
    if chat.type == ChatType.PRIVATE:
        await update.effective_message.reply_text(say.QUIZ_BOARD_PRIVATE)
        return
    rows = store.leaderboard(_db(context), chat.id)
    await update.effective_message.reply_text(format_leaderboard(rows), parse_mode=ParseMode.HTML)


def format_leaderboard(rows: list[store.LeaderRow]) -> str:
    """The leaderboard in Telegram HTML, names escaped; no medal for zero, ties share a place."""
    if not rows:
        return say.QUIZ_BOARD_EMPTY
    lines = [say.QUIZ_BOARD_TITLE]
    lines += [_board_line(r) for r in ranked((r.name, r.correct, r.answered) for r in rows)]
    return "\n".join(lines)


# ---------------------------------------------------------------- wiring


def register(application: Application) -> None:
    """Add the quiz handlers and restore daily schedules (now, or in post_init)."""
    from bot.telegram.quiz_daily import schedule_all, subscribe_command, unsubscribe_command

    application.add_handler(CommandHandler("quiz", quiz_command))
    application.add_handler(CommandHandler("ontap", review_command))
    application.add_handler(CommandHandler("dangky", subscribe_command))
    application.add_handler(CommandHandler("huydangky", unsubscribe_command))
    application.add_handler(CommandHandler("ketqua", results_command))
    application.add_handler(CommandHandler("bangxephang", leaderboard_command))
    application.add_handler(CallbackQueryHandler(show_source, pattern=f"^{SOURCE_PREFIX}"))
    application.add_handler(CallbackQueryHandler(next_button, pattern=f"^{NEXT_PREFIX}"))
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
