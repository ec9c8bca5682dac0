"""Answer → text a member reads: plain text for the terminal, Telegram HTML split to ≤ 4096."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.answer import Answer, Citation, Quote, short_title
from bot.documents import Chunk, DocumentMeta

if TYPE_CHECKING:
    from bot.knowledge_base import DocumentInfo

TELEGRAM_LIMIT = 4096
# Below the hard limit: Telegram counts UTF-16 units after entity parsing; we count the raw
# HTML (never shorter) and keep a margin for the client's own additions.
MESSAGE_BUDGET = 4000

MAX_ENTITIES = 100  # formatting entities per message: stay within what clients render
_OPEN_TAG = re.compile(r"<(?:b|i|blockquote|code)>")

NOT_FOUND = "Xin lỗi, tôi không tìm thấy nội dung này trong các văn bản hiện có."
QUOTES_HEADER = "Trích nguyên văn từ văn bản:"
MORE_SOURCES = "Nguồn khác:"
TRY_HEADER = "Bạn có thể thử:"

# A paragraph is a run of (tags, text) segments; text is raw (escaped only when rendered).
Segment = tuple[tuple[str, ...], str]
Paragraph = list[Segment]


def format_date(date: str | None) -> str:
    """ISO '2024-12-22' as members read it: '22/12/2024' (other forms unchanged)."""
    if not date:
        return ""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date.strip())
    if m:
        return f"{m.group(3)}/{m.group(2)}/{m.group(1)}"
    m = re.fullmatch(r"(\d{4})-(\d{2})", date.strip())
    return f"{m.group(2)}/{m.group(1)}" if m else date


def short_heading(heading: str, limit: int = 70) -> str:
    """The heading path with each over-long heading (a table row, a long title) cut with '…'."""
    return " › ".join(short_title(part, limit) for part in heading.split(" › ") if part)


def citation_parts(
    code: str | None, title: str | None, heading: str, date: str | None, doc_id: str = ""
) -> list[str]:
    """The pieces of a citation line: code (or document), short title, heading path, date."""
    parts = [
        code or ("" if title else doc_id),
        short_title(title),
        short_heading(heading),
        format_date(date),
    ]
    return [p for p in parts if p]


def citation_line(citation: Citation) -> str:
    """'57-NQ/TW · về đột phá phát triển khoa học… · II- MỤC TIÊU › 1. Đến năm 2030 · 22/12/2024'."""
    return " · ".join(
        citation_parts(
            citation.code, citation.title, citation.heading, citation.date, citation.doc_id
        )
    )


def _quote_text(quote: Quote) -> str:
    # The cut marks sit outside the verbatim text.
    return f"“{'… ' if quote.cut_before else ''}{quote.text}{' …' if quote.cut_after else ''}”"


def _quote_citation(answer: Answer, quote: Quote) -> Citation:
    found = answer.citation_for(quote)
    if found is not None:
        return found
    return Citation(quote.chunk_id, quote.doc_id, quote.code, None, quote.heading, None, 0.0, "")


def _further(answer: Answer) -> list[Citation]:
    quoted = {q.chunk_id for q in answer.quotes}
    return [c for c in answer.citations if c.chunk_id not in quoted]


# ---------------------------------------------------------------- plain text


def render_plain(answer: Answer) -> str:
    """The answer as terminal text: quotes with citation lines, then the further sources."""
    if answer.reply is not None:
        return answer.reply
    if not answer.found:
        lines = [NOT_FOUND]
        if answer.suggestions:
            lines += ["", TRY_HEADER]
            lines += [f"• {s}" for s in answer.suggestions]
        return "\n".join(lines)
    blocks = [*answer.notes, QUOTES_HEADER]
    for quote in answer.quotes:
        cite = _quote_citation(answer, quote)
        blocks.append(f"{_quote_text(quote)}\n   — {citation_line(cite)}")
    further = _further(answer)
    if further:
        lines = [MORE_SOURCES]
        lines += [f"{i}. {citation_line(c)}" for i, c in enumerate(further, 1)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# ---------------------------------------------------------------- Telegram HTML


def telegram_length(text: str) -> int:
    """Length in UTF-16 code units (how Telegram counts), of raw HTML: an upper bound."""
    return len(text.encode("utf-16-le")) // 2


def _open(tags: Sequence[str]) -> str:
    return "".join(f"<{t}>" for t in tags)


def _close(tags: Sequence[str]) -> str:
    return "".join(f"</{t}>" for t in reversed(tags))


def _wrap(tags: Sequence[str], text: str) -> str:
    return f"{_open(tags)}{html.escape(text, quote=False)}{_close(tags)}" if text else ""


def _paragraph_html(paragraph: Paragraph) -> str:
    return "".join(_wrap(tags, text) for tags, text in paragraph)


def _cost(text: str) -> int:
    return telegram_length(html.escape(text, quote=False))


def _entities(message: str) -> int:
    return len(_OPEN_TAG.findall(message))


def _cut_point(text: str, room: int) -> int:
    """Where to cut text so its escaped form fits room: a line, sentence or word boundary."""
    lo, hi = 0, len(text)
    while lo < hi:  # largest prefix that fits
        mid = (lo + hi + 1) // 2
        if _cost(text[:mid]) <= room:
            lo = mid
        else:
            hi = mid - 1
    n = lo
    if n >= len(text):
        return len(text)
    head = text[:n]
    for pattern in (r"\n", r"[.!?;…]\s", r"\s"):
        cuts = [m.end() for m in re.finditer(pattern, head)]
        if cuts and cuts[-1] >= n // 3:
            return cuts[-1]
    # One enormous word: cut anywhere, but never between a surrogate-pair's halves.
    return max(n, 1)


def _split_paragraph(
    paragraph: Paragraph, budget: int, first_budget: int | None = None
) -> list[str]:
    """An over-long paragraph as several HTML parts, tags closed and reopened at each cut."""
    parts: list[str] = []
    current = ""
    for tags, text in paragraph:
        overhead = telegram_length(_open(tags) + _close(tags))
        while text:
            limit = first_budget if first_budget is not None and not parts else budget
            room = limit - telegram_length(current) - overhead
            if _cost(text) <= room:
                current += _wrap(tags, text)
                break
            if room < 40 and (current or limit != budget):  # too little left: a new part
                parts.append(current)
                current = ""
                continue
            n = _cut_point(text, max(room, 1))
            piece, text = text[:n].rstrip(), text[n:].lstrip()
            current += _wrap(tags, piece)
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    return parts


def pack_messages(
    paragraphs: Sequence[Paragraph], budget: int = MESSAGE_BUDGET, separator: str = "\n\n"
) -> list[str]:
    """Join paragraphs into as few messages as fit, splitting only on paragraph boundaries."""
    messages: list[str] = []
    current = ""
    for paragraph in paragraphs:
        rendered = _paragraph_html(paragraph)
        if telegram_length(rendered) <= budget:
            pieces = [rendered]
        else:
            # The first piece fills what the current message has left.
            left = budget - telegram_length(current + separator) if current else budget
            pieces = _split_paragraph(paragraph, budget, first_budget=left)
        for piece in pieces:
            if not piece.strip():
                continue
            if not current:
                current = piece
            elif (
                telegram_length(current + separator + piece) <= budget
                and _entities(current) + _entities(piece) <= MAX_ENTITIES
            ):
                current += separator + piece
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _citation_segments(
    code: str | None, title: str | None, heading: str, date: str | None, doc_id: str
) -> Paragraph:
    segments: Paragraph = []
    name = code or ("" if title else doc_id)
    if name:
        segments.append((("b",), name))
    rest = [p for p in (short_title(title), short_heading(heading), format_date(date)) if p]
    if rest:
        segments.append(((), (" · " if name else "") + " · ".join(rest)))
    return segments


def answer_paragraphs(answer: Answer) -> list[Paragraph]:
    """The answer as paragraphs of tagged segments (shared by the HTML renderer and splitters)."""
    if answer.reply is not None:
        return [[((), answer.reply)]]
    if not answer.found:
        paragraphs: list[Paragraph] = [[((), NOT_FOUND)]]
        if answer.suggestions:
            tips: Paragraph = [(("b",), TRY_HEADER)]
            for s in answer.suggestions:
                tips.append(((), f"\n• {s}"))
            paragraphs.append(tips)
        return paragraphs
    paragraphs = [[((), note)] for note in answer.notes]
    paragraphs.append([(("b",), QUOTES_HEADER)])
    for quote in answer.quotes:
        cite = _quote_citation(answer, quote)
        paragraph: Paragraph = [(("blockquote",), _quote_text(quote)), ((), "— ")]
        paragraph += _citation_segments(cite.code, cite.title, cite.heading, cite.date, cite.doc_id)
        paragraphs.append(paragraph)
    further = _further(answer)
    if further:
        sources: Paragraph = [(("b",), MORE_SOURCES)]
        for i, c in enumerate(further, 1):
            sources.append(((), f"\n{i}. "))
            sources += _citation_segments(c.code, c.title, c.heading, c.date, c.doc_id)
        paragraphs.append(sources)
    return paragraphs


def render_html(answer: Answer) -> list[str]:
    """The answer as Telegram HTML messages, each within Telegram's 4096-character limit."""
    return pack_messages(answer_paragraphs(answer))


