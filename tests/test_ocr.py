"""Scanned PDFs: pages without a text layer read by OCR, the stamp left out, citations say so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from PIL import Image, ImageDraw

from bot.ingest.chunking import chunk_document
from bot.ingest.loaders import UnusableFile, load_file
from bot.ingest.ocr import OCR_MISSING, ocr_missing, without_ink

# Made by benchmarks/make_scans.py (see tests/fixtures/PROVENANCE.md): the first page of
# 69-KL/TW, signed, a red stamp across the signature, 300 dpi, JPEG, no text layer.
SCAN = FIXTURES / "scans" / "69-KL-TW_ban-quet.pdf"
needs_ocr = pytest.mark.skipif(
    ocr_missing() is not None,
    reason="Tesseract with Vietnamese is not installed (scripts/setup-system.sh installs it)",
)


@needs_ocr
def test_a_scanned_pdf_is_read_and_marked_as_a_scan(tmp_path: Path) -> None:
    shutil.copy(SCAN, tmp_path / "kl69.pdf")
    doc = load_file(tmp_path / "kl69.pdf", tmp_path)[0]
    assert doc.meta.code == "69-KL/TW" and doc.meta.issuer == "Bộ Chính trị"
    assert doc.meta.extra["scanned"] == "1" and doc.meta.extra["ocr_pages"] == "1"
    assert int(doc.meta.extra["ocr_confidence"]) >= 85
    assert "Đội ngũ cán bộ khoa học và công nghệ có bước phát triển" in doc.text
    # The stamp's ring text is not read into the document, nor the signature into a passage.
    assert "THÀNH ỦY" not in doc.text and "VIỆT NAM *" not in doc.text
    chunks = chunk_document(doc)
    assert chunks and all(c.title and c.title.startswith("Bản quét") for c in chunks)
    assert all("T/M" not in c.text and "VỤ" not in c.text for c in chunks)


def test_stamp_red_and_pen_blue_are_removed_print_stays() -> None:
    page = Image.new("RGB", (200, 100), (250, 249, 246))
    draw = ImageDraw.Draw(page)
    draw.rectangle((10, 10, 60, 60), fill=(20, 20, 20))  # print
    draw.ellipse((100, 10, 150, 60), outline=(205, 30, 35), width=6)  # stamp
    draw.line((100, 80, 190, 90), fill=(30, 40, 110), width=4)  # signature
    grey = without_ink(page)
    assert grey.mode == "L"
    assert grey.getpixel((35, 35)) < 40
    assert grey.getpixel((125, 12)) == 255 and grey.getpixel((145, 85)) == 255


def test_without_tesseract_a_scan_is_skipped_saying_what_to_install(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    shutil.copy(SCAN, tmp_path / "kl69.pdf")
    with pytest.raises(UnusableFile) as info:
        load_file(tmp_path / "kl69.pdf", tmp_path)
    assert str(info.value) == OCR_MISSING
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in OCR_MISSING
