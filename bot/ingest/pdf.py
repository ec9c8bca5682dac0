"""PDF → lines: the text layer, hard-wrapped lines re-joined; pages without one read by OCR.

Ruled tables (every cell drawn, as offices draw task tables and Word exports them) are found
with pdfplumber and become row passages with their column headers, like DOCX tables; a table
that runs on over the next page is joined, a row cut by the page break made whole. Pages
without a ruled table keep pypdf's text.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
from pathlib import Path

from bot.ingest.errors import UnusableFile
from bot.ingest.limits import DEFAULT_MAX_CHARS, check_chars
from bot.ingest.lines import looks_hard_wrapped, tidy_lines
from bot.ingest.ocr import MIN_PAGE_CHARS, ocr_missing, ocr_pdf_pages, scan_extra
from bot.ingest.tables import Table, flush_tables, make_table

log = logging.getLogger(__name__)
# pdfminer (under pdfplumber) logs every odd object it meets.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
Segment = list[str] | Table  # a page read top to bottom: runs of text lines and tables
# pypdf warns about every damaged file it reads; the skip reason in the summary says it once.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def pdf_lines(
    data: bytes, max_chars: int = DEFAULT_MAX_CHARS, ocr_cache: Path | None = None
) -> tuple[list[str], list[str], dict[str, str]]:
    """Text lines of a PDF with hard-wrapped lines re-joined, ruled tables as row passages,
    pages without a text layer read by OCR; the headings (table captions, section rows); and
    the meta.extra entries of a scan. Corrupt/encrypted/unreadable PDFs refused."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # some PDFs only restrict printing, with no password
            except Exception as exc:
                raise UnusableFile("PDF được mã hóa (có mật khẩu)") from exc
            if not opened:
                raise UnusableFile("PDF được mã hóa (có mật khẩu)")
        pages: list[str] = []
        for page in reader.pages:  # page by page, stopping at the character cap
            pages.append(page.extract_text() or "")
            check_chars(pages, max_chars)
    except UnusableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnusableFile("PDF hỏng, không đọc được") from exc
    except Exception as exc:
        raise UnusableFile("PDF hỏng, không đọc được") from exc
    scanned: set[int] = set()
    extra = _ocr_blank_pages(data, pages, scanned, ocr_cache)
    with_tables = _table_pages(data, [n for n in range(1, len(pages) + 1) if n not in scanned])
    lines: list[str] = []
    headings: list[str] = []
    pending: list[Table] = []  # tables with no text since: one may run on over the next page
    for number, page in enumerate(pages, 1):
        segments = with_tables.get(number) or [page.splitlines()]
        for segment in segments:
            if isinstance(segment, Table):
                pending.append(segment)
                continue
            page_lines = [re.sub(r"[ \t]+", " ", line) for line in segment]
            # OCR gives whole paragraphs already; a text layer gives the printed lines (the few
            # lines above a table are its heading and caption, not a wrapped paragraph).
            wrapped = number not in scanned and (
                len(segments) == 1 or looks_hard_wrapped(page_lines)
            )
            text = tidy_lines(page_lines, wrapped=wrapped)
            if text:  # a page number or blank foot between two parts of a table is not text
                flush_tables(pending, lines, headings)
                lines.extend(text)
    flush_tables(pending, lines, headings)
    # Pages end mid-sentence too: join across page breaks by the same rule.
    lines = tidy_lines(lines, set(headings))
    if sum(len(line) for line in lines) < MIN_PAGE_CHARS:
        raise UnusableFile("PDF không có chữ đọc được (bản quét quá mờ hoặc trang trắng)")
    return lines, headings, extra


def _table_pages(data: bytes, numbers: list[int]) -> dict[int, list[Segment]]:
    """For each of the given 1-based pages that holds a ruled table: the page top to bottom as
    text runs and tables. A PDF pdfplumber cannot read keeps pypdf's text (an empty answer)."""
    if not numbers:
        return {}
    try:
        import pdfplumber
    except ImportError:  # an install without it reads tables as plain lines, as before
        return {}
    found: dict[int, list[Segment]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number in numbers:
                page = pdf.pages[number - 1]
                if not (page.rects or page.lines):  # nothing drawn: no ruled table (cheap test)
                    page.close()
                    continue
                segments = _page_segments(page)
                page.close()
                if any(isinstance(segment, Table) for segment in segments):
                    found[number] = segments
    except Exception as exc:  # pdfminer's own errors on an odd file: the text is still there
        log.warning("không đọc được bảng trong PDF: %s", exc)
        return {}
    return found


def _page_segments(page) -> list[Segment]:
    """The text above, between and below a page's ruled tables, and the tables, in order."""
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    boxes = [t.bbox for t in tables]
    segments: list[Segment] = []
    top = 0.0
    for found in tables:
        y0, y1 = found.bbox[1], found.bbox[3]
        if y0 < top:  # a table inside another's frame: the outer one holds its text
            continue
        segments.append(_text_between(page, top, y0, boxes))
        table = make_table([[_cell(cell) for cell in row] for row in found.extract()])
        if table is not None:
            segments.append(table)
        top = y1
    segments.append(_text_between(page, top, float(page.height), boxes))
    return segments


def _text_between(page, top: float, bottom: float, boxes: list[tuple]) -> list[str]:
    """Lines of the characters whose centre lies between top and bottom, outside every table."""

    def keep(obj) -> bool:
        if obj.get("object_type") != "char":
            return False
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        if not top <= y < bottom:
            return False
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    if bottom - top < 1:
        return []
    return (page.filter(keep).extract_text() or "").splitlines()


def _cell(text: str | None) -> str:
    """A cell's text on one line (its wrapped lines joined); a cell merged into another is ''."""
    return re.sub(r"\s+", " ", text or "").strip()


def _ocr_blank_pages(
    data: bytes, pages: list[str], scanned: set[int], ocr_cache: Path | None
) -> dict[str, str]:
    """Pages without a text layer read by OCR in place (their numbers added to scanned); the
    scan's meta.extra entries."""
    blank = [number for number, page in enumerate(pages, 1) if len(page.strip()) < MIN_PAGE_CHARS]
    if not blank:
        return {}
    missing = ocr_missing()
    if missing:
        if len(blank) == len(pages):
            raise UnusableFile(missing)
        log.warning("bỏ qua %d trang quét không có lớp chữ: %s", len(blank), missing)
        return {}
    try:
        read = ocr_pdf_pages(data, blank, ocr_cache)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("nhận dạng chữ thất bại: %s", exc)
        if len(blank) == len(pages):
            raise UnusableFile("không nhận dạng được chữ trong bản quét") from exc
        return {}
    for page in read:
        pages[page.number - 1] = "\n".join(page.lines)
        scanned.add(page.number)
    return scan_extra(read)
