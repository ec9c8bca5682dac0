"""Scanned PDFs: pages without a text layer read by OCR, the stamp left out, citations say so."""

from __future__ import annotations

import io
import os
import shutil
from collections import OrderedDict
from pathlib import Path

import pytest
from conftest import FIXTURES
from PIL import Image, ImageDraw, ImageFont

from bot.child import run_in_child
from bot.ingest import ocr
from bot.ingest.chunking import chunk_document
from bot.ingest.loaders import UnusableFile, discover_files, load_file
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


def _small_scan(pages: int = 1) -> bytes:
    """A PDF of page images (a few printed lines each, no text layer): quick for Tesseract."""
    font = ImageFont.load_default(size=44)
    images = []
    for number in range(1, pages + 1):
        image = Image.new("RGB", (1500, 260), (250, 249, 246))
        draw = ImageDraw.Draw(image)
        draw.text(
            (40, 40), f"Trang {number}: Nghi quyet ve khoa hoc,", font=font, fill=(20, 20, 20)
        )
        draw.text((40, 130), "cong nghe va chuyen doi so quoc gia.", font=font, fill=(20, 20, 20))
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=300, save_all=True, append_images=images[1:])
    return out.getvalue()


def _counting_tesseract(tmp_path: Path, monkeypatch) -> Path:
    """Tesseract behind a wrapper that notes each call; the file it writes them to."""
    real = shutil.which("tesseract")
    assert real is not None
    calls = tmp_path / "tesseract-calls.txt"
    wrapper = tmp_path / "bin" / "tesseract"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{calls}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return calls


def _recognitions(calls: Path) -> int:
    lines = calls.read_text().splitlines() if calls.exists() else []
    return sum(1 for line in lines if line.startswith("stdin"))


@needs_ocr
def test_an_upload_checked_then_indexed_in_two_processes_is_recognised_once(
    tmp_path: Path, monkeypatch
) -> None:
    calls = _counting_tesseract(tmp_path, monkeypatch)
    root = tmp_path / "knowledge"
    root.mkdir()
    (root / "thong-bao.pdf").write_bytes(_small_scan())
    # As the bot does: the upload is checked in one child process, indexed in another.
    checked = run_in_child(load_file, root / "thong-bao.pdf", root)
    indexed = run_in_child(load_file, root / "thong-bao.pdf", root)
    assert _recognitions(calls) == 1
    assert indexed[0].text == checked[0].text and "chuyen doi so" in checked[0].text
    assert indexed[0].meta.extra["scanned"] == "1"
    # What OCR read is kept beside the documents, where the indexer never reads a document.
    assert len(list((root / ".ocr").glob("*.json"))) == 1
    assert discover_files(root) == [root / "thong-bao.pdf"]


@needs_ocr
def test_the_ocr_cache_keeps_the_pages_used_last_and_survives_a_damaged_entry(
    tmp_path: Path, monkeypatch
) -> None:
    calls = _counting_tesseract(tmp_path, monkeypatch)
    monkeypatch.setattr(ocr, "CACHE_MAX_PAGES", 2)
    monkeypatch.setattr(ocr, "_CACHE", OrderedDict())  # this process remembers nothing
    cache, data = tmp_path / "cache", _small_scan(pages=3)
    first = ocr.ocr_pdf_pages(data, [1, 2, 3], cache)
    assert _recognitions(calls) == 3 and len(list(cache.glob("*.json"))) == 2
    monkeypatch.setattr(ocr, "_CACHE", OrderedDict())
    for entry in cache.glob("*-p3.json"):
        entry.write_text("{not json")
    again = ocr.ocr_pdf_pages(data, [2, 3], cache)
    # Page 2 comes from the cache; the damaged page 3 is read again, giving the same text.
    assert _recognitions(calls) == 4
    assert [p.lines for p in again] == [p.lines for p in first[1:]]


TSV_HEADER = "level page_num block_num par_num line_num word_num left top width height conf text"