def render_passage_html(chunk: Chunk, meta: DocumentMeta | None = None) -> list[str]:
    """The full passage under its heading path, for the 'Xem nguyên văn' button."""
    code = chunk.code or (meta.code if meta else None)
    title = chunk.title or (meta.title if meta else None)
    date = chunk.date or (meta.date if meta else None)
    head: Paragraph = []
    name = code or chunk.doc_id
    head.append((("b",), name))
    rest = [p for p in (short_title(title, 120), format_date(date)) if p]
    if rest:
        head.append(((), " · " + " · ".join(rest)))
    if chunk.heading:
        head.append(((), "\n"))
        head.append((("i",), chunk.heading))
    paragraphs = [head]
    for block in re.split(r"\n\s*\n", chunk.text):
        if block.strip():
            paragraphs.append([((), block.strip())])
    return pack_messages(paragraphs)


def render_documents_html(documents: Sequence[DocumentInfo]) -> list[str]:
    """The /vanban list: code, date and title of each indexed document."""
    if not documents:
        return pack_messages([[((), "Chưa có văn bản nào trong kho.")]])
    paragraphs: list[Paragraph] = [[(("b",), f"Các văn bản hiện có ({len(documents)}):")]]
    for i, doc in enumerate(documents, 1):
        line: Paragraph = [((), f"{i}. "), (("b",), doc.code or doc.doc_id)]
        date = format_date(doc.date)
        if date:
            line.append(((), f" ({date})"))
        if doc.title:
            line.append(((), f" — {short_title(doc.title, 120)}"))
        paragraphs.append(line)
    return pack_messages(paragraphs, separator="\n")
