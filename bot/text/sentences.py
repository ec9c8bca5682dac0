"""The one sentence splitter: chunking, answers, sentence match and the quiz all cut here."""

from __future__ import annotations

import re

from bot.text.normalize import fold

WORD = re.compile(r"\w+", re.UNICODE)
# Words that end in a dot without ending a sentence ("TP. Hà Nội", "TS. Nguyễn").
_ABBREVIATIONS = frozenset(
    "tp ts ths gs pgs bs ks cn ths. ng ông bà st tr tt v.v vv nxb q h x p đ k đc đ/c".split()
)
SENTENCE_MARKS = ".!?…"  # what ends a sentence
CLAUSE_MARKS = ".;!?…"  # what also ends a piece of a long enumeration
_BOUNDARIES: dict[str, re.Pattern[str]] = {}


def _boundary(marks: str) -> re.Pattern[str]:
    if marks not in _BOUNDARIES:
        _BOUNDARIES[marks] = re.compile(rf"[{re.escape(marks)}]+[\"”’)\]]*(?=\s)|\n")
    return _BOUNDARIES[marks]


def sentence_spans(
    text: str, marks: str = SENTENCE_MARKS, min_words: int = 1
) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a text: text[start:end] is verbatim and trimmed.

    A sentence ends at a line break or at one of marks before white space, except a dot
    after an abbreviation, a heading number ("I.", "1.") or an initial, or before a
    lower-case word. Pieces of fewer than min_words words are left out.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _boundary(marks).finditer(text):
        end = match.end()
        if match.group() != "\n" and not _ends_sentence(text, match.start(), end):
            continue
        _add_span(text, start, end, spans, min_words)
        start = end
    _add_span(text, start, len(text), spans, min_words)
    return spans


def split_sentences(text: str, marks: str = SENTENCE_MARKS, min_words: int = 1) -> list[str]:
    """The sentences of a text as verbatim strings (see sentence_spans)."""
    return [text[s:e] for s, e in sentence_spans(text, marks=marks, min_words=min_words)]


_NEXT_CHAR = re.compile(r"\s*(\S)")
_LAST_WORD = re.compile(r"(\S+)$")
_LOOK_BACK = 64  # longer than any abbreviation or heading number: a window, not the prefix


def _ends_sentence(text: str, dot: int, end: int) -> bool:
    """Whether the punctuation at dot really ends a sentence (not 'TP.', 'I.', '1.')."""
    # Only the neighbourhood is read, so a long text costs linear time, not quadratic.
    following = _NEXT_CHAR.match(text, end)
    if following is None:
        return True
    if text[dot] == ".":
        word = _LAST_WORD.search(text, max(0, dot - _LOOK_BACK), dot)
        before = word.group(1) if word else ""
        if fold(before) in _ABBREVIATIONS or re.fullmatch(r"[IVXLC]+|\d{1,3}|[A-Za-zĐđ]", before):
            return False  # "TP. Hà Nội", heading numbers "I." "1.", initials
        if following.group(1).islower():
            return False
    return True


def _add_span(
    text: str, start: int, end: int, spans: list[tuple[int, int]], min_words: int
) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped and (min_words <= 1 or len(WORD.findall(stripped)) >= min_words):
        offset = start + piece.index(stripped)
        spans.append((offset, offset + len(stripped)))
