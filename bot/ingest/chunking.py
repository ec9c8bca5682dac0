"""Cutting a Document into Chunks that keep their heading path."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.documents import Chunk, Document, DocumentMeta
from bot.ingest.metadata import DOC_TYPES
from bot.ingest.ocr import SCANNED_KEY
from bot.ingest.tables import FIELD_SEPARATOR, is_row_passage
from bot.text.normalize import fold
from bot.text.sentences import CLAUSE_MARKS, sentence_spans

HEADINGS_KEY = "heading_lines"  # set by the loaders: lines the source marked as headings

# Heading levels, outermost first. Unnumbered headings (Markdown '#', Word heading styles,
# ALL-CAPS lines) open a new part of the document and sit above everything.
_LEVELS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(r"^Phần\s+(?:thứ\s+\w+|[IVXLC]+|\d+)\b", re.IGNORECASE)),
    (1, re.compile(r"^Chương\s+(?:[IVXLC]+|\d+)\b")),
    (2, re.compile(r"^Mục\s+(?:[IVXLC]+|\d+)\b")),
    (3, re.compile(r"^[A-HK-UWYZ]\s*[-.]\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ]")),  # "A- TÌNH HÌNH" (not I/V/X)
    (4, re.compile(r"^Điều\s+\d+[a-z]?\s*[.:]")),
    (5, re.compile(r"^[IVX]{1,6}\s*[-.]\s*\S")),
    (6, re.compile(r"^\d{1,3}\s*[-.]\s*(?!\d)\S")),
    (7, re.compile(r"^\d{1,3}(?:\.\d{1,3})+\s*[.-]?\s+\S|^\d{1,3}(?:\.\d{1,3})+\s*-\s*\S")),
    (8, re.compile(r"^[a-zđ]\)\s*\S")),
]
_UNNUMBERED = -1
_CAPTION = 9  # below every numbered level
_MAX_HEADING_SYLLABLES = 20
_FOOTER_START = re.compile(
    r"^(?:Nơi nhận\b|T/M\b|TM\.|K/T\b|KT\.|T/L\b|TL\.|TUQ\.|\(Đã ký\)|\[đã ký\]|\(đã ký\))"
)
_HEADER_LINE = re.compile(
    r"^(?:Số\b|Số:|V/v\b|Kính gửi\b|\(Kèm theo\b|Độc lập\b|ĐẢNG CỘNG SẢN VIỆT NAM|"
    r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA|PHỤ LỤC\b|\d{1,2}:\d{2}\s+\d{1,2}/\d{1,2}/\d{4}$)"
)
_PLACE_DATE = re.compile(r"^(?:[^\d,]{2,40},\s*)?ngày\b.*\bnăm\s+\d{4}$|^[^\d,]{2,40}, ngày\b")
_TYPE_FOLDS = {fold(k) for k in DOC_TYPES} | {"phu luc"}
_TABLE_SECTION = re.compile(r"^[IVX]{1,6}\.?(?: \| [^|]+)?$")
_HEADER_SCAN = 18
_ROW_MAX_FACTOR = 3  # a table row stays one passage up to this many times max_tokens


@dataclass
class _Paragraph:
    start: int  # offset in doc.text
    end: int
    text: str
    path: tuple[str, ...]
    section: int  # paragraphs of one section are consecutive and share a path
    row: bool = False  # a table row with its column headers: a passage of its own


def chunk_document(doc: Document, max_tokens: int = 300, overlap_sentences: int = 1) -> list[Chunk]:
    """Chunks under their headings, within max_tokens syllables, never across a top heading."""
    paragraphs = _paragraphs(doc)
    pieces: list[tuple[int, int, tuple[str, ...]]] = []
    index = 0
    while index < len(paragraphs):
        section = paragraphs[index].section
        group = []
        while index < len(paragraphs) and paragraphs[index].section == section:
            group.append(paragraphs[index])
            index += 1
        pieces.extend(_pack(doc.text, group, max_tokens, overlap_sentences))
    if not pieces and doc.text.strip():
        # Very short documents (all header) still give one passage.
        text = doc.text.strip()
        start = doc.text.index(text)
        pieces = [(start, start + len(text), ())]
    return [
        Chunk(
            id=f"{doc.id}#{position}",
            doc_id=doc.id,
            position=position,
            text=doc.text[start:end],
            heading_path=path,
            code=doc.meta.code,
            title=cited_title(doc.meta),
            date=doc.meta.date,
        )
        for position, (start, end, path) in enumerate(pieces)
    ]


def _paragraphs(doc: Document) -> list[_Paragraph]:
    """Body paragraphs with their heading paths; header, headings and signature blocks left out."""
    declared = {h for h in doc.meta.extra.get(HEADINGS_KEY, "").split("\n") if h}
    lines: list[tuple[int, str]] = []
    offset = 0
    for raw in doc.text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lines.append((offset + raw.index(stripped), stripped))
        offset += len(raw) + 1
    body_start = _header_end([text for _, text in lines], doc)
    paragraphs: list[_Paragraph] = []
    stack: list[tuple[int, str]] = []
    section = 0
    in_footer = in_subheader = False
    article = doc.meta.source_kind == "article"
    for number, (start, text) in enumerate(lines):
        if number < body_start:
            continue
        if in_footer:
            if not (text in declared or _opens_part(text)):
                continue
            in_footer, in_subheader = False, True  # a new part (attached programme, appendix)
            stack.clear()
        elif in_subheader:
            if _is_header_line(text) or _is_type_line(text):
                continue
            in_subheader = False
        level = _heading_level(text, text in declared, article, lines, number)
        if _FOOTER_START.match(text):
            in_footer = True
            section += 1
            continue
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text))
            section += 1
            continue
        path = tuple(heading for _, heading in stack)
        row = is_row_passage(text)
        paragraphs.append(_Paragraph(start, start + len(text), text, path, section, row))
    return paragraphs


def _header_end(lines: list[str], doc: Document) -> int:
    """Index of the first body line: after the header block, type line and trích yếu."""
    if doc.meta.source_kind == "article":
        end = 0
        while end < min(len(lines), 3) and (
            lines[end] == doc.meta.title or re.match(r"^\d{1,2}:\d{2}\s", lines[end])
        ):
            end += 1
        return end
    end = 0
    after_type = None
    declared = {h for h in doc.meta.extra.get(HEADINGS_KEY, "").split("\n") if h}
    for index, line in enumerate(lines[:_HEADER_SCAN]):
        if index < 2 and line in declared and not _numbered_level(line):
            end = index + 1  # a file title above the header ("# Nghị quyết 20 - 2012")
            continue
        if _is_type_line(line) or (end == index and fold(line).startswith("phu luc ")):
            after_type = index
            end = index + 1
            continue
        if _is_header_line(line) or (
            line.startswith("- ") and end == index and _addressed(lines, index)
        ):
            end = index + 1
            continue
        if (
            after_type is not None
            and index - after_type <= 5
            and end == index
            and _is_summary(line)
        ):
            end = index + 1
            continue
        break
    return end


def _opens_part(line: str) -> bool:
    """An ALL-CAPS line opening an attached part: 'CHƯƠNG TRÌNH HÀNH ĐỘNG …', 'PHỤ LỤC I'."""
    folded = fold(line)
    return _is_caps(line) and any(folded.startswith(t) for t in _TYPE_FOLDS)


def _addressed(lines: list[str], index: int) -> bool:
    """A bullet within the 'Kính gửi:' list of a letter."""
    for line in reversed(lines[:index]):
        if not line.startswith("- "):
            return line.startswith("Kính gửi")
    return False


def _is_type_line(line: str) -> bool:
    folded = fold(line).strip(" .:")
    if folded in _TYPE_FOLDS:
        return _is_caps(line)
    return any(folded.startswith(t + " so ") for t in _TYPE_FOLDS)


def _is_header_line(line: str) -> bool:
    if _HEADER_LINE.match(line) or _PLACE_DATE.match(line):
        return True
    return _is_caps(line) and len(line.split()) <= 14 and not _numbered_level(line)


def _is_summary(line: str) -> bool:
    """A line of the trích yếu under the type line ('về đột phá phát triển …')."""
    if " | " in line or FIELD_SEPARATOR in line or _TABLE_SECTION.match(line):
        return False
    return len(line.split()) <= 45 and not line.endswith((".", ";")) and not _numbered_level(line)


def _numbered_level(line: str) -> int | None:
    for level, pattern in _LEVELS:
        if pattern.match(line):
            return level
    return None


def _heading_level(
    text: str, declared: bool, article: bool, lines: list[tuple[int, str]], number: int
) -> int | None:
    """The heading level of a line, or None for a paragraph (numbered paragraphs included)."""
    if _TABLE_SECTION.match(text):
        return 5  # a table row naming a part ("II. | Khẩn trương, …"): rows below sit under it
    if " | " in text or FIELD_SEPARATOR in text or text.startswith("- "):
        return None
    if text.endswith((".", ";", ":", ",")):
        return None
    if _HEADER_LINE.match(text):
        return None
    level = _numbered_level(text)
    syllables = len(text.split())
    if level is not None:
        if declared or syllables <= _MAX_HEADING_SYLLABLES:
            return level
        return None
    if declared:
        following = lines[number + 1][1] if number + 1 < len(lines) else ""
        if not _is_caps(text) and is_row_passage(following):
            return _CAPTION  # a table's caption sits under the headings above the table
        return _UNNUMBERED
    if _is_caps(text) and syllables <= 20:
        return _UNNUMBERED
    if article and syllables <= 15 and number + 1 < len(lines) and text[0].isupper():
        # A news subheading: a short line with no final stop, followed by a paragraph.
        following = lines[number + 1][1]
        if len(following.split()) > 25:
            return _UNNUMBERED
    return None


def _is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _tokens(text: str) -> int:
    return len(text.split())


def _pack(
    full: str, group: list[_Paragraph], max_tokens: int, overlap: int
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Spans of full text: consecutive paragraphs packed to max_tokens, long ones cut on sentences."""
    path = group[0].path
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    current: list[_Paragraph] = []
    size = 0
    for para in group:
        count = _tokens(para.text)
        if para.row:
            # One row, one passage: a question about one task finds that task with its headers.
            if current:
                spans.append((current[0].start, current[-1].end, path))
                current, size = [], 0
            if count <= _ROW_MAX_FACTOR * max_tokens:
                spans.append((para.start, para.end, path))
            else:
                spans.extend((s, e, path) for s, e in _split_long(full, para, max_tokens, overlap))
            continue
        if current and size + count > max_tokens:
            spans.append((current[0].start, current[-1].end, path))
            current, size = [], 0
        if count > max_tokens:
            spans.extend((s, e, path) for s, e in _split_long(full, para, max_tokens, overlap))
            continue
        current.append(para)
        size += count
    if current:
        spans.append((current[0].start, current[-1].end, path))
    return spans


