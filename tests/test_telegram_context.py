"""Over the Bot API double: /moi, follow-ups in their chat's context, @mentions, /vanban, /start."""

from __future__ import annotations

import shutil

import pytest
from conftest import PARTY_CORPUS
from test_telegram_bot import (
    ADMIN,
    CTR01,
    GROUP,
    MEMBER,
    OTHER,
    Q57,
    Env,
    answer_to,
    buttons,
    drive,
    reply_to,
    shown,
)
from test_telegram_bot import env as env

from bot.answer import Answer
from bot.conversation import Conversation
from bot.devtools.botapi_double import BOT_USER, BotApiDouble, utf16_len
from bot.knowledge_base import KnowledgeBase

APPENDIX = "03-NQ-CP_PhuLuc-I_chi-tieu.md"


class RecordingKB(KnowledgeBase):
    """The real knowledge base, noting which context (its subject) each question was asked in."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[tuple[str, str]] = []  # (question, the context's subject when asked)

    def ask(self, question, k=None, offset=0, filters=None, conversation=None) -> Answer:
        """Record, then answer as usual."""
        subject = conversation.subject if conversation is not None else "<none>"
        self.seen.append((question, subject))
        return super().ask(question, k, offset, filters, conversation)


def _recording(env: Env) -> RecordingKB:
    kb = RecordingKB(env.settings)
    kb.load()
    return kb


def _mention(double: BotApiDouble, user: int, chat_id: int, question: str) -> dict:
    handle = "@" + BOT_USER["username"]
    entities = [{"type": "mention", "offset": 0, "length": utf16_len(handle)}]
    message = double._incoming(
        chat_id, user, "supergroup", text=f"{handle} {question}", entities=entities
    )
    return double.enqueue({"message": message})


def test_private_follow_up_shares_the_chat_context_until_moi(env: Env) -> None:
    kb = _recording(env)

    async def scenario(double: BotApiDouble, app) -> None:
        await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
        await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, "còn đến năm 2045?"))
        done = await reply_to(double, MEMBER, lambda: double.send_text(MEMBER, "/moi"))
        assert "Đã bắt đầu cuộc trò chuyện mới" in shown(done)
        await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, "kl 69 nói gì?"))
        # Another member's private chat has its own context.
        await answer_to(double, OTHER, lambda: double.send_text(OTHER, "nq 57 là gì?"))

    drive(env, scenario, kb=kb)
    assert kb.seen == [
        (Q57, ""),
        ("còn đến năm 2045?", Q57),
        ("kl 69 nói gì?", ""),
        ("nq 57 là gì?", ""),
    ]


def test_group_reply_follows_the_answer_replied_to_and_mention_asks(env: Env) -> None:
    kb = _recording(env)

    async def scenario(double: BotApiDouble, app) -> None:
        first = await answer_to(
            double, GROUP, lambda: double.send_group_command(MEMBER, GROUP, "hoi", Q57)
        )
        await answer_to(
            double, GROUP, lambda: double.send_group_command(OTHER, GROUP, "hoi", "kl 69 là gì?")
        )
        # A reply to the first answer is read in the first answer's context, not the latest.
        await answer_to(double, GROUP, lambda: double.send_reply(OTHER, first[-1], "còn 2045?"))
        mentioned = await answer_to(double, GROUP, lambda: _mention(double, MEMBER, GROUP, Q57))
        assert "57-NQ/TW" in shown(mentioned)
        done = await reply_to(
            double, GROUP, lambda: double.send_group_command(MEMBER, GROUP, "moi")
        )
        assert "Đã bắt đầu cuộc trò chuyện mới" in shown(done)
        # After /moi an old answer no longer carries its context.
        await answer_to(double, GROUP, lambda: double.send_reply(OTHER, first[-1], "còn 2035?"))

    drive(env, scenario, kb=kb)
    assert kb.seen == [
        (Q57, ""),
        ("kl 69 là gì?", ""),
        ("còn 2045?", Q57),
        (Q57, ""),
        ("còn 2035?", ""),
    ]


def test_more_results_button_asks_again_in_the_answers_context(env: Env) -> None:
    kb = _recording(env)

    async def scenario(double: BotApiDouble, app) -> None:
        await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
        follow = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, "còn năm 2045?"))
        await reply_to(double, MEMBER, lambda: double.press_button(MEMBER, follow[-1], "Thêm"))

    drive(env, scenario, kb=kb)
    assert kb.seen[-1] == ("còn năm 2045?", Q57)


@pytest.fixture
def library(env: Env) -> Env:
    """The env's 57-NQ/TW plus the article about 01-CTr/TU and an undated appendix."""
    for name in (CTR01, APPENDIX):
        shutil.copy(PARTY_CORPUS / name, env.settings.knowledge_dir / name)
    env.kb.rebuild()
    return env


def test_vanban_members_see_a_clean_list_admins_see_what_to_check(library: Env) -> None:
    async def scenario(double: BotApiDouble, app) -> None:
        member = await reply_to(double, MEMBER, lambda: double.send_text(MEMBER, "/vanban"))
        text = shown(member)
        assert "Nghị quyết số 57-NQ/TW ngày 22/12/2024, Bộ Chính trị" in text
        assert "Bài báo (18/04/2023) về Chương trình 01-CTr/TU" in text
        assert "01-CTr/TU (18/04/2023)" not in text
        assert "Cần xem lại" not in text and "đoạn" not in text
        assert "2. Bài báo về 01-CTr/TU" in buttons(member[-1])
        admin = await reply_to(double, ADMIN, lambda: double.send_text(ADMIN, "/vanban"))
        text = shown(admin)
        assert "bài báo · " in text and "văn bản · " in text
        assert "⚠️ Cần xem lại: chưa có ngày ban hành" in text
        # In a group an admin sees the members' list: no problems shown to the cell.
        group = await reply_to(
            double, GROUP, lambda: double.send_group_command(ADMIN, GROUP, "vanban")
        )
        assert "Cần xem lại" not in shown(group)

    drive(library, scenario)


def test_start_tells_an_admin_how_to_add_documents(env: Env) -> None:
    async def scenario(double: BotApiDouble, app) -> None:
        member = await reply_to(double, MEMBER, lambda: double.send_text(MEMBER, "/start"))
        admin = await reply_to(double, ADMIN, lambda: double.send_text(ADMIN, "/start"))
        assert "Thêm văn bản" not in shown(member)
        assert "Thêm văn bản: gửi tệp" in shown(admin) and "/xoa nghị quyết 57" in shown(admin)
        for text in (shown(member), shown(admin)):
            assert "bạn" not in text.lower().split() and "chỉ mục" not in text

    drive(env, scenario)


def test_conversation_snapshot_is_not_shared_between_answers() -> None:
    from bot.conversation import AnswerContexts

    contexts = AnswerContexts(limit=2)
    before, after = Conversation(), Conversation(subject="nq 57", turns=1)
    contexts.remember(-5, [10, 11], before, after)
    copy = contexts.after(-5, 11)
    copy.subject = "khác"
    assert contexts.after(-5, 10).subject == "nq 57" and contexts.before(-5, 10).subject == ""
    contexts.remember(-5, [12], before, after)
    assert contexts.after(-5, 10) is None  # the oldest went first
    contexts.forget_chat(-5)
    assert contexts.after(-5, 12) is None
