"""The 1–3 sentences of the top passages that best answer a question, cut verbatim."""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answer.intent import Intent, read_intent
from bot.answer.types import Quote
from bot.documents import Chunk
from bot.text import fold, has_diacritics, normalize
from bot.text.abbreviations import expand_abbreviations
from bot.text.normalize import fold_normalized
from bot.text.question_words import FUNCTION_WORDS
from bot.text.sentences import sentence_spans

MAX_QUOTES = 3
QUOTE_PASSAGES = 5  # quotes are taken from this many top passages
RANK_DECAY = 0.25  # a sentence from the passage ranked r weighs 1 / (1 + RANK_DECAY * r)
QUOTE_RELATIVE = 0.45  # a further quote scores at least this share of the best one
LONG_SENTENCE = 400  # longer "sentences" (about 60 words: table rows, enumerations) are cut
CLAUSE_WINDOW = 320  # target length of such a cut: the clauses that answer
MAX_QUOTE_CHARS = 1500  # all quotes together


_STOPWORDS = FUNCTION_WORDS
_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")
# Numbers written as words ("hai trường đại học"); "một" and "năm" are too common to count.
_NUMBER_WORD = re.compile(
    r"\b(?:hai|ba|bốn|sáu|bảy|tám|chín|mười|trăm|nghìn|ngàn|triệu|tỷ|tỉ)\b", re.IGNORECASE
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_DATE = re.compile(
    r"ngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2})?|tháng\s+\d{1,2}(?:/|\s+năm\s+)\d{4}|năm\s+\d{4}"
    r"|\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2}/\d{4}\b|kể từ ngày",
    re.IGNORECASE,
)
_BODY = re.compile(
    r"\b(?:Bộ|Ban|Ủy ban|Uỷ ban|Sở|Văn phòng|Tổng cục|Cục|Viện|Đại học|Trường|Đảng ủy|"
    r"Đảng đoàn|Ban cán sự|Thành ủy|Tỉnh ủy|Chính phủ|Quốc hội|Tổ đảng|Hội đồng)\b"
)
_ORDINALS = {
    "1": "nhat",
    "2": "hai",
    "3": "ba",
    "4": "tu",
    "5": "nam",
    "6": "sau",
    "7": "bay",
    "8": "tam",
    "9": "chin",
    "10": "muoi",
}
_ROW_NUMBER = re.compile(r"(?:\d{1,3}|[IVXLC]{1,6})[.)]?\s*\|\s*")
_CLAUSE_END = re.compile(r"[;,:]\s+|\s·\s")  # " · " parts a table row's fields


# A follow-up's previous question weighs this much beside its own words in choosing a quote.
CONTEXT_WEIGHT = 0.3


# A table row's passage ("TT: 138. · Tên nhiệm vụ: … · Kết quả: …") is one fact: its fields
# are not sentences to choose between (the cut of a long quote keeps the fields that answer).
_ROW_START = re.compile(r"^[^:·|\n]{1,40}: \S")


def _is_table_row(text: str) -> bool:
    return " · " in text and "\n" not in text.strip() and bool(_ROW_START.match(text))


def mentions_number(text: str) -> bool:
    """A digit, or a number written as a word other than the everyday "một" and "năm"."""
    return bool(_DIGIT.search(text) or _NUMBER_WORD.search(text))


def _terms(text: str, normalized: bool = False) -> tuple[list[str], list[str]]:
    """Folded content syllables and the bigrams of adjacent folded syllables."""
    sylls = _WORD.findall(fold_normalized(text) if normalized else fold(text))
    unigrams = [s for s in sylls if s not in _STOPWORDS]
    bigrams = [
        f"{a}_{b}"
        for a, b in itertools.pairwise(sylls)
        if not (a in _STOPWORDS and b in _STOPWORDS)
    ]
    return unigrams, bigrams


@functools.lru_cache(maxsize=8192)
def _features(text: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], int]:
    """Unigram set, bigram set, lower-cased words with their marks, unigram count (cached)."""
    # Passages and headings come normalised from ingest: fold them without normalising again.
    unigrams, bigrams = _terms(text, normalized=True)
    marked = frozenset(_WORD.findall(text.lower()))
    return frozenset(unigrams), frozenset(bigrams), marked, len(unigrams)


