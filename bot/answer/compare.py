"""'NQ 20 và NQ 57 khác nhau thế nào (về mục tiêu)?': quotes from each named document on the
asked point, one labelled block per document."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.answer import wording
from bot.answer.compose import citation_of
from bot.answer.library import Library
from bot.answer.quotes import select_quotes
from bot.answer.reading import Reading
from bot.answer.sections import find_section, section_quotes
from bot.answer.types import Answer, Quote
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
        if not picked:
            ranked = list(search(question, group))
            picked = select_quotes(question, ranked)[:QUOTES_PER_DOCUMENT]
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


def _document_groups(reading: Reading, library: Library) -> list[list[str]]:
    """The named documents grouped by the code that named them (a resolution with its
    appendices is one group), promulgated texts only when there are any."""
    groups: list[list[str]] = []
    for code in reading.codes:
        docs = [d for d in library.matching(code) if not any(d in g for g in groups)]
        if docs:
            groups.append(docs)
    return groups
