"""The terms the lexical indexes hold, for passages and for questions (one place for both)."""

from __future__ import annotations

from bot.text.question_words import QUESTION_WORDS, strip_question_words
from bot.text.tokens import lexical_tokens

__all__ = ["QUESTION_WORDS", "passage_terms", "query_terms", "strip_question_words"]

# Bump when the terms change: the index manifest records it and a mismatch asks for a rebuild.
# "2": BM25 k1/b changed (bot.search.lexical.K1, B); the stored scores differ.
ANALYZER_VERSION = "2"


def passage_terms(text: str, folded: bool) -> list[str]:
    """Terms of a passage's index_text for the normalised (or folded) BM25 index."""
    return lexical_tokens(text, folded=folded)


def query_terms(question: str, folded: bool) -> list[str]:
    """Terms of a question for the normalised (or folded) BM25 index."""
    return lexical_tokens(strip_question_words(question), folded=folded)
