"""Lexical tokens: syllables plus syllable bigrams, on normalised or folded text.

A token is a run of letters, a run of digits, or '%'. Letters and digits are split apart so
"nq57" and "số31" give "nq", "57" / "số", "31"; "30%" gives "30", "%" and the bigram "30_%"
matches the exact figure while "30" still matches a bare mention. Bigrams never cross sentence
punctuation, newlines or table cell bars, where the two syllables are unrelated.
"""

from __future__ import annotations

import itertools
import re

from bot.text.normalize import fold, normalize

_TOKEN = re.compile(r"[^\W\d_]+|\d+|%")
# Where a phrase ends: no bigram is made across these.
_BREAK = re.compile(r"[.!?;:…|\n\t()\[\]{}\"“”]+")


def _base(text: str, folded: bool) -> str:
    return fold(text) if folded else normalize(text).lower()


def syllables(text: str, folded: bool = False) -> list[str]:
    """Lower-case syllables of the normalised (or folded) text."""
    return _TOKEN.findall(_base(text, folded))


def lexical_tokens(text: str, folded: bool = False) -> list[str]:
    """Syllables plus adjacent-syllable bigrams ('nghi', 'quyet', 'nghi_quyet')."""
    sylls: list[str] = []
    bigrams: list[str] = []
    # Break characters never occur inside a token, so the phrases' tokens are the text's tokens.
    for phrase in _BREAK.split(_base(text, folded)):
        toks = _TOKEN.findall(phrase)
        if toks:
            sylls.extend(toks)
            if len(toks) > 1:
                bigrams.extend(map("_".join, itertools.pairwise(toks)))
    return sylls + bigrams
