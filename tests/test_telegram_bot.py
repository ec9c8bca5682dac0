"""End-to-end: the real python-telegram-bot client, over HTTP, against the Bot API double."""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from conftest import PARTY_CORPUS
from telegram.ext import Application

from bot import storage
from bot.answer import Answer, Citation, Quote
from bot.build import BuildSummary
from bot.config import Settings
from bot.devtools.botapi_double import TOKEN, BotApiDouble, parse_telegram_html, running, utf16_len
from bot.knowledge_base import KnowledgeBase
from bot.telegram.app import build_application

ADMIN, MEMBER, OTHER = 1001, 2002, 2003
GROUP = -100300
NQ57 = "57-NQ-TW_2024-12-22_BoChinhTri_dot-pha-KHCN-DMST-CDS.md"
CTR01 = "01-CTr-TU_2023-04-18_bao-Ha-Noi-Moi_tu-quyet-tam-doi-moi.txt"
Q57 = "Nghị quyết số 57 đặt mục tiêu đến năm 2030 quy mô kinh tế số đạt tối thiểu bao nhiêu phần trăm GDP?"


@dataclass
class Env:
    double: BotApiDouble
    settings: Settings
    kb: KnowledgeBase


@pytest.fixture
def env(make_settings, monkeypatch) -> Env:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    with BotApiDouble() as double:
        settings = make_settings(
            telegram=double.telegram_config(admin_ids=[ADMIN], flood_messages=4, flood_seconds=60)
        )
        shutil.copy(PARTY_CORPUS / NQ57, settings.knowledge_dir / NQ57)
        kb = KnowledgeBase(settings)
        kb.rebuild()
        yield Env(double, settings, kb)
        assert double.rejected == [], [(c.method, c.description) for c in double.rejected]


def drive(
    env: Env, scenario: Callable[[BotApiDouble, Application], Awaitable[None]], kb=None
) -> None:
    """Run the bot against the double while scenario talks to it."""

    async def main() -> None:
        application = build_application(env.settings, kb=kb or env.kb)
        async with running(application):
            await scenario(env.double, application)

    asyncio.run(main())


async def answer_to(double: BotApiDouble, chat_id: int, send: Callable[[], object]) -> list[dict]:
    """Send something and wait for the bot's answer: the new messages up to the one with 👍."""
    before = len(double.sent(chat_id))
    send()

    def done() -> list[dict]:
        new = double.sent(chat_id)[before:]
        if any("fb:" in str(m.get("reply_markup")) for m in new):
            return new
        return []

    return await double.await_for(done)


async def reply_to(double: BotApiDouble, chat_id: int, send: Callable[[], object]) -> list[dict]:
    """Send something and wait for at least one new message from the bot."""
    before = len(double.sent(chat_id))
    send()
    return await double.await_for(double.messages_after(chat_id, before))


def shown(messages: list[dict]) -> str:
    """What a member reads: the messages' text with HTML parsed."""
    return "\n".join(parse_telegram_html(m["text"]) for m in messages if "text" in m)


