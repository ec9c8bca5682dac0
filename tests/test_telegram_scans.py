"""End-to-end: an admin sends a scanned PDF with a stamp; members get its quotes, marked."""

from __future__ import annotations

from botapi_double import BotApiDouble
from telegram.ext import Application
from test_ocr import SCAN, needs_ocr
from test_telegram_bot import ADMIN, MEMBER, Env, answer_to, drive, env, shown

__all__ = ["env"]  # the fixture: a bot with 57-NQ/TW indexed, an admin and a member

QUESTION = "Kết luận 69 đánh giá đội ngũ cán bộ khoa học và công nghệ thế nào?"


@needs_ocr
def test_an_uploaded_scan_becomes_answerable_with_its_quotes_marked(env: Env) -> None:
    data = SCAN.read_bytes()

    async def scenario(double: BotApiDouble, app: Application) -> None:
        before = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, QUESTION))
        assert "69-KL/TW" not in shown(before)
        double.send_document(ADMIN, "KL-69 ban quet.pdf", data, "application/pdf")
        await double.await_for(
            lambda: "Đã lập chỉ mục xong" in shown(double.sent(ADMIN)), timeout=120
        )
        after = shown(await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, QUESTION)))
        assert "lực lượng đi đầu trong nghiên cứu" in after
        assert "69-KL/TW · Bản quét" in after

    drive(env, scenario)
