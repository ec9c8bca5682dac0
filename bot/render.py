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

NOT_FOUND = (
    "Các văn bản hiện có chưa nói đến nội dung này, tôi không tìm thấy đoạn nào để trích. "
    "Tôi đã ghi lại để Văn phòng Đảng ủy bổ sung khi có văn bản phù hợp."
)
QUOTES_HEADER = "Trích nguyên văn:"
MORE_SOURCES = "Đoạn liên quan khác (bấm «Thêm kết quả» để xem):"
TRY_HEADER = "Đồng chí có thể thử:"
KIND_LABELS = {"draft": "Dự thảo", "article": "Bài báo", "scan": "Bản quét"}
SCAN_TITLE = "Bản quét"
_NUMBERING = re.compile(
    r"^\s*(?:(?:Phần|Chương|Mục|Điều)\s+)?([IVXLC]+|\d{1,3}(?:\.\d{1,3})*|[a-zđ])\s*[-.)]"
)

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


def section_reference(heading: str) -> str:
    """'III- NHIỆM VỤ, GIẢI PHÁP › 6. Thúc đẩy…' → 'mục III.6'; an unnumbered heading, cut."""
    parts = [p for p in heading.split(" › ") if p]
    if not parts:
        return ""
    numbers = [m.group(1) for m in (_NUMBERING.match(p) for p in parts) if m]
    if len(numbers) == len(parts):
        return "mục " + ".".join(numbers)
    return short_title(parts[-1] if numbers else parts[0], 40)


def short_citation(
    code: str | None,
    heading: str,
    date: str | None,
    doc_id: str = "",
    title: str | None = None,
    source_kind: str = "document",
) -> str:
    """'57-NQ/TW (22/12/2024), mục III.6' — short enough for one line on a phone."""
    name = code or short_title(title, 50) or doc_id
    if source_kind == "document" and code and (title or "").startswith(SCAN_TITLE):
        source_kind = "scan"  # read by OCR: bot.ingest.chunking.cited_title says so in the title
    label = KIND_LABELS.get(source_kind, "")
    if label:
        name = f"{label} {name}" if source_kind != "article" else f"{label} về {name}"
    date_text = format_date(date)
    text = f"{name} ({date_text})" if date_text else name
    reference = section_reference(heading)
    return f"{text}, {reference}" if reference else text


def citation_line(citation: Citation) -> str:
    """'57-NQ/TW · về đột phá phát triển khoa học… · II- MỤC TIÊU › 1. Đến năm 2030 · 22/12/2024'."""
    return " · ".join(
        citation_parts(
            citation.code, citation.title, citation.heading, citation.date, citation.doc_id
        )
    )


def _quote_text(quote: Quote, marks: bool = True) -> str:
    # The cut marks sit outside the verbatim text; a text already in quote marks gets none.
    text = f"{'… ' if quote.cut_before else ''}{quote.text}{' …' if quote.cut_after else ''}"
    if not marks or quote.text[:1] in '“"«' or "\n" in quote.text:
        return text
    return f"“{text}”"


def _short(cite: Citation) -> str:
    return short_citation(
        cite.code, cite.heading, cite.date, cite.doc_id, cite.title, cite.source_kind
    )


def _further_documents(answer: Answer) -> list[str]:
    """Other passages, one line per document: '20-NQ/TW (01/11/2012): 3 đoạn'."""
    counts: dict[str, list[Citation]] = {}
    for c in _further(answer):
        counts.setdefault(c.doc_id, []).append(c)
    lines = []
    for cites in counts.values():
        first = cites[0]
        name = short_citation(
            first.code, "", first.date, first.doc_id, first.title, first.source_kind
        )
        lines.append(f"{name}: {len(cites)} đoạn")
    return lines


def _lead_paragraphs(answer: Answer) -> list[tuple[str, str]]:
    """(style, text) lines before the quotes: how the question was read, notes, the lead."""
    lines: list[tuple[str, str]] = []
    if answer.asked:
        lines.append(("i", f"Hiểu là: {answer.asked}"))
    if answer.kind != "list":
        lines.extend(("", note) for note in answer.notes)
    if answer.lead:
        lines.append(("b", answer.lead))
    return lines


