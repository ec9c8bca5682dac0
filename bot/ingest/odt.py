"""OpenDocument text (.odt, LibreOffice's own format): paragraphs, headings and tables in order."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from bot.ingest.errors import UnusableFile
from bot.ingest.lines import tidy_lines
from bot.ingest.tables import Table, flush_tables, make_table

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_MAX_COLUMNS_REPEATED = 64  # an empty cell repeated to the sheet's edge is not 16 000 columns


def odt_lines(data: bytes, max_uncompressed: int) -> tuple[list[str], list[str]]:
    """Lines of an .odt (tables as row passages with their headers), and its headings."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > max_uncompressed:
                raise UnusableFile("tệp .odt giải nén quá lớn, nghi là tệp độc hại (zip bomb)")
            content = archive.read("content.xml")
    except UnusableFile:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnusableFile("tệp .odt hỏng (không phải tệp OpenDocument hợp lệ)") from exc
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise UnusableFile("tệp .odt hỏng, không đọc được nội dung") from exc
    body = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    lines: list[str] = []
    headings: list[str] = []
    pending: list[Table] = []
    if body is not None:
        _walk(body, lines, headings, pending)
    flush_tables(pending, lines, headings)
    return tidy_lines(lines, set(headings)), headings


def _walk(element, lines: list[str], headings: list[str], pending: list[Table]) -> None:
    for child in element:
        if child.tag == f"{{{_TABLE}}}table":
            table = make_table(_rows(child))
            if table is not None:
                pending.append(table)
        elif child.tag in (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"):
            text = _text(child).strip()
            if not text:
                continue
            flush_tables(pending, lines, headings)
            lines.append(text)
            if child.tag == f"{{{_TEXT}}}h":
                headings.append(text)
        elif child.tag in (f"{{{_TEXT}}}list", f"{{{_TEXT}}}list-item", f"{{{_TEXT}}}section"):
            _walk(child, lines, headings, pending)


def _rows(table) -> list[list[str]]:
    rows = []
    for row in table.iter(f"{{{_TABLE}}}table-row"):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"):
                continue
            text = " ".join(
                _text(p).strip() for p in cell.iter(f"{{{_TEXT}}}p") if _text(p).strip()
            )
            repeat = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1") or 1)
            cells.extend([text] * min(repeat, _MAX_COLUMNS_REPEATED))
        rows.append(cells)
    return rows


def _text(element) -> str:
    """The text of a paragraph: spans, spaces (text:s), tabs and line breaks included."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1") or 1))
        elif tag in ("tab", "line-break"):
            parts.append(" ")
        elif tag not in ("note", "annotation"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
