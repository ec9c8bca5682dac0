"""Hits → Answer: verbatim sentences with their citations, or a plain 'not found'."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answer.notes import issue_date_notes, not_found_suggestions
from bot.answer.quotes import select_quotes
from bot.answer.types import Answer, Citation
from bot.documents import Chunk


def citation_of(hit_chunk: Chunk, score: float) -> Citation:
    """The citation for one retrieved passage."""
    return Citation(
        chunk_id=hit_chunk.id,
        doc_id=hit_chunk.doc_id,
        code=hit_chunk.code,
        title=hit_chunk.title,
        heading=hit_chunk.heading,
        date=hit_chunk.date,
        score=float(score),
        text=hit_chunk.text,
    )


def compose_answer(
    question: str, hits: Sequence, found: bool, whole_sentences: bool = False, context: str = ""
) -> Answer:
    """The answer to show: quotes from the top hits with citations, or a 'not found' with tips.
    whole_sentences keeps a long enumeration whole (a list question needs every item)."""
    citations = [citation_of(hit.chunk, hit.score) for hit in hits]
    chunks = [hit.chunk for hit in hits]
    if found:
        quotes = select_quotes(question, chunks, whole_sentences, context)
        if quotes:
            return Answer(
                question=question,
                found=True,
                quotes=quotes,
                citations=citations,
                notes=issue_date_notes(question, chunks),
            )
    return Answer(
        question=question,
        found=False,
        citations=citations,
        suggestions=not_found_suggestions(question, chunks),
    )