def _refusal_lines(answer: Answer) -> list[str]:
    return [answer.reply or NOT_FOUND]


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
    """The answer as terminal text (the same paragraphs as Telegram, without markup)."""
    return "\n\n".join(
        "".join(text + ("\n" if "blockquote" in tags else "") for tags, text in paragraph)
        for paragraph in answer_paragraphs(answer)
    )


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
    """The answer as paragraphs of tagged segments (shared by the HTML and plain renderers)."""
    if not answer.found:
        paragraphs: list[Paragraph] = []
        if answer.asked:
            paragraphs.append([(("i",), f"Hiểu là: {answer.asked}")])
        paragraphs.append([((), line) for line in _refusal_lines(answer)])
        if answer.suggestions:
            tips: Paragraph = [(("b",), TRY_HEADER)]
            for s in answer.suggestions:
                tips.append(((), f"\n• {s}"))
            paragraphs.append(tips)
        return paragraphs
    paragraphs = [[((style,) if style else (), text)] for style, text in _lead_paragraphs(answer)]
    if answer.kind == "list":
        paragraphs.append(_list_paragraph(answer))
        paragraphs.extend([((), note)] for note in answer.notes)
    elif answer.kind == "comparison":
        paragraphs.extend(_comparison_paragraphs(answer))
    else:
        if not answer.lead:
            paragraphs.append([(("b",), QUOTES_HEADER)])
        for quote in answer.quotes:
            cite = _quote_citation(answer, quote)
            paragraphs.append([(("blockquote",), _quote_text(quote)), ((), "— " + _short(cite))])
    further = _further_documents(answer) if answer.kind == "quote" else []
    if further:
        sources: Paragraph = [(("i",), MORE_SOURCES)]
        for line in further:
            sources.append(((), f"\n• {line}"))
        paragraphs.append(sources)
    return paragraphs


def _list_paragraph(answer: Answer) -> Paragraph:
    """A section's items one a line, numbered as the document numbers them."""
    segments: Paragraph = []
    for i, quote in enumerate(answer.quotes):
        prefix = "" if i == 0 else "\n"
        if quote.label == "#":  # a sub-heading among the items
            segments.append(((), prefix))
            segments.append((("b",), _quote_text(quote, marks=False)))
            continue
        label = f"{quote.label} " if quote.label else ""
        segments.append(((), prefix + label + _quote_text(quote, marks=False)))
    return segments


def _comparison_paragraphs(answer: Answer) -> list[Paragraph]:
    """One block per document: its name, then its quotes."""
    blocks: dict[str, list[Quote]] = {}
    for quote in answer.quotes:
        blocks.setdefault(quote.doc_id, []).append(quote)
    paragraphs: list[Paragraph] = []
    for quotes in blocks.values():
        cite = _quote_citation(answer, quotes[0])
        name = short_citation(cite.code, "", cite.date, cite.doc_id, cite.title, cite.source_kind)
        block: Paragraph = [(("b",), name + ":")]
        for quote in quotes:
            qcite = _quote_citation(answer, quote)
            reference = section_reference(qcite.heading)
            block.append(((), "\n"))
            block.append((("blockquote",), _quote_text(quote)))
            if reference:
                block.append(((), f"— {reference}"))
        paragraphs.append(block)
    return paragraphs


FURTHER_HEADER = "Các kết quả tiếp theo cho câu hỏi của đồng chí:"


def render_html(answer: Answer, further: bool = False) -> list[str]:
    """The answer as Telegram HTML messages, each within Telegram's 4096-character limit;
    further=True heads them as the next results ('Thêm kết quả')."""
    paragraphs = answer_paragraphs(answer)
    if further:
        paragraphs = [[(("i",), FURTHER_HEADER)], *paragraphs]
    return pack_messages(paragraphs)


def _highlighted(block: str, highlight: Sequence[str]) -> Paragraph:
    """A block with every highlighted (quoted) piece in bold."""
    spans = sorted(
        (block.find(piece), block.find(piece) + len(piece))
        for piece in highlight
        if piece and piece in block
    )
    segments: Paragraph = []
    pos = 0
    for start, end in spans:
        if start < pos:
            continue
        if start > pos:
            segments.append(((), block[pos:start]))
        segments.append((("b",), block[start:end]))
        pos = end
    if pos < len(block):
        segments.append(((), block[pos:]))
    return segments


def render_passage_html(
    chunk: Chunk, meta: DocumentMeta | None = None, highlight: Sequence[str] = ()
) -> list[str]:
    """The full passage under its heading path, for the 'Xem nguyên văn' button: the full
    title, and the quoted sentences in bold."""
    code = chunk.code or (meta.code if meta else None)
    title = chunk.title or (meta.title if meta else None)
    date = chunk.date or (meta.date if meta else None)
    head: Paragraph = []
    name = code or chunk.doc_id
    head.append((("b",), name))
    rest = [p for p in (title, format_date(date)) if p]
    if rest:
        head.append(((), " · " + " · ".join(rest)))
    if chunk.heading:
        head.append(((), "\n"))
        head.append((("i",), chunk.heading))
    paragraphs = [head]
    for block in re.split(r"\n\s*\n", chunk.text):
        if block.strip():
            paragraphs.append(_highlighted(block.strip(), highlight))
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
