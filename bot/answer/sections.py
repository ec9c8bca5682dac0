"""A part of a document by its heading ("II- MỤC TIÊU › 1. Đến năm 2030"), and its items
in the document's order: the sub-headings under it, or its numbered or bulleted lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.answer import wording
from bot.answer.compose import citation_of
from bot.answer.library import Library
from bot.answer.reading import Reading
from bot.answer.types import Answer, Quote
from bot.documents import Chunk
from bot.text.normalize import fold
from bot.text.sentences import sentence_spans
from bot.text.shorten import cut_at_word

MAX_ITEMS = 15  # one message; more are behind «Xem nguyên văn»
ITEM_WORDS = 40  # an item shows its first sentence, cut at a word past this, "…" after it
LABEL_WORDS = 6  # sub-headings this short are labels: their lines are the items
HEADING_CHARS = 60  # a longer heading in a lead line is cut at a word
MIN_ITEM_WORDS = 4  # shorter lines are layout, not items
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_WORD = re.compile(r"\w+", re.UNICODE)
_ITEM = re.compile(r"^(?:(?P<num>\d{1,2}\s*[.-]|[a-zđ]\)|\(\d{1,2}\))|(?P<bullet>[-–+•*]))\s*\S")


@dataclass(frozen=True)
class Section:
    """A heading path and the passages under it."""

    doc_id: str
    path: tuple[str, ...]
    chunks: tuple[Chunk, ...]


def find_section(chunks: Sequence[Chunk], reading: Reading) -> Section | None:
    """The heading the question names best: its section words, its year, its other words."""
    best: tuple[float, int, tuple[str, ...]] | None = None
    seen: set[tuple[str, ...]] = set()
    for chunk in chunks:
        for depth in range(1, len(chunk.heading_path) + 1):
            path = chunk.heading_path[:depth]
            if path in seen:
                continue
            seen.add(path)
            score = _score(path, reading)
            if score > 0 and (best is None or (score, -depth) > (best[0], best[1])):
                best = (score, -depth, path)
    if best is None:
        return None
    path = best[2]
    under = tuple(c for c in chunks if c.heading_path[: len(path)] == path)
    return Section(doc_id=under[0].doc_id, path=path, chunks=under)


def _score(path: tuple[str, ...], reading: Reading) -> float:
    folded = " " + " ".join(_WORD.findall(fold(" ".join(path)))) + " "
    score = 0.0
    if reading.section and f" {reading.section} " in folded:
        score += 3.0
    years = set(_YEAR.findall(" ".join(path)))
    if reading.years:
        if years & set(reading.years):
            score += 2.0
        elif years:
            score -= 2.0
    words = set(folded.split())
    shared = sum(1 for w in reading.content if w in words)
    score += 0.5 * shared
    if not reading.section:
        # Without section words no heading is asked for: "những công nghệ sinh học nào" is
        # answered by the sentence that lists them (measured on the hold-out set).
        return 0.0
    return score


def items_of(section: Section) -> list[tuple[str, Chunk, bool]]:
    """(verbatim text, source passage, is a heading) of each item, in the document's order:
    the headings right under the section, or, when those are mere labels ("1- Mục tiêu
    tổng quát") or absent, its lines with each label before its own lines."""
    depth = len(section.path)
    children: dict[str, Chunk] = {}
    for chunk in section.chunks:
        if len(chunk.heading_path) > depth:
            children.setdefault(chunk.heading_path[depth], chunk)
    labels = all(len(h.split()) <= LABEL_WORDS for h in children)
    if len(children) >= 2 and not labels:
        return [(heading, chunk, True) for heading, chunk in children.items()]
    lines: list[tuple[str, Chunk, bool]] = []
    seen: set[str] = set()
    for chunk in section.chunks:
        label = chunk.heading_path[depth] if len(chunk.heading_path) > depth else ""
        if label and label not in seen:
            seen.add(label)
            lines.append((label, chunk, True))
        for line in chunk.text.split("\n"):
            line = line.strip()
            if len(line.split()) >= MIN_ITEM_WORDS and line not in seen:
                seen.add(line)
                lines.append((line, chunk, False))
    numbered = [item for item in lines if item[2] or _numbered(item[0])]
    if sum(1 for item in numbered if not item[2]) >= 2:
        return numbered  # "1. …", "2. …": the numbered paragraphs are the items
    return lines


def _numbered(line: str) -> bool:
    match = _ITEM.match(line)
    return bool(match and match.group("num"))


def lead_in_section(chunks: Sequence[Chunk], reading: Reading) -> Section | None:
    """'…tập trung thực hiện tốt một số nhiệm vụ trọng tâm sau:' and the numbered headings
    after it, when no heading names the part asked for."""
    if not reading.section:
        return None
    for index, chunk in enumerate(chunks):
        folded = " " + " ".join(_WORD.findall(fold(chunk.text))) + " "
        if f" {reading.section} " not in folded:
            continue
        depth = len(chunk.heading_path)
        after = [
            c
            for c in chunks[index + 1 :]
            if c.heading_path[:depth] == chunk.heading_path and len(c.heading_path) > depth
        ]
        if len({c.heading_path[depth] for c in after}) >= 2:
            return Section(doc_id=chunk.doc_id, path=chunk.heading_path, chunks=tuple(after))
    return None


def section_answer(
    question: str, section: Section, library: Library, ordinal: int | None = None
) -> Answer | None:
    """The section's items verbatim, numbered as in the document, within one message."""
    items = items_of(section)
    if ordinal is not None and items and not items[0][2]:
        # "quan điểm thứ 3": the paragraph numbered 3, whole.
        numbered = [(t, c) for t, c, _ in items if re.match(rf"^{ordinal}\s*[.-]\s", t)]
        if numbered:
            text, chunk = numbered[0]
            quote = _item_quote(text, chunk, False)
            quote = replace(quote, text=text, cut_after=False) if len(text.split()) <= 90 else quote
            lead = wording.SECTION_LEAD.format(
                doc=library.label(section.doc_id), heading=_heading(section.path)
            )
            return Answer(
                question=question,
                found=True,
                kind="quote",
                lead=lead,
                quotes=[quote],
                citations=[citation_of(chunk, 1.0)],
            )
    if ordinal is not None and items and 1 <= ordinal <= len(items) and items[0][2]:
        heading = items[ordinal - 1][0]
        path = (*section.path, heading)
        under = tuple(c for c in section.chunks if c.heading_path[: len(path)] == path)
        return section_answer(question, Section(section.doc_id, path, under), library)
    if len(items) < 2:
        return section_quotes(question, section, library)
    headings_only = all(is_heading for _, _, is_heading in items)
    quotes = [
        _item_quote(text, chunk, is_heading, as_label=is_heading and not headings_only)
        for text, chunk, is_heading in items
    ][:MAX_ITEMS]
    notes = []
    if len(items) > MAX_ITEMS:
        notes.append(wording.MORE_ITEMS.format(n=len(items) - MAX_ITEMS))
    lead = wording.SECTION_LEAD.format(
        doc=library.label(section.doc_id), heading=_heading(section.path) or "toàn văn"
    )
    cited = list(dict.fromkeys(c for _, c, _ in items))
    citations = [citation_of(c, 1.0) for c in cited]
    return Answer(
        question=question,
        found=True,
        kind="list",
        lead=lead,
        quotes=quotes,
        citations=citations,
        notes=notes,
    )


def section_quotes(question: str, section: Section, library: Library) -> Answer | None:
    """The best sentences of the section alone, for a part that is one paragraph."""
    from bot.answer.compose import compose_answer
    from bot.search.retriever import Hit

    if not section.chunks:
        return None
    hits = [Hit(chunk=c, score=1.0) for c in section.chunks]
    answer = compose_answer(question, hits, True)
    if not answer.found:
        return None
    lead = wording.SECTION_LEAD.format(
        doc=library.label(section.doc_id), heading=_heading(section.path)
    )
    return replace(answer, lead=lead)


def _heading(path: tuple[str, ...]) -> str:
    """The heading path for a lead line, each long heading cut at a word."""
    return " › ".join(cut_at_word(part, HEADING_CHARS) for part in path)


def _item_quote(text: str, chunk: Chunk, is_heading: bool, as_label: bool = False) -> Quote:
    """One item: a heading as written, or a line's first sentence cut to ITEM_WORDS words."""
    label = "#" if as_label else ""
    body = text
    match = _ITEM.match(text)
    if match and match.group("bullet"):
        body = text[match.end() - 1 :]  # the bullet is layout: "•" is drawn instead
        label = "•"
    elif not match and not is_heading:
        label = "•"
    cut_after = False
    if not is_heading:
        spans = sentence_spans(body)
        if spans:
            first = body[spans[0][0] : spans[0][1]]
            cut_after = len(first) < len(body.rstrip())
            body = first
        words = body.split(" ")
        if len(words) > ITEM_WORDS:
            body = " ".join(words[:ITEM_WORDS]).rstrip(",;:")
            cut_after = True
    source = chunk.heading if is_heading else chunk.text
    if body not in source:
        body = text  # never altered: fall back to the line as written
        cut_after = False
    return Quote(
        text=body,
        doc_id=chunk.doc_id,
        code=chunk.code,
        heading=chunk.heading,
        chunk_id=chunk.id,
        cut_after=cut_after,
        label=label,
    )


def continued_list(answer: Answer, library: Library) -> Answer | None:
    """A quote that ends on its colon ("… nguyên nhân chủ quan là chủ yếu :") with the items
    that follow it in the document ("a) …", "b) …"), or None."""
    if not answer.found or not answer.quotes:
        return None
    first = answer.quotes[0]
    if first.cut_after or not first.text.rstrip().endswith(":"):
        return None
    chunks = list(library.chunks_by_doc.get(first.doc_id, ()))
    at = next((i for i, c in enumerate(chunks) if c.id == first.chunk_id), None)
    if at is None:
        return None
    items: list[tuple[str, Chunk]] = []
    chunk = chunks[at]
    where = chunk.text.find(first.text)
    if where < 0:
        return None
    tail = chunk.text[where + len(first.text) :]
    following = [(line, chunk) for line in tail.split("\n")]
    for later in chunks[at + 1 :]:
        if later.heading_path != chunk.heading_path:
            break
        following += [(line, later) for line in later.text.split("\n")]
    for line, source in following:
        line = line.strip()
        if not line:
            continue
        if not _ITEM.match(line):
            break
        items.append((line, source))
    if len(items) < 2:
        return None
    quotes = [first, *(_item_quote(text, c, False) for text, c in items[:MAX_ITEMS])]
    notes = [wording.MORE_ITEMS.format(n=len(items) - MAX_ITEMS)] if len(items) > MAX_ITEMS else []
    cited = list(dict.fromkeys([chunk, *(c for _, c in items)]))
    lead = wording.SECTION_LEAD.format(
        doc=library.label(first.doc_id), heading=_heading(chunk.heading_path) or "toàn văn"
    )
    return replace(
        answer,
        kind="list",
        lead=lead,
        quotes=quotes,
        citations=[citation_of(c, 1.0) for c in cited] + list(answer.citations[1:]),
        notes=[*answer.notes, *notes],
    )
