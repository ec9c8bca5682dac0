"""Faults on the way to Telegram, and input that is not a question: what members and admins see.

The real python-telegram-bot client against the Bot API double: a 5xx after Telegram has
delivered the answer, an answer slower than the read timeout, garbage button data, chatter,
blank messages and unknown commands. Each answer must arrive exactly once, with no apology
after it, and nothing a member did not mean may be stored.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable

import pytest
from conftest import PARTY_CORPUS
from telegram.ext import Application

from bot import storage
from bot.devtools.botapi_double import TOKEN, BotApiDouble, parse_telegram_html, running
from bot.knowledge_base import KnowledgeBase
from bot.telegram.app import build_application

ADMIN, MEMBER = 1001, 2002
NQ57 = "57-NQ-TW_2024-12-22_BoChinhTri_dot-pha-KHCN-DMST-CDS.md"
Q57 = "Nghị quyết số 57 đặt mục tiêu đến năm 2030 quy mô kinh tế số đạt tối thiểu bao nhiêu phần trăm GDP?"
APOLOGY = "Xin lỗi, đã có lỗi xảy ra"
EXPIRED = "Nút này đã hết hạn"


@pytest.fixture
def project(make_settings, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    with BotApiDouble() as double:
        settings = make_settings(
            telegram=double.telegram_config(admin_ids=[ADMIN], read_timeout=1.0)
        )
        shutil.copy(PARTY_CORPUS / NQ57, settings.knowledge_dir / NQ57)
        kb = KnowledgeBase(settings)
        kb.rebuild()
        yield double, settings, kb
        assert double.rejected == [], [(c.method, c.description) for c in double.rejected]


def drive(project, scenario: Callable[[BotApiDouble, Application], Awaitable[None]]) -> None:
    double, settings, kb = project

    async def main() -> None:
        application = build_application(settings, kb=kb)
        async with running(application):
            await scenario(double, application)

    asyncio.run(main())


def shown(messages: list[dict]) -> str:
    return "\n".join(parse_telegram_html(m["text"]) for m in messages if "text" in m)


async def answered(double: BotApiDouble, chat_id: int, before: int) -> list[dict]:
    """The bot's messages after `before` once one carries the 👍 button."""

    def done() -> list[dict]:
        new = double.sent(chat_id)[before:]
        return new if any("fb:" in str(m.get("reply_markup")) for m in new) else []

    return await double.await_for(done)


async def settle(double: BotApiDouble, seconds: float = 1.5) -> None:
    """Give the bot time to send anything else it was going to (a duplicate, an apology)."""
    await asyncio.sleep(seconds)


def test_a_5xx_after_delivery_is_not_sent_again_and_no_apology_follows(project) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        double.inject_error("sendMessage", 502, after_delivery=True)
        double.send_text(MEMBER, Q57)
        messages = await answered(double, MEMBER, 0)
        await settle(double)
        assert "30%" in shown(messages)
        assert len(double.sent(MEMBER)) == 1  # once: no copy, no apology
        assert double.sent(ADMIN) == []  # no alarm either

    drive(project, scenario)


def test_an_answer_slower_than_the_read_timeout_arrives_once_without_apology(project) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        double.inject_delay("sendMessage", 2.5)  # read_timeout is 1 s in this project
        double.send_text(MEMBER, Q57)
        messages = await answered(double, MEMBER, 0)
        await settle(double, 3.0)
        assert "30%" in shown(messages)
        assert len(double.sent(MEMBER)) == 1
        assert APOLOGY not in shown(double.sent(MEMBER))

    drive(project, scenario)


def test_a_5xx_before_delivery_is_logged_and_the_next_question_is_answered(project) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        double.inject_error("sendMessage", 500)
        double.send_text(MEMBER, Q57)
        await double.await_for(lambda: double.calls_of("sendMessage", ok=False))
        await settle(double)
        assert double.sent(MEMBER) == []  # not retried: Telegram might have sent it
        double.send_text(MEMBER, Q57)
        messages = await answered(double, MEMBER, 0)
        assert "30%" in shown(messages) and APOLOGY not in shown(messages)

    drive(project, scenario)


