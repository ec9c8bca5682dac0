"""Rich Text Format (.rtf, what Word and LibreOffice save as "RTF"): paragraphs, headings, tables.

A small reader in Python, no outside program: Unicode (\\uN) and code-page bytes (\\'hh, in the
file's \\ansicpg, cp1258 for Vietnamese Windows) are decoded; font, colour and style tables,
pictures, headers, footers and field codes are left out; paragraphs in a heading style (or with
an outline level) are headings; table rows (\\cell … \\row) become row passages with their column
headers, as in .docx.
"""

from __future__ import annotations

import re

from bot.ingest.errors import UnusableFile
from bot.ingest.lines import tidy_lines
from bot.ingest.tables import Table, flush_tables, make_table

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+",
    re.DOTALL,
)
# Groups whose text is not the document's: tables of fonts, colours, styles; metadata; pictures;
# page headers and footers; field instructions (the field's result is kept).
_SKIPPED = frozenset(
    """fonttbl colortbl stylesheet info pict object header footer headerl headerr headerf
    footerl footerr footerf footnote fldinst listtable listoverridetable rsidtbl generator
    xmlnstbl themedata colorschememapping latentstyles datastore pgdsctbl filetbl revtbl
    bkmkstart bkmkend shppict nonshppict xe tc""".split()
)
_SYMBOLS = {
    "emdash": "—",
    "endash": "–",
    "bullet": "•",
    "lquote": "‘",
    "rquote": "’",
    "ldblquote": "“",
    "rdblquote": "”",
    "tab": " ",
    "emspace": " ",
    "enspace": " ",
    "qmspace": " ",
}
_LITERALS = {"~": " ", "_": "-", "-": "", "\\": "\\", "{": "{", "}": "}"}
_MAX_DEPTH = 200  # nested groups kept track of; deeper ones are malformed


class _Reader:
    """Walks the tokens once, writing paragraphs, headings and tables as it meets them."""

    def __init__(self, codepage: str) -> None:
        self.codepage = codepage
        self.lines: list[str] = []
        self.headings: list[str] = []
        self.pending: list[Table] = []
        self.styles: dict[int, str] = {}
        self.text: list[str] = []  # the current paragraph (or cell)
        self.cells: list[str] = []  # the current table row
        self.rows: list[list[str]] = []  # the current table
        self.style = 0
        self.outline = False
        self.in_table = False

    def paragraph(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.text)).strip()
        self.text = []
        if self.in_table:  # a paragraph break inside a cell: the cell goes on
            if text:
                self.text = [text, " "]
            return
        self._end_table()
        if text:
            flush_tables(self.pending, self.lines, self.headings)
            self.lines.append(text)
            name = self.styles.get(self.style, "").lower()
            if self.outline or name.startswith(("heading", "title")):
                self.headings.append(text)

    def cell(self) -> None:
        self.cells.append(re.sub(r"\s+", " ", "".join(self.text)).strip())
        self.text = []

    def row(self) -> None:
        if self.text and "".join(self.text).strip():
            self.cell()
        self.text = []
        if self.cells:
            self.rows.append(self.cells)
        self.cells = []

    def _end_table(self) -> None:
        if self.rows:
            table = make_table(self.rows)
            if table is not None:
                self.pending.append(table)
        self.rows = []

    def finish(self) -> tuple[list[str], list[str]]:
        self.in_table = False
        self.paragraph()
        self._end_table()
        flush_tables(self.pending, self.lines, self.headings)
        return self.lines, self.headings


def rtf_lines(data: bytes) -> tuple[list[str], list[str]]:
    """Lines of an .rtf (tables as row passages with their headers), and its headings."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise UnusableFile("tệp .rtf hỏng (không bắt đầu bằng {\\rtf)")
    match = re.search(rb"\\ansicpg(\d{3,5})", data[:2000])
    codepage = f"cp{int(match.group(1))}" if match else "cp1252"
    try:
        "".encode(codepage)
    except LookupError:
        codepage = "cp1252"
    reader = _Reader(codepage)
    _walk(data, reader)
    lines, headings = reader.finish()
    return tidy_lines(lines, set(headings)), headings


def _walk(data: bytes, reader: _Reader) -> None:
    # Per group: (skipped, unicode fallback length, in the style table).
    stack: list[tuple[bool, int, bool]] = []
    skip, uc, in_styles = False, 1, False
    pending_skip = 0  # fallback characters still to drop after a \uN
    raw = bytearray()  # \'hh bytes not yet decoded (a multi-byte code page needs them together)
    style_name: list[str] = []
    style_number = 0
    destination_mark = False  # \* just seen: an unknown destination that follows is skipped

    def emit(text: str) -> None:
        nonlocal pending_skip
        if pending_skip:
            dropped = min(pending_skip, len(text))
            text, pending_skip = text[dropped:], pending_skip - dropped
        if not text or skip:
            return
        if in_styles:
            style_name.append(text)
        else:
            reader.text.append(text)

    def flush_raw() -> None:
        if raw:
            emit(bytes(raw).decode(reader.codepage, "replace"))
            raw.clear()

    for token in _TOKEN.finditer(data):
        word, number, hex_byte, symbol, brace, text = token.groups()
        if hex_byte is not None:
            if pending_skip:
                pending_skip -= 1
            elif not skip:
                raw.append(int(hex_byte, 16))
            continue
        flush_raw()
        if brace == b"{":
            if len(stack) >= _MAX_DEPTH:
                raise UnusableFile("tệp .rtf hỏng (lồng nhóm quá sâu)")
            stack.append((skip, uc, in_styles))
            destination_mark = False
        elif brace == b"}":
            if in_styles and not skip and style_name:
                reader.styles[style_number] = "".join(style_name).strip().rstrip(";").strip()
            style_name = []
            skip, uc, in_styles = stack.pop() if stack else (False, 1, False)
        elif text is not None:
            emit(text.decode(reader.codepage, "replace"))
        elif symbol is not None:
            char = symbol.decode("latin-1")
            if char == "*":
                destination_mark = True
            elif char in _LITERALS:
                emit(_LITERALS[char])
        elif word is not None:
            name = word.decode("ascii")
            value = int(number) if number is not None else None
            if destination_mark or name in _SKIPPED:
                destination_mark = False
                if name == "stylesheet":
                    in_styles = True
                else:  # in the style table too: character styles (\*\csN) name no paragraph
                    skip = True
                continue
            if skip:
                continue
            if in_styles:
                if name == "s" and value is not None:
                    style_number, style_name = value, []
                continue
            if name == "u" and value is not None:
                emit(chr(value % 65536))
                pending_skip = uc
            elif name == "uc" and value is not None:
                uc = value
            elif name in _SYMBOLS:
                emit(_SYMBOLS[name])
            elif name in ("par", "sect", "page"):
                reader.paragraph()
            elif name == "line":
                emit(" ")
            elif name == "pard":
                reader.style, reader.outline, reader.in_table = 0, False, False
            elif name == "s" and value is not None:
                reader.style = value
            elif name == "outlinelevel":
                reader.outline = value is not None and 0 <= value <= 8
            elif name == "intbl":
                reader.in_table = True
            elif name in ("cell", "nestcell"):
                reader.cell()
            elif name == "row":
                reader.row()
    flush_raw()