def _tesseract_saying(tmp_path: Path, monkeypatch, lines: list[tuple[int, int, str]]) -> None:
    """A stand-in for Tesseract that reads every page as the given lines (left and right edge
    in pixels, text), all in one block and one paragraph, as Tesseract often returns a page."""
    rows = [TSV_HEADER.replace(" ", "\t")]
    for number, (left, right, text) in enumerate(lines, 1):
        words = text.split()
        step = (right - left) / len(words)
        for index, word in enumerate(words, 1):
            x = round(left + (index - 1) * step)
            fields = [5, 1, 1, 1, number, index, x, 60 * number, round(step * 0.8), 30, 95, word]
            rows.append("\t".join(map(str, fields)))
    (tmp_path / "page.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    fake = tmp_path / "fake-bin" / "tesseract"
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = "--list-langs" ]; then printf "List of languages\\nvie\\n"; '
        f'exit 0; fi\ncat > /dev/null\ncat "{tmp_path / "page.tsv"}"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    # The same page image may have been read in this process already, by another stand-in.
    monkeypatch.setattr(ocr, "_CACHE", OrderedDict())


def test_paragraphs_are_cut_where_the_page_shows_them(tmp_path: Path, monkeypatch) -> None:
    _tesseract_saying(
        tmp_path,
        monkeypatch,
        [
            (100, 1895, "Các cấp ủy quán triệt sâu sắc nội dung Nghị quyết đến từng chi bộ và"),
            (100, 700, "đảng viên, xây dựng kế hoạch thực hiện."),
            (100, 500, "Nhiệm vụ cụ thể"),
            (100, 1890, "- Các sở, ngành báo cáo kết quả thực hiện trước ngày 15 tháng 12 hằng"),
            (100, 640, "năm để tổng hợp."),
            (180, 1898, "Văn phòng Thành ủy theo dõi, đôn đốc việc thực hiện kế hoạch này và"),
            (100, 820, "báo cáo Thường trực Thành ủy."),
        ],
    )
    (tmp_path / "kh.pdf").write_bytes(_small_scan())
    doc = load_file(tmp_path / "kh.pdf", tmp_path)[0]
    # A line ending well short of the margin ends its paragraph; a dash or an indent starts one.
    assert doc.text.split("\n") == [
        "Các cấp ủy quán triệt sâu sắc nội dung Nghị quyết đến từng chi bộ và đảng viên, xây "
        "dựng kế hoạch thực hiện.",
        "Nhiệm vụ cụ thể",
        "- Các sở, ngành báo cáo kết quả thực hiện trước ngày 15 tháng 12 hằng năm để tổng hợp.",
        "Văn phòng Thành ủy theo dõi, đôn đốc việc thực hiện kế hoạch này và báo cáo Thường trực "
        "Thành ủy.",
    ]


def test_a_scanned_appendix_misread_in_its_heading_is_still_an_appendix(
    tmp_path: Path, monkeypatch
) -> None:
    rows = [
        (
            "TT: 1. - Tên nhiệm vụ: Xây dựng kế hoạch triển khai Chương trình hành động",
            "của các bộ, ngành - Cơ quan chủ trì: Các bộ, ngành - Thời gian hoàn thành: 2025",
        ),
        (
            "TT: 2. - Tên nhiệm vụ: Rà soát, sửa đổi các văn bản quy phạm pháp luật về khoa",
            "học và công nghệ - Cơ quan chủ trì: Bộ Khoa học và Công nghệ - Thời gian: 2025",
        ),
    ]
    _tesseract_saying(
        tmp_path,
        monkeypatch,
        [
            (900, 1100, "PHÙ LỤC H"),  # 'PHỤ LỤC II' as Tesseract often reads it
            (500, 1500, "DANH MỤC CÁC NHIỆM VỤ TRIỂN KHAI CHƯƠNG TRÌNH HÀNH ĐỘNG"),
            (
                400,
                1600,
                "(Kèm theo Nghị quyết số 03/NQ-CP ngày 09 tháng 01 năm 2025 của Chính phủ)",
            ),
            *[line for first, rest in rows for line in ((100, 1900, first), (100, 1500, rest))],
        ],
    )
    (tmp_path / "03-NQ-CP_PhuLuc-II.pdf").write_bytes(_small_scan())
    doc = load_file(tmp_path / "03-NQ-CP_PhuLuc-II.pdf", tmp_path)[0]
    # Read as the appendix it is, not as a news article about 03/NQ-CP (whose long lines
    # without a final stop would be dropped as photo captions): every row is kept.
    assert doc.meta.source_kind == "document" and doc.meta.code == "03/NQ-CP"
    assert (doc.meta.title or "").startswith("Phụ lục II: danh mục các nhiệm vụ")
    assert all(" ".join(row) in doc.text.split("\n") for row in rows)