def test_garbage_button_data_is_answered_as_expired_and_never_stored(project) -> None:
    settings = project[1]

    async def scenario(double: BotApiDouble, app: Application) -> None:
        double.send_text(MEMBER, Q57)
        answer = (await answered(double, MEMBER, 0))[-1]
        garbage = [
            "more:1:abc",
            "more:12345678901234567890:5",
            "src:1:0:x",
            "src:99999999999999999999:0:0",
            "fb:1:",
            "fb:1:+-",
            "fb:12345678901234567890:+",
            "zzz:1",
            "",
        ]
        for data in garbage:
            before = len(double.calls_of("answerCallbackQuery"))
            double.send_callback(MEMBER, answer, data)
            calls = await double.await_for(
                lambda b=before: double.calls_of("answerCallbackQuery")[b:]
            )
            assert EXPIRED in calls[0].params.get("text", ""), (data, calls[0].params)
        await settle(double, 0.5)
        assert len(double.sent(MEMBER)) == 1  # no apology message
        assert double.sent(ADMIN) == []  # no "⚠️ Bot gặp lỗi"

    drive(project, scenario)
    db = storage.connect(settings.database)
    assert db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0


def test_malformed_confirmation_buttons_are_expired_for_an_admin(project) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        double.send_text(ADMIN, Q57)
        answer = (await answered(double, ADMIN, 0))[-1]
        for data in ("up:1", "up:", "del:zz:y", "del:0123abcd:maybe", "up:0123abcd:y"):
            before = len(double.calls_of("answerCallbackQuery"))
            double.send_callback(ADMIN, answer, data)
            calls = await double.await_for(
                lambda b=before: double.calls_of("answerCallbackQuery")[b:]
            )
            assert "hết hạn" in calls[0].params.get("text", ""), (data, calls[0].params)
        await settle(double, 0.5)
        assert len(double.sent(ADMIN)) == 1  # the answer only: no "⚠️ Bot gặp lỗi"

    drive(project, scenario)


def test_chatter_blank_messages_and_unknown_commands(project) -> None:
    settings = project[1]

    async def scenario(double: BotApiDouble, app: Application) -> None:
        for text in ("👍", "cảm ơn", "Chào bot", "..."):
            before = len(double.sent(MEMBER))
            double.send_text(MEMBER, text)
            reply = await double.await_for(double.messages_after(MEMBER, before))
            assert shown(reply) == "Chào đồng chí! Mời đồng chí gõ câu hỏi về văn bản."
            assert "reply_markup" not in reply[-1]
        before = len(double.sent(MEMBER))
        double.send_text(MEMBER, "   \n\t ")
        double.send_text(MEMBER, "/khongcolenhnay")
        reply = await double.await_for(double.messages_after(MEMBER, before))
        assert "/help" in shown(reply)
        await settle(double, 0.5)
        assert len(double.sent(MEMBER)) == before + 1  # the blank message got nothing

    drive(project, scenario)
    db = storage.connect(settings.database)
    assert db.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 0
    assert storage.recent_unanswered(db) == []


def test_an_upload_with_a_300_byte_name_is_stored_and_readme_names_are_refused(project) -> None:
    settings = project[1]
    data = (PARTY_CORPUS / NQ57).read_bytes().replace(b"57-NQ/TW", b"58-NQ/TW")

    async def scenario(double: BotApiDouble, app: Application) -> None:
        double.send_document(ADMIN, "ữ" * 200 + ".md", data, "text/markdown")
        await double.await_for(lambda: "Đảng viên đã có thể hỏi" in shown(double.sent(ADMIN)))
        before = len(double.sent(ADMIN))
        double.send_document(ADMIN, "README.md", data, "text/markdown")
        reply = await double.await_for(double.messages_after(ADMIN, before))
        assert "Không nhận tệp" in shown(reply) and "đổi tên tệp" in shown(reply)
        assert "Error" not in shown(double.sent(ADMIN)) and APOLOGY not in shown(double.sent(ADMIN))

    drive(project, scenario)
    names = sorted(p.name for p in settings.knowledge_dir.glob("*.md"))
    assert names[0] == NQ57 and names[1].startswith("ữữữ") and len(names) == 2
    assert len(names[1].encode("utf-8")) <= 150


def test_quiz_topics_are_shown_as_typed_and_kept_short(project) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        before = len(double.sent(MEMBER))
        double.send_text(MEMBER, "/quiz <b>x</b>")
        reply = await double.await_for(double.messages_after(MEMBER, before), timeout=30)
        assert "“<b>x</b>”" in reply[0]["text"]  # plain text, not "&lt;b&gt;"
        before = len(double.sent(MEMBER))
        double.send_text(MEMBER, "/quiz " + "chuyển đổi số " * 290)
        reply = await double.await_for(double.messages_after(MEMBER, before), timeout=30)
        assert all(len(m.get("text", "")) < 400 for m in reply)

    drive(project, scenario)