def buttons(message: dict) -> dict[str, str]:
    """Button text → callback data."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def knowledge_files(settings: Settings) -> list[str]:
    return sorted(
        p.relative_to(settings.knowledge_dir).as_posix()
        for p in settings.knowledge_dir.rglob("*")
        if p.is_file()
    )


def test_private_question_gets_cited_answer_and_commands(env: Env) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        messages = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
        text = shown(messages)
        assert "57-NQ/TW" in text and "30%" in text
        keys = buttons(messages[-1])
        assert set(keys) == {"📄 Xem nguyên văn", "➕ Thêm kết quả", "👍", "👎"}
        assert all(len(data.encode()) <= 64 for data in keys.values())
        assert double.calls_of("sendChatAction")
        welcome = await reply_to(double, MEMBER, lambda: double.send_text(MEMBER, "/start"))
        assert "/hoi" in shown(welcome)
        sticker = {
            "file_id": "S1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        hint = await reply_to(
            double,
            MEMBER,
            lambda: double.enqueue(
                {"message": double._incoming(MEMBER, MEMBER, None, sticker=sticker)}
            ),
        )
        assert "gõ bằng chữ" in shown(hint)

    drive(env, scenario)
    commands = {c["command"]: c["description"] for c in env.double.commands}
    assert {"start", "hoi", "vanban", "help"} <= set(commands)
    assert commands["vanban"] == "Danh sách văn bản hiện có"
    assert "reindex" not in commands  # admin commands only in the admins' own menus
    admin_menu = env.double.scoped_commands['{"chat_id": 1001, "type": "chat"}']
    assert {"reindex", "xoa", "trangthai", "chuatraloi", "vanban"} <= {
        c["command"] for c in admin_menu
    }
    db = storage.connect(env.settings.database)
    rows = db.execute("SELECT question, found, chat_type FROM questions").fetchall()
    assert [tuple(r) for r in rows] == [(Q57, 1, "private")]


def test_group_hoi_and_reply_to_the_bot(env: Env) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        first = await answer_to(
            double, GROUP, lambda: double.send_group_command(MEMBER, GROUP, "hoi", Q57)
        )
        assert "57-NQ/TW" in shown(first)
        assert first[0]["reply_to_message"]["text"].startswith("/hoi@")
        # A reply to the bot's answer is a follow-up question.
        follow = await answer_to(
            double,
            GROUP,
            lambda: double.send_reply(OTHER, first[-1], "nghi quyet 57 muc tieu nam 2045 la gi"),
        )
        assert "57-NQ/TW" in shown(follow)
        usage = await reply_to(
            double, GROUP, lambda: double.send_group_command(MEMBER, GROUP, "hoi", "")
        )
        assert "/hoi" in shown(usage)
        # Plain group chatter (not a reply to the bot) is ignored.
        before = len(double.sent(GROUP))
        double.send_text(MEMBER, "chào cả chi bộ", chat_id=GROUP, chat_type="supergroup")
        await asyncio.sleep(0.5)
        assert len(double.sent(GROUP)) == before

    drive(env, scenario)


def test_each_answer_button(env: Env) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        answer = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
        last = answer[-1]
        passage = await reply_to(
            double, MEMBER, lambda: double.press_button(MEMBER, last, text="Xem nguyên văn")
        )
        assert "57-NQ/TW" in shown(passage) and "›" not in shown(passage)[:8]
        more = await answer_to(
            double, MEMBER, lambda: double.press_button(MEMBER, last, text="Thêm kết quả")
        )
        assert shown(more) != shown(answer)
        before = len(double.calls_of("answerCallbackQuery"))
        double.press_button(MEMBER, last, text="👎")
        double.press_button(OTHER, last, text="👍")
        await double.await_for(lambda: len(double.calls_of("answerCallbackQuery")) >= before + 2)
        listing = await reply_to(double, MEMBER, lambda: double.send_text(MEMBER, "/vanban"))
        assert "57-NQ/TW" in shown(listing)
        summary = await reply_to(
            double, MEMBER, lambda: double.press_button(MEMBER, listing[-1], text="57-NQ/TW")
        )
        assert "Nghị quyết số 57-NQ/TW ngày 22/12/2024, Bộ Chính trị" in shown(summary)
        assert "đoạn" not in shown(summary)  # members see no passage counts

    drive(env, scenario)
    db = storage.connect(env.settings.database)
    votes = db.execute("SELECT user_id, value FROM feedback ORDER BY user_id").fetchall()
    assert [tuple(v) for v in votes] == [(MEMBER, -1), (OTHER, 1)]


def test_admin_upload_becomes_answerable_without_restart(env: Env) -> None:
    question = "Thanh uy Ha Noi la don vi dau tien thanh lap ban chi dao gi?"
    data = (PARTY_CORPUS / CTR01).read_bytes()

    async def scenario(double: BotApiDouble, app: Application) -> None:
        before = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, question))
        assert "01-CTr/TU" not in shown(before)
        double.send_document(ADMIN, "../../" + CTR01, data, "text/plain")
        await double.await_for(lambda: "✅ Đã thêm" in shown(double.sent(ADMIN)))
        # The article is named as an article, never as the programme it discusses.
        assert (
            "✅ Đã thêm: Bài báo (18/04/2023) về Chương trình 01-CTr/TU. Đảng viên đã có thể hỏi."
            in shown(double.sent(ADMIN))
        )
        after = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, question))
        assert "phòng, chống tham nhũng" in shown(after)
        # The same name again asks before overwriting; "Hủy" keeps the file as it was.
        ask = await reply_to(
            double, ADMIN, lambda: double.send_document(ADMIN, CTR01, b"khac", "text/plain")
        )
        assert "Ghi đè" in buttons(ask[-1])
        done = await reply_to(
            double, ADMIN, lambda: double.press_button(ADMIN, ask[-1], text="Hủy")
        )
        assert "hủy" in shown(done).lower()

    drive(env, scenario)
    assert (env.settings.knowledge_dir / CTR01).read_bytes() == data
    assert CTR01 in knowledge_files(env.settings)


def test_member_upload_and_admin_commands_are_refused(env: Env) -> None:
    files = knowledge_files(env.settings)
    built = env.kb.stats()["built_at"]

    async def scenario(double: BotApiDouble, app: Application) -> None:
        for send in (
            lambda: double.send_document(MEMBER, "x.txt", "Nội dung lạ".encode(), "text/plain"),
            lambda: double.send_text(MEMBER, "/reindex"),
            lambda: double.send_text(MEMBER, "/xoa 57-NQ/TW"),
            lambda: double.send_text(MEMBER, "/trangthai"),
            lambda: double.send_text(MEMBER, "/chuatraloi"),
        ):
            refusal = await reply_to(double, MEMBER, send)
            assert "chỉ dành cho cán bộ quản trị" in shown(refusal)
        await asyncio.sleep(0.3)

    drive(env, scenario)
    assert knowledge_files(env.settings) == files
    assert env.kb.stats()["built_at"] == built
    assert env.double.calls_of("getFile") == []


def test_admin_status_unanswered_delete_and_reindex(env: Env) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        hostile = "<script>alert(1)</script> & cách nấu phở bò 😀"
        await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, hostile))
        missing = await reply_to(double, ADMIN, lambda: double.send_text(ADMIN, "/chuatraloi"))
        assert hostile in shown(missing)
        status = await reply_to(double, ADMIN, lambda: double.send_text(ADMIN, "/trangthai"))
        assert "Văn bản: 1" in shown(status) and "1 câu hỏi" in shown(status)
        # Vietnam's time as people write it, no model names, no passage counts.
        assert re.search(r"Cập nhật lần cuối: \d\d:\d\d ngày \d\d/\d\d/20\d\d", shown(status))
        assert not re.search(r"hashing|\+00:00|đoạn|chỉ mục", shown(status))
        # /xoa takes a document the way questions name it.
        confirm = await reply_to(
            double, ADMIN, lambda: double.send_text(ADMIN, "/xoa nghị quyết 57")
        )
        assert NQ57 in shown(confirm)
        await reply_to(double, ADMIN, lambda: double.press_button(ADMIN, confirm[-1], text="Xóa"))
        await double.await_for(lambda: "Đã gỡ" in shown(double.sent(ADMIN)))
        gone = await reply_to(double, MEMBER, lambda: double.send_text(MEMBER, "/vanban"))
        assert "57-NQ/TW" not in shown(gone)

    drive(env, scenario)
    assert knowledge_files(env.settings) == []


class LongAnswers(KnowledgeBase):
    """The real knowledge base, but every answer quotes ten very long sentences."""

    def ask(self, question: str, k: int | None = None, offset: int = 0, *_: object) -> Answer:
        """A found answer far over one message's limit, with markup-sensitive text."""
        sentence = "Phát triển khoa học & công nghệ <là> đột phá quan trọng hàng đầu 😀. " * 30
        quotes = [Quote(sentence, "d", "57-NQ/TW", "II › 1", chunk_id=f"d#{i}") for i in range(10)]
        citations = [
            Citation(f"d#{i}", "d", "57-NQ/TW", "Nghị quyết", "II › 1", "2024-12-22", 1.0, sentence)
            for i in range(10)
        ]
        return Answer(question=question, found=True, quotes=quotes, citations=citations)


