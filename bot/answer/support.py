"""Whether the quoted sentences themselves hold the question's content words: a question in
the documents' vocabulary about something they do not treat ("Luật Đất đai 2024 có hiệu lực
từ ngày nào?") finds sentences that share its frame ("có hiệu lực … kể từ ngày") but not
its subject. Measured on scripts/data/member_questions.jsonl and the off-topic lists with
benchmarks/bench_members.py."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

from bot.text import question_words as qw
from bot.text.codes import find_question_codes
from bot.text.normalize import fold, has_diacritics

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = qw.FUNCTION_WORDS | qw.QUESTION_WORDS | qw.FRAME_WORDS


def sentence_support(
    question: str,
    texts: Iterable[str],
    document_frequency: Callable[[str, bool], int],
    passages: int,
) -> float:
    """IDF-weighted share of the question's content words found in the quoted texts; a word
    typed with its marks must match with them, one typed without, folded."""
    accented = has_diacritics(question)
    codes = find_question_codes(question)
    code_words = {w for c in codes for w in _WORD.findall(fold(str(c)))}
    code_words |= {c.number.lstrip("0") for c in codes}
    words = [
        w
        for w in _WORD.findall(qw.strip_question_words(question).lower())
        if fold(w) not in _STOP and fold(w) not in code_words
    ]
    if not words:
        return 1.0
    joined = " ".join(texts)
    have = set(_WORD.findall(joined.lower())) if accented else set(_WORD.findall(fold(joined)))
    total = covered = 0.0
    for word in words:
        key = word if accented else fold(word)
        idf = math.log(1.0 + passages / (1.0 + document_frequency(key, accented)))
        total += idf
        if key in have:
            covered += idf
    return covered / total if total else 1.0


# Words that ask about today's world, which the documents cannot know.
_NOW = ("hien nay", "nam nay", "hom nay", "moi nhat", "bay gio", "hien tai", "gan day")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def asks_outside(question: str, texts: Iterable[str]) -> bool:
    """True for 'hiện nay', 'năm nay' questions, and for a year the passages never mention
    ("lạm phát năm 2024"): facts of the world, not of these documents."""
    folded = qw.folded_words(question)
    if any(f" {w} " in folded for w in _NOW):
        return True
    years = set(_YEAR.findall(question))
    if not years:
        return False
    joined = " ".join(texts)
    return not years & set(_YEAR.findall(joined))