@dataclass
class _Candidate:
    rank: int
    chunk: Chunk
    start: int
    end: int
    score: float = 0.0
    cut_before: bool = False
    cut_after: bool = False

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]


def _markup_trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Span without table pipes and markdown markers at its edges (still a verbatim substring)."""
    while start < end and text[start] in "|*#>- \t":
        start += 1
    while end > start and text[end - 1] in "|*# \t":
        end -= 1
    # A table row's number cell ("98. | Xây dựng…") says nothing: start at the first real cell.
    m = _ROW_NUMBER.match(text, start, end)
    if m and m.end() < end:
        start = m.end()
    return start, end


def _score_text(
    text: str,
    q_unigrams: set[str],
    q_bigrams: set[str],
    idf: dict[str, float],
    intent: Intent,
    q_accented: set[str],
    features: tuple[frozenset[str], frozenset[str], frozenset[str], int] | None = None,
    marks: tuple[bool, bool, bool] | None = None,
) -> float:
    """How well text answers: the question's words and word pairs it holds, weighted by rarity,
    boosted when it has what the question asks for (a number, a date, a body). features and
    marks (_marks) may come precomputed, as _cut_long's windows do."""
    uni, bi, marked, length = features or _features(text)
    # Numbers in a question ("2030", "57") are its most specific words.
    score = sum(idf.get(t, 1.0) * (1.5 if t.isdigit() else 1.0) for t in q_unigrams & uni)
    score += 2.0 * sum(idf.get(t, 1.0) for t in q_bigrams & bi)
    if q_accented:
        # The same syllable with the same marks is surer evidence than a folded match.
        score += 0.3 * len(q_accented & marked)
    if score <= 0:
        return 0.0
    boost = 1.0
    number, date, body = marks or _marks(text, intent)
    if number:
        boost += 0.35
        if intent.percent and "%" in text:
            boost += 0.25
    if date:
        boost += 0.35
    if body:
        boost += 0.2
    # Long sentences match more words by chance: a mild length penalty.
    return score * boost / (1.0 + max(length, 1) / 120.0) ** 0.5


def _marks(text: str, intent: Intent) -> tuple[bool, bool, bool]:
    """Whether text has the number, the date and the body the question asks for (if it does)."""
    return (
        bool(intent.number and mentions_number(text)),
        bool(intent.date and _DATE.search(text)),
        bool(intent.body and _BODY.search(text)),
    )


def _near_duplicate(a: str, b: str) -> bool:
    ta, tb = set(_WORD.findall(fold(a))), set(_WORD.findall(fold(b)))
    if not ta or not tb:
        return False
    if {t for t in ta if t.isdigit()} != {t for t in tb if t.isdigit()}:
        return False  # "30% GDP" by 2030 and "50% GDP" by 2045 are two facts
    inter = len(ta & tb)
    return inter / len(ta | tb) >= 0.7 or inter / min(len(ta), len(tb)) >= 0.9


