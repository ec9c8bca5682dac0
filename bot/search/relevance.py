"""Evidence that a passage is about the question, beyond sharing common syllables."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from bot.text.normalize import fold
from bot.text.question_words import QUESTION_WORDS

_WORD = re.compile(r"\w+", re.UNICODE)

# A question whose folded syllable pairs mostly occur in none of the top passages is about
# something else ("Hà Nội có bao nhiêu quận huyện?" shares "hà nội", "quận" and "huyện" with
# the documents, but not "quận huyện" or "bao nhiêu quận"). Measured with
# benchmarks/bench_refusal.py: 0.2 refuses three in four questions the documents cannot answer
# while keeping every in-scope party question and 93-98 % of xquad_vi and alqac2024 questions.
MIN_PAIR_COVERAGE = 0.2


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(words))


def pair_coverage(question: str, passages: Iterable[str]) -> float:
    """Largest share of the question's folded syllable pairs found in any one passage."""
    words = _WORD.findall(fold(question))
    wanted = {p for p in _pairs(words) if not (p[0] in QUESTION_WORDS and p[1] in QUESTION_WORDS)}
    if not wanted:
        return 1.0
    best = 0.0
    for text in passages:
        best = max(best, len(wanted & _pairs(_WORD.findall(fold(text)))) / len(wanted))
    return best
