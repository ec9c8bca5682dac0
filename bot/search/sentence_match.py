"""How much of a question one sentence of a passage holds: a re-ranking feature.

BM25 and e5 score a passage as a whole, so a long passage that mentions the question's words
here and there can outrank the one with a sentence that says what was asked. The answer
sentence usually holds most of the question's rare words, and often its word pairs, together.
Measured in benchmarks/bench_answers.py (tuned on the even-numbered questions of alqac2024 and
xquad_vi, confirmed on the odd ones): adding these two scores to the fused score lifts R@5
and MRR@10 on alqac2024 and R@1 on xquad_vi, as written and folded alike.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence

from bot.documents import Chunk
from bot.text.normalize import fold
from bot.text.question_words import QUESTION_WORDS, strip_question_words
from bot.text.sentences import split_sentences

_PIECE_MARKS = ".!?;:…"  # a sentence match reads clauses of enumerations apart

_WORD = re.compile(r"\w+", re.UNICODE)

# Weights of the two scores, added to the fused score (whose channels sum to about 2.5).
TERMS_WEIGHT = 1.0
PAIRS_WEIGHT = 0.6

# Headings longer than this are not read as context of the sentences under them.
MAX_HEADING_WORDS = 12

Pair = tuple[str, str]


def _pairs(words: list[str]) -> list[Pair]:
    """Adjacent word pairs and pairs one word apart, so a question that adds or drops a word
    ("tài sản riêng vợ chồng" / "tài sản riêng của vợ, chồng") still shares pairs. Measured:
    never worse on either half of alqac2024 or xquad_vi, a question or two better."""
    return [*itertools.pairwise(words), *zip(words, words[2:], strict=False)]


class SentenceMatcher:
    """Folded words and word pairs of every sentence of every passage, for best-sentence scores."""

    def __init__(self, chunks: Sequence[Chunk], document_frequency: Mapping[str, int]) -> None:
        self._df = document_frequency
        self._size = max(len(chunks), 1)
        self._sentences: list[list[tuple[frozenset[str], frozenset[Pair]]]] = []
        for chunk in chunks:
            # A sentence is read under its headings: under "II- MỤC TIÊU › 1. Đến năm 2030",
            # "Kinh phí chi cho nghiên cứu đạt 2% GDP" answers "mục tiêu đến năm 2030".
            # Only label-like headings: a long one (a table's section row) is a sentence itself.
            headings = [_WORD.findall(fold(heading)) for heading in chunk.heading_path]
            headings = [words for words in headings if len(words) <= MAX_HEADING_WORDS]
            context_words = {w for words in headings for w in words}
            context_pairs = {p for words in headings for p in _pairs(words)}
            sentences = []
            for piece in map(fold, split_sentences(chunk.text, _PIECE_MARKS)):
                words = _WORD.findall(piece)
                if words:
                    sentences.append(
                        (
                            frozenset(words) | context_words,
                            frozenset(_pairs(words)) | context_pairs,
                        )
                    )
            self._sentences.append(sentences)

    def _idf(self, term: str) -> float:
        return math.log(1.0 + self._size / (1.0 + self._df.get(term, 0)))

    def scores(self, question: str, rows: Sequence[int]) -> dict[int, float]:
        """row → weighted best-sentence score of the question's rare words and word pairs."""
        words = _WORD.findall(fold(strip_question_words(question)))
        idf = {t: self._idf(t) for t in dict.fromkeys(words) if t not in QUESTION_WORDS}
        pairs = {
            pair: idf.get(pair[0], 0.0) + idf.get(pair[1], 0.0)
            for pair in dict.fromkeys(_pairs(words))
        }
        # Rarer words count more: squared IDF for words, summed IDF of both words for pairs.
        squares = {t: v * v for t, v in idf.items()}
        term_total = sum(squares.values())
        pair_total = sum(pairs.values())
        words_wanted, pairs_wanted = frozenset(squares), frozenset(p for p, v in pairs.items() if v)
        out: dict[int, float] = {}
        for row in rows:
            best_terms = best_pairs = 0.0
            for sentence_words, sentence_pairs in self._sentences[row]:
                common = sentence_words & words_wanted
                if common:
                    best_terms = max(best_terms, sum(squares[t] for t in common))
                    shared = sentence_pairs & pairs_wanted
                    if shared:
                        best_pairs = max(best_pairs, sum(pairs[p] for p in shared))
            out[row] = TERMS_WEIGHT * best_terms / (term_total or 1.0) + PAIRS_WEIGHT * (
                best_pairs / (pair_total or 1.0)
            )
        return out
