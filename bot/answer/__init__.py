"""Hits → Answer: verbatim quotes with citations, lists, comparisons, metadata, or 'not found'.

types (what an answer is made of) · intent (what a question asks for) · quotes (the sentences
that answer) · notes (facts from metadata) · compose (an Answer from ranked hits).
"""

from bot.answer.compose import citation_of, compose_answer
from bot.answer.notes import short_title
from bot.answer.quotes import LONG_SENTENCE, select_quotes
from bot.answer.types import Answer, Citation, Quote

__all__ = [
    "LONG_SENTENCE",
    "Answer",
    "Citation",
    "Quote",
    "citation_of",
    "compose_answer",
    "select_quotes",
    "short_title",
]
