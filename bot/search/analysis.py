"""The terms the lexical indexes hold, for passages and for questions (one place for both)."""

from __future__ import annotations

from bot.text.tokens import lexical_tokens

# Bump when the terms change: the index manifest records it and a mismatch asks for a rebuild.
ANALYZER_VERSION = "0"


def passage_terms(text: str, folded: bool) -> list[str]:
    """Terms of a passage's index_text for the normalised (or folded) BM25 index."""
    return lexical_tokens(text, folded=folded)  # owner: retrieval helper may enrich


def query_terms(question: str, folded: bool) -> list[str]:
    """Terms of a question for the normalised (or folded) BM25 index."""
    return lexical_tokens(question, folded=folded)
