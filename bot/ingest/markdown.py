"""Markdown (Google-Docs export) → plain text lines, remembering which lines were headings."""

from __future__ import annotations

import re

from bot.ingest.tables import (
    Table,
    flush_tables,
    make_table,
)

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_RULE_RE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_HEADING_RE = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_SEP_CELL_RE = re.compile(r"^:?-{2,}:?$")
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'])")
_BULLET_RE = re.compile(r"^\s*[*+•-]\s+")
_STRONG_RE = re.compile(r"\*\*|__")
_EM_STAR_RE = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_EM_UNDERSCORE_RE = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_NUMBERED_START_RE = re.compile(
    r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđA-ZĐ])\s*[.)-]|^(?:Phần|Chương|Mục|Điều)\s", re.IGNORECASE
)
_ESCAPED_PIPE = "\x00"


def markdown_to_lines(source: str) -> tuple[list[str], list[str]]:
    """Lines of text without markup, and the subset that were headings (#, or bold numbered)."""
    lines: list[str] = []
    headings: list[str] = []
    raw_lines = source.splitlines()
    pending: list[Table] = []  # tables with only blank lines since: a page break may split one

    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i]
        if raw.lstrip().startswith("|"):
            rows, i = _table_rows(raw_lines, i)
            table = make_table(rows)
            if table is not None:
                pending.append(table)
            continue
        i += 1
        if pending and not raw.strip():
            continue
        flush_tables(pending, lines, headings)
        if _FENCE_RE.match(raw) or _RULE_RE.match(raw):
            lines.append("")
            continue
        heading = _HEADING_RE.match(raw)
        if heading:
            text = clean_inline(heading.group(2))
            if text:
                lines.append(text)
                headings.append(text)
            continue
        bullet = _BULLET_RE.match(raw)
        body = raw[bullet.end() :] if bullet else raw
        text = clean_inline(body)
        if bullet:
            text = f"- {text}" if text else "-"
        elif _is_bold_numbered(body.strip()) and text:
            headings.append(text)
        lines.append(text)
    flush_tables(pending, lines, headings)
    return lines, headings


def clean_inline(text: str) -> str:
    """One line without emphasis, escapes, links or images; spaces trimmed."""
    text = _IMAGE_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    text = text.replace("\\*", "\x01").replace("\\_", "\x02")
    text = _STRONG_RE.sub("", text)
    text = _EM_STAR_RE.sub(r"\1", text)
    text = _EM_UNDERSCORE_RE.sub(r"\1", text)
    text = _ESCAPE_RE.sub(r"\1", text)
    text = text.replace("\x01", "*").replace("\x02", "_")
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return text.strip()


def _table_rows(raw_lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """The rows of the table starting at line i (separator rows left out), and the next line."""
    rows: list[list[str]] = []
    while i < len(raw_lines) and raw_lines[i].lstrip().startswith("|"):
        # A table row may spill over several lines until it is closed by '|'.
        row = raw_lines[i].strip()
        i += 1
        while not row.endswith("|") and i < len(raw_lines) and raw_lines[i].strip():
            row += " " + raw_lines[i].strip()
            i += 1
        cells = _table_cells(row)
        if cells is not None:
            rows.append(cells)
    return rows, i


def _table_cells(row: str) -> list[str] | None:
    """Every cell of a table row, empty ones included (they hold a column's place); None for
    a separator row."""
    row = row.replace("\\|", _ESCAPED_PIPE).strip()
    row = row.removeprefix("|").removesuffix("|")
    cells = [clean_inline(cell.replace(_ESCAPED_PIPE, "|")) for cell in row.split("|")]
    if all(_TABLE_SEP_CELL_RE.match(cell.replace(" ", "")) or not cell for cell in cells):
        return None
    # Google Docs draws underlines in header tables with runs of dashes: not text.
    return [re.sub(r"\s*-{3,}\s*", " ", cell).strip() for cell in cells]


def _is_bold_numbered(line: str) -> bool:
    """A numbered line that is bold over most of its length: a heading in Google-Docs exports."""
    if not line.startswith(("**", "__")):
        return False
    plain = clean_inline(line)
    if not plain or plain.endswith((".", ";", ":")) or not _NUMBERED_START_RE.match(plain):
        return False
    bold_chars = sum(len(part) for part in re.findall(r"\*\*(.+?)\*\*", line))
    return bold_chars >= 0.6 * len(plain)