def _split_long(
    full: str, para: _Paragraph, max_tokens: int, overlap: int
) -> list[tuple[int, int]]:
    """Windows of whole sentences within max_tokens, each repeating `overlap` sentences."""
    sentences = [
        (para.start + s, para.start + e) for s, e in sentence_spans(para.text, CLAUSE_MARKS)
    ]
    windows: list[tuple[int, int]] = []
    index = 0
    while index < len(sentences):
        first = index
        size = 0
        while index < len(sentences):
            count = _tokens(full[sentences[index][0] : sentences[index][1]])
            if size and size + count > max_tokens:
                break
            size += count
            index += 1
        if size > max_tokens:  # one sentence longer than a chunk: cut it on words
            windows.extend(_split_words(full, *sentences[first], max_tokens))
        else:
            windows.append((sentences[first][0], sentences[index - 1][1]))
        if index < len(sentences) and overlap:
            index = max(first + 1, index - overlap)
    return windows


def _split_words(full: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", full[start:end])]
    return [
        (words[i][0], words[min(i + max_tokens, len(words)) - 1][1])
        for i in range(0, len(words), max_tokens)
    ]


# --- sentences ---------------------------------------------------------------------------------


def cited_title(meta: DocumentMeta) -> str | None:
    """The title citations show; a news article says so, lest its words pass for the document's."""
    title = meta.title
    if meta.source_kind == "article" and title:
        title = f"Bài báo: {title}"
    if meta.extra.get(SCANNED_KEY) == "1":
        # Quotes from OCR may differ from the paper: every citation says it is a scan.
        title = f"Bản quét: {title}" if title else "Bản quét"
    return title
