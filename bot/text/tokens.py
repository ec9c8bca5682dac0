"""Lexical tokens: syllables plus syllable bigrams, on normalised or folded text."""

from __future__ import annotations

import itertools
import re

from bot.text.normalize import fold, normalize

_WORD = re.compile(r"\w+", re.UNICODE)


def syllables(text: str, folded: bool = False) -> list[str]:
    """Lower-case syllables of the normalised (or folded) text."""
    # STUB (owner: text helper)
    base = fold(text) if folded else normalize(text).lower()
    return _WORD.findall(base)


def lexical_tokens(text: str, folded: bool = False) -> list[str]:
    """Syllables plus adjacent-syllable bigrams ('nghi', 'quyet', 'nghi_quyet')."""
    # STUB (owner: text helper)
    sylls = syllables(text, folded=folded)
    return sylls + [f"{a}_{b}" for a, b in itertools.pairwise(sylls)]