def _cut_long(
    cand: _Candidate,
    q_unigrams: set[str],
    q_bigrams: set[str],
    idf: dict[str, float],
    intent: Intent,
    q_accented: set[str],
) -> _Candidate:
    """A clause window of a very long sentence around its best-matching clauses."""
    text = cand.chunk.text
    bounds = [cand.start]
    for m in _CLAUSE_END.finditer(text, cand.start, cand.end):
        bounds.append(m.end())
    bounds.append(cand.end)
    # Features and marks per clause once; a window's are the union of its clauses' (no
    # re-folding, no regex over every window: none of the marks spans a clause's end).
    spans = list(itertools.pairwise(bounds))
    clauses = [_features(text[s:e]) for s, e in spans]
    clause_marks = [_marks(text[s:e], intent) for s, e in spans]
    best: tuple[float, int, int] | None = None
    for i in range(len(bounds) - 1):
        uni: frozenset[str] = frozenset()
        bi: frozenset[str] = frozenset()
        marked: frozenset[str] = frozenset()
        length = 0
        number = date = body = False
        for j in range(i + 1, len(bounds)):
            s, e = bounds[i], bounds[j]
            if e - s > CLAUSE_WINDOW and j > i + 1:
                break
            c_uni, c_bi, c_marked, c_len = clauses[j - 1]
            uni, bi, marked, length = uni | c_uni, bi | c_bi, marked | c_marked, length + c_len
            c_number, c_date, c_body = clause_marks[j - 1]
            number, date, body = number or c_number, date or c_date, body or c_body
            s2, e2 = _markup_trimmed(text, s, e)
            piece = text[s2:e2].rstrip(";,: ")
            if not piece:
                continue
            sc = _score_text(
                piece,
                q_unigrams,
                q_bigrams,
                idf,
                intent,
                q_accented,
                features=(uni, bi, marked, length),
                marks=(number, date, body),
            )
            if best is None or sc > best[0]:
                best = (sc, s2, s2 + len(piece))
    if best is None or best[0] <= 0:
        return cand
    _, s, e = best
    return _Candidate(
        rank=cand.rank,
        chunk=cand.chunk,
        start=s,
        end=e,
        score=cand.score,
        cut_before=s > cand.start,
        cut_after=e < cand.end,
    )


# Folded words that name a kind of document or ask what it is about ("nghị quyết", "nội dung").
_ABOUT_WORDS = frozenset(
    """nghi quyet ket luan chuong trinh ke hoach dinh chi thi quy thong bao huong dan cong van
    cao de an ban noi dung chinh tom tat y nghia""".split()
)


def _names_document_only(q_unigrams: list[str], code_words: set[str]) -> bool:
    """True for 'Nghị quyết 57 nói về gì?': a document named, nothing asked about its content."""
    named = any(t in code_words for t in q_unigrams)
    rest = [t for t in q_unigrams if t not in code_words and t not in _ABOUT_WORDS]
    return named and not rest


