"""'NQ 20 và NQ 57 khác nhau thế nào (về mục tiêu)?': quotes from each named document on the
asked point, one labelled block per document."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.answer import wording
from bot.answer.compose import citation_of
from bot.answer.library import Library
from bot.answer.quotes import select_quotes
from bot.answer.reading import Reading, read_question
from bot.answer.sections import find_section, section_quotes
from bot.answer.types import Answer, Citation, Quote
from bot.documents import Chunk

QUOTES_PER_DOCUMENT = 2

# (question, doc_ids) → the ranked passages of those documents for the question
Search = Callable[[str, Sequence[str]], Sequence[Chunk]]


def comparison_answer(
    question: str, reading: Reading, library: Library, search: Search
) -> Answer | None:
    """One block per named document, each quoting what that document says on the point."""
    groups = _document_groups(reading, library)
    if len(groups) < 2:
        return None
    point = _point(question)
    quotes: list[Quote] = []
    citations = []
    for group in groups:
        picked: list[Quote] = []
        if reading.section:
            chunks = [c for d in group for c in library.chunks_by_doc.get(d, ())]
            section = find_section(chunks, reading)
            quoted = section_quotes(question, section, library) if section else None
            if quoted is not None:
                picked = quoted.quotes[:QUOTES_PER_DOCUMENT]
                citations.extend(quoted.citations)
        if not picked and not read_question(point, library).content:
            picked = _titles(group, library)  # "NQ 20 và NQ 57 khác nhau thế nào?": what each is
            citations.extend(_title_citation(q, library) for q in picked)
        if not picked:
            ranked = list(search(point, group))
            picked = select_quotes(point, ranked)[:QUOTES_PER_DOCUMENT]
            citations.extend(citation_of(c, 1.0) for c in ranked[:QUOTES_PER_DOCUMENT])
        quotes.extend(picked)
    if not quotes:
        return None
    return Answer(
        question=question,
        found=True,
        kind="comparison",
        lead=wording.COMPARISON_LEAD,
        quotes=quotes,
        citations=citations,
    )


_COMPARING = re.compile(
    r"(?i)\b(?:so sánh|so sanh|khác nhau|khac nhau|giống nhau|giong nhau|khác gì|khac gi|"
    r"khác biệt|khac biet|thế nào|the nao|ra sao|chỗ nào|cho nao|giữa|giua)\b"
)


def _titles(group: list[str], library: Library) -> list[Quote]:
    """The main document's title (trích yếu), as its header writes it."""
    main = library.main_document(group) or group[0]
    meta = library.meta(main)
    if not meta.title:
        return []
    return [
        Quote(
            text=meta.title,
            doc_id=main,
            code=meta.code,
            heading=wording.TITLE_HEADING,
            chunk_id=f"{main}#title",
        )
    ]


def _title_citation(quote: Quote, library: Library) -> Citation:
    meta = library.meta(quote.doc_id)
    return Citation(
        chunk_id=quote.chunk_id,
        doc_id=quote.doc_id,
        code=meta.code,
        title=meta.title,
        heading=quote.heading,
        date=meta.date,
        score=1.0,
        text=quote.text,
    )


def _point(question: str) -> str:
    """What is compared: the question without its comparing words ("so sánh", "khác nhau")."""
    return " ".join(_COMPARING.sub(" ", question).split()) or question


def _document_groups(reading: Reading, library: Library) -> list[list[str]]:
    """The named documents grouped by the code that named them (a resolution with its
    appendices is one group), promulgated texts only when there are any."""
    groups: list[list[str]] = []
    for code in reading.codes:
        docs = [d for d in library.matching(code) if not any(d in g for g in groups)]
        if docs:
            groups.append(docs)
    return groups