def test_long_answer_is_split_and_hostile_question_is_safe(env: Env) -> None:
    long_kb = LongAnswers(env.settings)
    long_kb.load()

    async def scenario(double: BotApiDouble, app: Application) -> None:
        messages = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, "dài?"))
        assert len(messages) >= 5
        for message in messages:
            assert utf16_len(parse_telegram_html(message["text"])) <= 4096
        assert "reply_markup" in messages[-1] and "reply_markup" not in messages[0]

    drive(env, scenario, kb=long_kb)

    async def hostile(double: BotApiDouble, app: Application) -> None:
        question = "<script>alert('x')</script> &amp; & 😀 " + "nghị quyết 57 " * 285
        assert len(question) > 4000
        messages = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, question))
        assert messages

    drive(env, hostile)


def test_flood_limit_answers_with_a_friendly_message(env: Env) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        for i in range(7):
            double.send_text(MEMBER, f"nghị quyết 57 câu {i}")
        await double.await_for(
            lambda: (
                "hỏi hơi nhanh" in shown(double.sent(MEMBER))
                and sum("fb:" in str(m.get("reply_markup")) for m in double.sent(MEMBER)) >= 4
            )
        )
        await asyncio.sleep(0.5)
        sent = double.sent(MEMBER)
        assert sum("fb:" in str(m.get("reply_markup")) for m in sent) == 4
        assert shown(sent).count("hỏi hơi nhanh") == 1
        # Another member is not slowed down.
        await answer_to(double, OTHER, lambda: double.send_text(OTHER, Q57))

    drive(env, scenario)


def test_a_429_is_waited_out_and_the_answer_arrives_once(env: Env) -> None:
    async def scenario(double: BotApiDouble, app: Application) -> None:
        double.inject_error("sendMessage", 429, retry_after=1)
        messages = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
        assert "57-NQ/TW" in shown(messages)

    drive(env, scenario)
    statuses = [c.status for c in env.double.calls_of("sendMessage", ok=None)]
    assert statuses == [429, 200]


