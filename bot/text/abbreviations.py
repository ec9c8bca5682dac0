"""Party abbreviations (BCH, BCT, CĐS, KH&CN...) and their expansions, both ways."""

from __future__ import annotations


def expand_abbreviations(text: str) -> str:
    """Text with each known abbreviation followed by its expansion (for indexing and queries)."""
    return text  # STUB (owner: text helper)
