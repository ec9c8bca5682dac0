"""Tables → lines: each row a passage that carries its column headers, section rows as headings.

A task table's row reads "TT: 5. · Tên nhiệm vụ: … · Cơ quan chủ trì: Bộ Nội vụ · Thời gian hoàn
thành: 6/2025", so a question about one task finds its row and any renderer can show the fields.
Tables that only lay out a page (the document header, the signature block) keep the old form:
their non-empty cells joined by " | ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELD_SEPARATOR = " · "  # between the fields of a row passage
LABEL_SEPARATOR = ": "  # between a column header and the cell
CELL_SEPARATOR = " | "  # layout tables (no header row): cells side by side

_MAX_LABEL_WORDS = 12
_LAYOUT_WORDS = re.compile(
    r"ĐẢNG CỘNG SẢN|CỘNG HÒA|CỘNG HOÀ|BAN CHẤP HÀNH|Số:|T/M\b|Nơi nhận|\(Đã ký\)", re.IGNORECASE
)
_SECTION_NUMBER = re.compile(r"^(?:[IVXLC]{1,6}|[A-H])\s*[.)-]?$")
_SECTION_TITLE = re.compile(r"^(?:[IVXLC]{1,6}|[A-H])\s*[.)-]\s*\S")
_ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\s*[.)]?$")
_LABELLED_FIELD = re.compile(r"^[^:·|]{1,80}: \S")


@dataclass
class Table:
    """A table as read from a file: header cells and body rows, every row as wide as the header."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.header)


def make_table(rows: list[list[str]]) -> Table | None:
    """A Table from raw rows (the first is the header); None when no row has text."""
    rows = [[cell.strip() for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return None
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    return Table(header=padded[0], rows=padded[1:])


def has_header(table: Table) -> bool:
    """Whether the first row names the columns (a data table) rather than laying out a page."""
    labels = [cell for cell in table.header if cell]
    if len(labels) < 2 or not table.rows:
        return False
    if len(labels) == 2 and len(table.rows) < 2:
        return False
    if any(len(label.split()) > _MAX_LABEL_WORDS for label in labels):
        return False
    return not any(_LAYOUT_WORDS.search(label) for label in labels)


def continues(previous: Table, following: Table) -> bool:
    """Whether following is the rest of previous, cut by a page break (same columns)."""
    if following.width != previous.width or not has_header(previous):
        return False
    if following.header == previous.header:
        return True  # the header row repeated on the new page
    # No header on the new page: its first row is a body row (a number, or the cut row's rest).
    first = following.header[0]
    return not first or bool(_ROW_NUMBER.match(first) or _SECTION_NUMBER.match(first))


def join(previous: Table, following: Table) -> Table:
    """previous with the rows of following appended; a row cut by the page break made whole."""
    repeated = following.header == previous.header
    rows = following.rows if repeated else [following.header, *following.rows]
    merged = [list(row) for row in previous.rows]
    for row in rows:
        if merged and not row[0] and merged[-1][0] and _ROW_NUMBER.match(merged[-1][0]):
            # A row without its number carries on the row above it (split across pages).
            merged[-1] = [
                " ".join(p for p in (a, b) if p) for a, b in zip(merged[-1], row, strict=True)
            ]
        else:
            merged.append(list(row))
    return Table(header=previous.header, rows=merged)


def join_continued(tables: list[Table]) -> list[Table]:
    """Adjacent tables with nothing between them, each continuation joined to the one before."""
    out: list[Table] = []
    for table in tables:
        if out and continues(out[-1], table):
            out[-1] = join(out[-1], table)
        else:
            out.append(table)
    return out


def flush_tables(pending: list[Table], lines: list[str], headings: list[str]) -> None:
    """Write the pending tables (continuations joined) as lines, their captions and section rows
    as headings; pending is emptied."""
    for table in join_continued(pending):
        if has_header(table):
            mark_caption(lines, headings)
        table_text, table_headings = table_lines(table)
        lines.extend(table_text)
        headings.extend(table_headings)
    pending.clear()


def table_lines(table: Table) -> tuple[list[str], list[str]]:
    """Lines for one table, and which of them are headings (its section rows)."""
    if not has_header(table):
        rows = [table.header, *table.rows]
        return [CELL_SEPARATOR.join(c for c in row if c) for row in rows if any(row)], []
    lines: list[str] = []
    headings: list[str] = []
    for row in table.rows:
        section = _section_heading(row)
        if section:
            lines.append(section)
            headings.append(section)
        else:
            text = row_text(table.header, row)
            if text:
                lines.append(text)
    return lines, headings


def row_text(header: list[str], cells: list[str]) -> str:
    """'Tên nhiệm vụ: … · Cơ quan chủ trì: … · Thời hạn: …': the row's non-empty cells, labelled."""
    fields: list[str] = []
    previous = None
    for label, cell in zip(header, cells, strict=False):
        cell = cell.replace(FIELD_SEPARATOR, " - ").strip()
        if not cell or cell == previous:  # a merged cell repeats over the columns it spans
            continue
        previous = cell
        fields.append(f"{label}{LABEL_SEPARATOR}{cell}" if label else cell)
    if len(fields) == 1 and LABEL_SEPARATOR not in fields[0]:
        return fields[0]
    return FIELD_SEPARATOR.join(fields)


def row_fields(text: str) -> list[tuple[str, str]] | None:
    """The (header, value) fields of a row passage, or None when the text is not one."""
    parts = text.split(FIELD_SEPARATOR)
    if len(parts) < 2 or not all(_LABELLED_FIELD.match(part) for part in parts):
        return None
    return [tuple(part.split(LABEL_SEPARATOR, 1)) for part in parts]  # type: ignore[misc]


def is_row_passage(line: str) -> bool:
    """Whether a line is a table row written by row_text."""
    return row_fields(line) is not None


def is_caption(line: str) -> bool:
    """A short line with no final stop right above a table: its caption ('Bảng 1. Nhiệm vụ …')."""
    line = line.strip()
    if not line or line.startswith(("(", "-", "|")) or FIELD_SEPARATOR in line:
        return False
    return len(line.split()) <= 25 and not line.endswith((".", ";", ":", ","))


def mark_caption(lines: list[str], headings: list[str]) -> None:
    """Declare the line above a data table a heading when it reads as the table's caption."""
    last = next((line for line in reversed(lines) if line.strip()), "")
    if last and last not in headings and is_caption(last):
        headings.append(last.strip())


def _section_heading(row: list[str]) -> str:
    """'II. Khẩn trương, …' for a row that names a part of the table ('II.' and one text cell,
    or one cell merged across the row)."""
    filled = list(dict.fromkeys(cell for cell in row if cell))  # a merged cell repeats
    if len(filled) == 1 and _SECTION_TITLE.match(filled[0]):
        return filled[0]
    if len(filled) != 2 or not row[0] or not _SECTION_NUMBER.match(row[0]):
        return ""
    number = row[0].rstrip()
    if not number.endswith((".", ")", "-")):
        number += "."
    return f"{number} {filled[1]}"