def test_corrupt_pdf_is_reported_and_nothing_changes(env: Env) -> None:
    files = knowledge_files(env.settings)
    built = env.kb.stats()["built_at"]

    async def scenario(double: BotApiDouble, app: Application) -> None:
        corrupt = b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage" + bytes(range(256))
        report = await reply_to(
            double,
            ADMIN,
            lambda: double.send_document(ADMIN, "hong.pdf", corrupt, "application/pdf"),
        )
        assert "bị lỗi" in shown(report)
        fake = await reply_to(
            double, ADMIN, lambda: double.send_document(ADMIN, "gia.docx", b"not a zip", "x")
        )
        assert "không phải DOCX" in shown(fake)
        big = await reply_to(
            double,
            ADMIN,
            lambda: double.send_document(ADMIN, "lon.pdf", b"%PDF-", file_size=25 * 1024 * 1024),
        )
        assert "quá lớn" in shown(big)
        answer = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
        assert "57-NQ/TW" in shown(answer)

    drive(env, scenario)
    assert knowledge_files(env.settings) == files
    assert env.kb.stats()["built_at"] == built


class SlowRebuild(KnowledgeBase):
    """The real knowledge base whose rebuild runs until the test lets it finish."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.started = threading.Event()
        self.release = threading.Event()

    def rebuild(self) -> BuildSummary:
        """Wait for the release, then rebuild for real."""
        self.started.set()
        self.release.wait(timeout=20)
        return super().rebuild()


def test_bot_keeps_answering_while_a_rebuild_runs(env: Env) -> None:
    slow = SlowRebuild(env.settings)
    slow.load()

    async def scenario(double: BotApiDouble, app: Application) -> None:
        await reply_to(double, ADMIN, lambda: double.send_text(ADMIN, "/reindex"))
        await double.await_for(slow.started.is_set)
        messages = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
        assert "57-NQ/TW" in shown(messages)
        busy = await reply_to(double, ADMIN, lambda: double.send_text(ADMIN, "/reindex"))
        assert "đang đọc văn bản" in shown(busy)
        assert not slow.release.is_set()  # all of the above happened mid-rebuild
        slow.release.set()
        await double.await_for(lambda: "Đã đọc lại kho văn bản" in shown(double.sent(ADMIN)))

    drive(env, scenario, kb=slow)


def test_without_an_index_the_bot_starts_and_says_so(make_settings, monkeypatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    with BotApiDouble() as double:
        settings = make_settings(telegram=double.telegram_config(admin_ids=[ADMIN]))
        env = Env(double, settings, KnowledgeBase(settings))

        async def scenario(double: BotApiDouble, app: Application) -> None:
            await double.await_for(lambda: double.sent(ADMIN))
            assert "/reindex" in shown(double.sent(ADMIN))
            waiting = await reply_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
            assert "đang được chuẩn bị" in shown(waiting)

        drive(env, scenario)
        assert double.rejected == []


def test_first_upload_into_an_empty_bot_makes_it_answer(make_settings, monkeypatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    with BotApiDouble() as double:
        settings = make_settings(telegram=double.telegram_config(admin_ids=[ADMIN]))
        env = Env(double, settings, KnowledgeBase(settings))
        data = (PARTY_CORPUS / NQ57).read_bytes()

        async def scenario(double: BotApiDouble, app: Application) -> None:
            double.send_document(ADMIN, NQ57, data, "text/markdown")
            await double.await_for(lambda: "✅ Đã thêm" in shown(double.sent(ADMIN)))
            assert (
                "✅ Đã thêm: Nghị quyết số 57-NQ/TW ngày 22/12/2024, Bộ Chính trị. "
                "Đảng viên đã có thể hỏi." in shown(double.sent(ADMIN))
            )
            messages = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
            assert "57-NQ/TW" in shown(messages)

        drive(env, scenario)
        assert double.rejected == []


class BrokenAsk(KnowledgeBase):
    """A knowledge base whose retrieval fails (a bug, a damaged index)."""

    def ask(self, question: str, k: int | None = None, offset: int = 0, *_: object) -> Answer:
        """Fail like a bug would."""
        raise RuntimeError("chỉ mục hỏng <b>&")


def test_errors_apologise_to_the_member_and_alert_admins_once(env: Env) -> None:
    broken = BrokenAsk(env.settings)
    broken.load()

    async def scenario(double: BotApiDouble, app: Application) -> None:
        for _ in range(2):
            sorry = await reply_to(double, MEMBER, lambda: double.send_text(MEMBER, Q57))
            assert "đã có lỗi xảy ra" in shown(sorry)
        await double.await_for(lambda: double.sent(ADMIN))
        await asyncio.sleep(0.3)
        alerts = shown(double.sent(ADMIN))
        assert alerts.count("RuntimeError: chỉ mục hỏng <b>&") == 1

    drive(env, scenario, kb=broken)
