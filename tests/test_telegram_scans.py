"""End-to-end: an admin sends a scanned PDF with a stamp; members get its quotes, marked."""

from __future__ import annotations

import io

import pypdfium2
from PIL import Image
from telegram.ext import Application
from test_ocr import SCAN, _counting_tesseract, _recognitions, needs_ocr
from test_telegram_bot import ADMIN, MEMBER, Env, answer_to, drive, env, shown

from bot.devtools.botapi_double import BotApiDouble

__all__ = ["env"]  # the fixture: a bot with 57-NQ/TW indexed, an admin and a member

QUESTION = "Kết luận 69 đánh giá đội ngũ cán bộ khoa học và công nghệ thế nào?"


def scan_with_a_blank_page() -> bytes:
    """The generator's one-page scan of 69-KL/TW followed by a page with nothing on it."""
    blank = io.BytesIO()
    Image.new("RGB", (2480, 3508), (250, 249, 246)).save(blank, "PDF", resolution=300)
    pdf = pypdfium2.PdfDocument(SCAN.read_bytes())
    pdf.import_pages(pypdfium2.PdfDocument(blank.getvalue()))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@needs_ocr
def test_an_uploaded_scan_becomes_answerable_with_its_quotes_marked(
    env: Env, tmp_path, monkeypatch
) -> None:
    data = scan_with_a_blank_page()
    calls = _counting_tesseract(tmp_path, monkeypatch)

    async def scenario(double: BotApiDouble, app: Application) -> None:
        before = await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, QUESTION))
        assert "69-KL/TW" not in shown(before)
        double.send_document(ADMIN, "KL-69 ban quet.pdf", data, "application/pdf")
        await double.await_for(lambda: "✅ Đã thêm" in shown(double.sent(ADMIN)), timeout=120)
        admin = shown(double.sent(ADMIN))
        assert "Đã nhận bản quét: nhận dạng 1 trang, độ tin cậy trung bình 9" in admin
        assert "Không đọc được trang 2" in admin
        after = shown(await answer_to(double, MEMBER, lambda: double.send_text(MEMBER, QUESTION)))
        assert "lực lượng đi đầu trong nghiên cứu" in after
        assert "— Bản quét 69-KL/TW" in after

    drive(env, scenario)
    # Checked in one child process, indexed in another: each of the 2 pages recognised once.
    assert _recognitions(calls) == 2
