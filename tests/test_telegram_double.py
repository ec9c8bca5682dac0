"""The Bot API double behaves like Telegram for the real python-telegram-bot client."""

from __future__ import annotations

import asyncio

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, RetryAfter
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters

from bot.devtools.botapi_double import TOKEN, ApiError, BotApiDouble, parse_telegram_html, running


@pytest.fixture
def double():
    with BotApiDouble() as server:
        yield server


def _app(double: BotApiDouble, rate_limiter: bool = False) -> Application:
    builder = (
        Application.builder()
        .token(TOKEN)
        .base_url(double.base_url)
        .base_file_url(double.base_file_url)
    )
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    return builder.build()


def test_echo_roundtrip_and_recording(double: BotApiDouble) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Echo the text back with a button."""
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Nút", callback_data="x:1")]])
        await update.message.reply_text(update.message.text, reply_markup=markup)

    async def main() -> None:
        app = _app(double)
        app.add_handler(MessageHandler(filters.TEXT, echo))
        async with running(app):
            double.send_text(42, "xin chào 🇻🇳")
            sent = await double.await_for(double.messages_after(42, 0))
        assert sent[0]["text"] == "xin chào 🇻🇳"
        assert sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x:1"
        assert double.calls_of("getMe")

    asyncio.run(main())


def test_rejects_what_telegram_rejects(double: BotApiDouble) -> None:
    double.flood_limits = False  # a dozen bad messages to one chat at once

    async def main() -> None:
        app = _app(double)
        await app.initialize()
        bot = app.bot
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(1, "a" * 4097)
        # Entities count as their decoded character, tags count as nothing.
        await bot.send_message(1, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
        # One emoji is two UTF-16 units.
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(1, "😀" * 2049)
        for bad in ["<script>x</script>", "a & b", "a < b", "<b>open", "<b><i>x</b></i>"]:
            with pytest.raises(BadRequest, match="(?i)can't parse entities"):
                await bot.send_message(1, bad, parse_mode="HTML")
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(1, "ok", reply_markup=markup)
        with pytest.raises(BadRequest):
            await bot.send_poll(1, "q" * 301, ["a", "b"])
        with pytest.raises(BadRequest):
            await bot.send_poll(1, "q", ["a"])
        with pytest.raises(BadRequest):
            await bot.send_poll(1, "q", ["a" * 101, "b"])
        with pytest.raises(BadRequest):
            await bot.send_poll(
                1, "q", ["a", "b"], type="quiz", correct_option_ids=[0], explanation="e" * 201
            )
        await app.shutdown()
        assert len(double.rejected) == 12

    asyncio.run(main())


def test_html_parser_accepts_telegram_html() -> None:
    text = '<b>a</b> <i>b</i> <a href="https://x.vn/?a=1&amp;b=2">c</a> <code>&lt;d&gt;</code> &#128512;'
    assert parse_telegram_html(text) == "a b c <d> 😀"
    with pytest.raises(ApiError):
        parse_telegram_html("&nbsp;")


def test_429_is_retried_by_rate_limiter(double: BotApiDouble) -> None:
    async def main() -> None:
        app = _app(double, rate_limiter=True)
        await app.initialize()
        double.inject_error("sendMessage", 429, retry_after=1)
        await app.bot.send_message(5, "sau khi chờ")
        await app.shutdown()

    asyncio.run(main())
    statuses = [c.status for c in double.calls_of("sendMessage", ok=None)]
    assert statuses == [429, 200]


def test_file_download_poll_and_answer(double: BotApiDouble) -> None:
    async def main() -> None:
        app = _app(double)
        await app.initialize()
        update = double.send_document(7, "a.txt", b"noi dung")
        file = await app.bot.get_file(update["message"]["document"]["file_id"])
        assert bytes(await file.download_as_bytearray()) == b"noi dung"
        big = double.send_document(7, "big.pdf", b"%PDF", file_size=21 * 1024 * 1024)
        with pytest.raises(BadRequest, match="too big"):
            await app.bot.get_file(big["message"]["document"]["file_id"])
        message = await app.bot.send_poll(
            -100,
            "Câu hỏi?",
            ["A", "B", "C", "D"],
            type="quiz",
            correct_option_ids=[2],
            is_anonymous=False,
            explanation="Nguồn: 57-NQ/TW",
        )
        assert message.poll.id in double.polls
        stopped = await app.bot.stop_poll(-100, message.message_id)
        assert stopped.is_closed
        await app.shutdown()

    asyncio.run(main())


def test_poll_answer_reaches_handler(double: BotApiDouble) -> None:
    from telegram.ext import PollAnswerHandler

    seen: list[tuple[str, int, tuple[int, ...]]] = []

    async def on_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Record the answer."""
        answer = update.poll_answer
        seen.append((answer.poll_id, answer.user.id, tuple(answer.option_ids)))

    async def main() -> None:
        app = _app(double)
        app.add_handler(PollAnswerHandler(on_answer))
        async with running(app):
            message = await app.bot.send_poll(
                -5, "Q?", ["A", "B"], type="quiz", correct_option_ids=[1], is_anonymous=False
            )
            double.send_poll_answer(77, message.poll.id, [1])
            await double.await_for(lambda: seen)
        assert seen == [(message.poll.id, 77, (1,))]

    asyncio.run(main())


def test_flood_limits_refuse_a_burst_but_not_typing_and_the_bots_limiter_keeps_to_them(
    double: BotApiDouble,
) -> None:
    from bot.telegram.delivery import FloodLimits

    async def main() -> None:
        app = _app(double)
        await app.initialize()
        for _ in range(10):
            await app.bot.send_chat_action(8, "typing")  # not a message: never refused
        for i in range(3):
            await app.bot.send_message(8, f"tin {i}")
        with pytest.raises(RetryAfter):
            await app.bot.send_message(8, "một tin quá nhiều")
        await app.shutdown()
        assert len(double.flood_refused) == 1

        limited = (
            Application.builder()
            .token(TOKEN)
            .base_url(double.base_url)
            .rate_limiter(FloodLimits())
            .build()
        )
        await limited.initialize()
        await asyncio.gather(*(limited.bot.send_message(9, f"tin {i}") for i in range(5)))
        await asyncio.gather(*(limited.bot.send_chat_action(9, "typing") for _ in range(20)))
        await limited.shutdown()

    asyncio.run(main())
    assert len(double.flood_refused) == 1  # the limiter waited instead of being refused
    assert len(double.sent(9)) == 5
