"""The terms the lexical indexes hold, for passages and for questions (one place for both)."""

from __future__ import annotations

import re

from bot.text.normalize import fold, normalize
from bot.text.tokens import lexical_tokens

# Bump when the terms change: the index manifest records it and a mismatch asks for a rebuild.
# "2": BM25 k1/b changed (bot.search.lexical.K1, B); the stored scores differ.
ANALYZER_VERSION = "2"

# Phrases that say what kind of answer is wanted, not what it is about. They are rare in the
# documents, so BM25 would give them a high weight and pull in any passage that happens to
# say "bao nhiêu". Matched on the folded question (multi-syllable phrases are unambiguous
# folded; single syllables only when the question is accented, see _ACCENTED_ONLY).
_QUESTION_PHRASES = [
    "nhu the nao",
    "the nao",
    "la gi",
    "la bao nhieu",
    "bao nhieu",
    "khi nao",
    "luc nao",
    "bao gio",
    "o dau",
    "tai sao",
    "vi sao",
    "hay khong",
    "co phai",
    "dung hay sai",
    "dung khong",
    "phai khong",
    "cho biet",
    "nhu vay",
]
_ACCENTED_ONLY = {"gì", "nào", "ai", "Ai", "đâu", "vậy", "nhỉ", "ạ", "hả"}
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _QUESTION_PHRASES) + r")\b")
_WORD = re.compile(r"\w+", re.UNICODE)

# Folded syllables of the phrases above: not content when deciding whether a passage answers.
QUESTION_WORDS: frozenset[str] = frozenset(
    {s for p in _QUESTION_PHRASES for s in p.split()} | {fold(w) for w in _ACCENTED_ONLY}
)


def passage_terms(text: str, folded: bool) -> list[str]:
    """Terms of a passage's index_text for the normalised (or folded) BM25 index."""
    return lexical_tokens(text, folded=folded)


def strip_question_words(question: str) -> str:
    """The question without its question phrases ('là gì', 'bao nhiêu', 'nào'...)."""
    text = normalize(question)
    sylls = _WORD.findall(text)
    if not sylls:
        return text
    folded = [fold(s) for s in sylls]
    drop = [False] * len(sylls)
    joined = " ".join(folded)
    for match in _PHRASE_RE.finditer(joined):
        start = joined[: match.start()].count(" ")
        for i in range(start, start + match.group().count(" ") + 1):
            drop[i] = True
    for i, syll in enumerate(sylls):
        if syll in _ACCENTED_ONLY:  # case-sensitive: "AI" is a subject, "ai" a question
            drop[i] = True
    kept = [s for s, d in zip(sylls, drop, strict=True) if not d]
    return " ".join(kept) if kept else text


def query_terms(question: str, folded: bool) -> list[str]:
    """Terms of a question for the normalised (or folded) BM25 index."""
    return lexical_tokens(strip_question_words(question), folded=folded)