def select_quotes(
    question: str, chunks: Sequence[Chunk], whole_sentences: bool = False, context: str = ""
) -> list[Quote]:
    """The 1–3 sentences of the ranked passages that best answer the question, key fact first.
    context (a follow-up's previous question) helps choose, at CONTEXT_WEIGHT of its words."""
    q_uni_list, q_bi_list = _terms(expand_abbreviations(question))
    # "Hội nghị Trung ương 8" is written "Hội nghị Trung ương lần thứ tám" in the documents.
    ordinals = [_ORDINALS[t] for t in q_uni_list if t in _ORDINALS]
    q_bi_list += [f"thu_{word}" for word in ordinals]
    q_uni_list += ordinals
    # The words naming a document ("NQ 57") find the document, not the fact inside it.
    code_words = {w for c in chunks if c.code for w in _WORD.findall(fold(c.code))}
    q_unigrams = {t for t in q_uni_list if t not in code_words}
    q_bigrams = {t for t in q_bi_list if not set(t.split("_")) & code_words}
    if _names_document_only(q_uni_list, code_words):
        q_unigrams, q_bigrams = set(), set()  # "NQ 57 nói về gì?": quote its opening
    c_uni_list, c_bi_list = _terms(expand_abbreviations(context)) if context else ([], [])
    c_unigrams = {t for t in c_uni_list if t not in code_words} - q_unigrams
    c_bigrams = {t for t in c_bi_list if not set(t.split("_")) & code_words} - q_bigrams
    intent = read_intent(question)
    q_years = set(_YEAR.findall(question))
    # Content words as typed with their marks (never the stop or code words dropped above).
    q_accented = {
        w.lower()
        for w in _WORD.findall(normalize(question))
        if has_diacritics(w) and fold(w) in q_unigrams
    }
    candidates: list[_Candidate] = []
    for rank, chunk in enumerate(chunks[:QUOTE_PASSAGES]):
        spans = [(0, len(chunk.text))] if _is_table_row(chunk.text) else None
        for start, end in spans or sentence_spans(chunk.text, min_words=3):
            start, end = _markup_trimmed(chunk.text, start, end)
            if end - start >= 12:
                candidates.append(_Candidate(rank, chunk, start, end))
    if not candidates:
        return []
    # Local IDF over the candidate sentences: a term in every sentence tells nothing.
    df: dict[str, int] = {}
    for cand in candidates:
        uni, bi, _, _ = _features(cand.text)
        for t in uni | bi:
            df[t] = df.get(t, 0) + 1
    n = len(candidates)
    idf = {t: math.log(1.0 + n / c) for t, c in df.items()}
    rare = math.log(1.0 + n)  # question terms no sentence holds (found in headings only)
    for t in q_unigrams | q_bigrams | c_unigrams | c_bigrams:
        idf.setdefault(t, rare)
    for cand in candidates:
        if (
            not whole_sentences
            and cand.end - cand.start > LONG_SENTENCE
            and (_score_text(cand.text, q_unigrams, q_bigrams, idf, intent, q_accented) > 0)
        ):
            cut = _cut_long(cand, q_unigrams, q_bigrams, idf, intent, q_accented)
            cand.start, cand.end = cut.start, cut.end
            cand.cut_before, cand.cut_after = cut.cut_before, cut.cut_after
        base = _score_text(cand.text, q_unigrams, q_bigrams, idf, intent, q_accented)
        if c_unigrams or c_bigrams:
            base += CONTEXT_WEIGHT * _score_text(
                cand.text, c_unigrams, c_bigrams, idf, intent, set()
            )
        if base > 0 and cand.chunk.heading:
            # "Đến năm 2030" in the heading path tells which target list a sentence belongs to.
            context = _score_text(
                cand.chunk.heading, q_unigrams, q_bigrams, idf, Intent(), q_accented
            )
            base += min(0.8 * context, base)  # context helps choose, never outweighs the words
        if q_years:
            years = set(_YEAR.findall(cand.text)) | set(_YEAR.findall(cand.chunk.heading))
            if years and not years & q_years:
                base *= 0.6  # "đến năm 2030" asked, this speaks of 2045 only
        cand.score = base / (1.0 + RANK_DECAY * cand.rank)  # earlier passages are likelier answers
    ranked = sorted(
        (c for c in candidates if c.score > 0), key=lambda c: (-c.score, c.rank, c.start)
    )
    if not ranked:
        # Nothing overlaps ("NQ 57 nói về gì?"): the opening sentences of the best passage.
        top = candidates[0].rank
        ranked = [c for c in candidates if c.rank == top][:2]
        for cand in ranked:
            if cand.end - cand.start > LONG_SENTENCE:
                space = cand.chunk.text.rfind(" ", cand.start, cand.start + CLAUSE_WINDOW)
                cand.end = space if space > cand.start else cand.start + CLAUSE_WINDOW
                cand.cut_after = True
    chosen: list[_Candidate] = []
    total = 0
    for cand in ranked:
        if len(chosen) >= MAX_QUOTES:
            break
        if chosen and cand.score < QUOTE_RELATIVE * chosen[0].score:
            break
        if any(_near_duplicate(cand.text, c.text) for c in chosen):
            continue
        if chosen and total + len(cand.text) > MAX_QUOTE_CHARS:
            continue
        chosen.append(cand)
        total += len(cand.text)
    quotes = []
    for cand in chosen:
        text = cand.text
        # A quote is never altered: anything not found verbatim in its passage is dropped.
        if not text or text not in cand.chunk.text:
            continue
        quotes.append(
            Quote(
                text=text,
                doc_id=cand.chunk.doc_id,
                code=cand.chunk.code,
                heading=cand.chunk.heading,
                chunk_id=cand.chunk.id,
                cut_before=cand.cut_before,
                cut_after=cand.cut_after,
            )
        )
    return quotes
