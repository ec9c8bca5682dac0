"""Hits → Answer: verbatim sentences with their citations, or a plain 'not found'."""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.documents import Chunk
from bot.text import fold, has_diacritics, normalize
from bot.text.abbreviations import expand_abbreviations
from bot.text.codes import PARTY_TYPES, STATE_TYPES, document_codes, find_question_codes
from bot.text.normalize import fold_normalized

MAX_QUOTES = 3
QUOTE_PASSAGES = 5  # quotes are taken from this many top passages
RANK_DECAY = 0.25  # a sentence from the passage ranked r weighs 1 / (1 + RANK_DECAY * r)
QUOTE_RELATIVE = 0.45  # a further quote scores at least this share of the best one
LONG_SENTENCE = 600  # longer "sentences" (table rows, enumerations) are cut to a clause window
CLAUSE_WINDOW = 450  # target length of such a cut
MAX_QUOTE_CHARS = 1500  # all quotes together


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from, and the passage itself."""

    chunk_id: str
    doc_id: str
    code: str | None
    title: str | None
    heading: str  # "II- MỤC TIÊU › 1. Đến năm 2030"
    date: str | None
    score: float
    text: str  # the full passage


@dataclass(frozen=True)
class Quote:
    """A sentence copied verbatim from a cited passage."""

    text: str
    doc_id: str
    code: str | None
    heading: str
    chunk_id: str = ""
    cut_before: bool = False  # the sentence goes on before this text (render "…" outside)
    cut_after: bool = False  # the sentence goes on after this text


@dataclass(frozen=True)
class Answer:
    """What a member is shown for one question."""

    question: str
    found: bool
    quotes: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)  # top passages in rank order
    suggestions: list[str] = field(default_factory=list)  # when not found: what to try
    notes: list[str] = field(default_factory=list)  # facts from document metadata (issue date)
    reply: str | None = None  # a short reply instead of quotes (chatter: "👍", "cảm ơn")

    def citation_for(self, quote: Quote) -> Citation | None:
        """The citation a quote was cut from."""
        return next((c for c in self.citations if c.chunk_id == quote.chunk_id), None)


# Folded function words and question words: they say nothing about which sentence holds the fact.
_STOPWORDS = frozenset(
    """a ai bao bay cac cai chi cho co cua da dang de den di do duoc gi gio hay the thi thoi
    khi khong la lam ma may minh mot muon nao nay neu nhe nhi nhung noi o ra roi sao se so tai
    theo thi tren trong tu va van vay ve vi voi vo nhieu""".split()
)
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
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[\wĐ])")
_ROW_NUMBER = re.compile(r"(?:\d{1,3}|[IVXLC]{1,6})[.)]?\s*\|\s*")
_CLAUSE_END = re.compile(r"[;,:]\s+")


@dataclass(frozen=True)
class _Intent:
    """What kind of fact the question asks for (from its question words)."""

    number: bool = False
    percent: bool = False
    date: bool = False
    body: bool = False


def _folded_words(question: str) -> str:
    """' nq 03 cua cp co hieu luc tu khi nao ': folded words between single spaces."""
    return " " + " ".join(_WORD.findall(fold(question))) + " "


def _intent(question: str) -> _Intent:
    folded = _folded_words(question)
    number = any(
        w in folded
        for w in (" bao nhieu ", " may ", " ty le ", " phan tram ", " so luong ", " bao lau ")
    )
    percent = "phan tram" in folded or "%" in question or "ty le" in folded
    date = any(
        w in folded
        for w in (
            " khi nao ",
            " ngay nao ",
            " nam nao ",
            " bao gio ",
            " luc nao ",
            " thoi gian nao ",
            " hieu luc ",
            " thoi han ",
            " den nam ",
        )
    )
    body = any(
        w in folded
        for w in (
            " ai ",
            " co quan nao ",
            " bo nao ",
            " ban nao ",
            " don vi nao ",
            " chu tri ",
            " to chuc nao ",
        )
    )
    return _Intent(number=number, percent=percent, date=date, body=body)


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


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage, split on sentence ends and line breaks."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        base = line.start()
        pos = 0
        chunk = line.group()
        for m in _SENTENCE_END.finditer(chunk):
            spans.append((base + pos, base + m.start()))
            pos = m.end()
        spans.append((base + pos, base + len(chunk)))
    out = []
    for start, end in spans:
        piece = text[start:end]
        stripped = piece.strip()
        if len(_WORD.findall(stripped)) < 3:  # headings bits, lone numbers, table rulers
            continue
        lead = len(piece) - len(piece.lstrip())
        out.append((start + lead, start + lead + len(stripped)))
    return out


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
    intent: _Intent,
    q_accented: set[str],
    features: tuple[frozenset[str], frozenset[str], frozenset[str], int] | None = None,
) -> float:
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
    if intent.number and (_DIGIT.search(text) or _NUMBER_WORD.search(text)):
        boost += 0.35
        if intent.percent and "%" in text:
            boost += 0.25
    if intent.date and _DATE.search(text):
        boost += 0.35
    if intent.body and _BODY.search(text):
        boost += 0.2
    # Long sentences match more words by chance: a mild length penalty.
    return score * boost / (1.0 + max(length, 1) / 120.0) ** 0.5


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
    intent: _Intent,
    q_accented: set[str],
) -> _Candidate:
    """A clause window of a very long sentence around its best-matching clauses."""
    text = cand.chunk.text
    bounds = [cand.start]
    for m in _CLAUSE_END.finditer(text, cand.start, cand.end):
        bounds.append(m.end())
    bounds.append(cand.end)
    # Features per clause once; a window's are the union of its clauses' (no re-folding).
    clauses = [_features(text[s:e]) for s, e in itertools.pairwise(bounds)]
    best: tuple[float, int, int] | None = None
    for i in range(len(bounds) - 1):
        uni: frozenset[str] = frozenset()
        bi: frozenset[str] = frozenset()
        marked: frozenset[str] = frozenset()
        length = 0
        for j in range(i + 1, len(bounds)):
            s, e = bounds[i], bounds[j]
            if e - s > CLAUSE_WINDOW and j > i + 1:
                break
            c_uni, c_bi, c_marked, c_len = clauses[j - 1]
            uni, bi, marked, length = uni | c_uni, bi | c_bi, marked | c_marked, length + c_len
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


def citation_of(hit_chunk: Chunk, score: float) -> Citation:
    """The citation for one retrieved passage."""
    return Citation(
        chunk_id=hit_chunk.id,
        doc_id=hit_chunk.doc_id,
        code=hit_chunk.code,
        title=hit_chunk.title,
        heading=hit_chunk.heading,
        date=hit_chunk.date,
        score=float(score),
        text=hit_chunk.text,
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


def select_quotes(question: str, chunks: Sequence[Chunk]) -> list[Quote]:
    """The 1–3 sentences of the ranked passages that best answer the question, key fact first."""
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
    intent = _intent(question)
    q_years = set(_YEAR.findall(question))
    # Content words as typed with their marks (never the stop or code words dropped above).
    q_accented = {
        w.lower()
        for w in _WORD.findall(normalize(question))
        if has_diacritics(w) and fold(w) in q_unigrams
    }
    candidates: list[_Candidate] = []
    for rank, chunk in enumerate(chunks[:QUOTE_PASSAGES]):
        for start, end in sentence_spans(chunk.text):
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
    for t in q_unigrams | q_bigrams:
        idf.setdefault(t, rare)
    for cand in candidates:
        if cand.end - cand.start > LONG_SENTENCE and (
            _score_text(cand.text, q_unigrams, q_bigrams, idf, intent, q_accented) > 0
        ):
            cut = _cut_long(cand, q_unigrams, q_bigrams, idf, intent, q_accented)
            cand.start, cand.end = cut.start, cut.end
            cand.cut_before, cand.cut_after = cut.cut_before, cut.cut_after
        base = _score_text(cand.text, q_unigrams, q_bigrams, idf, intent, q_accented)
        if base > 0 and cand.chunk.heading:
            # "Đến năm 2030" in the heading path tells which target list a sentence belongs to.
            context = _score_text(
                cand.chunk.heading, q_unigrams, q_bigrams, idf, _Intent(), q_accented
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


def not_found_suggestions(question: str, chunks: Sequence[Chunk]) -> list[str]:
    """What to try when nothing answers: a document code, diacritics, close documents."""
    suggestions = [
        "Hỏi lại cụ thể hơn, kèm số hiệu văn bản, ví dụ: “Nghị quyết 57-NQ/TW đặt mục tiêu gì "
        "đến năm 2030?”"
    ]
    if not has_diacritics(question):
        suggestions.append("Gõ câu hỏi có dấu tiếng Việt để tìm chính xác hơn.")
    close: list[str] = []
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.doc_id in seen:
            continue
        seen.add(chunk.doc_id)
        name = chunk.code or chunk.doc_id
        title = short_title(chunk.title)
        close.append(f"{name} ({title})" if title else name)
        if len(close) == 3:
            break
    if close:
        suggestions.append("Các văn bản gần với câu hỏi: " + "; ".join(close) + ".")
    return suggestions


def short_title(title: str | None, limit: int = 60) -> str:
    """A title cut at a word boundary with '…'."""
    title = (title or "").strip()
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def about_notes(question: str, chunks: Sequence[Chunk]) -> list[str]:
    """'Nghị quyết 57 nói về gì?': the named document's code, date and full title."""
    if not chunks or not chunks[0].title:
        return []
    top = chunks[0]
    code_words = {w for c in chunks if c.code for w in _WORD.findall(fold(c.code))}
    unigrams, _ = _terms(expand_abbreviations(question))
    if not _names_document_only(unigrams, code_words):
        return []
    name = top.code or top.doc_id
    date = ".".join(reversed(top.date.split("-"))).replace(".", "/") if top.date else ""
    return [f"{name}{f' ({date})' if date else ''}: {top.title}"]


def dated_chunk(question: str, chunks: Sequence[Chunk]) -> Chunk:
    """The passage whose document a date question is about: the top one, unless the question
    names another document by its code and not the top one's kind ("nghị quyết 57 ban hành
    ngày nào?" over a letter that cites it). "Kế hoạch … thực hiện Nghị quyết 57" keeps its
    top passage from the plan: it names the kind of document it asks about."""
    top = chunks[0]
    named = find_question_codes(question)
    if not named or any(q.matches(c) for q in named for c in document_codes(top.code)):
        return top
    folded = _folded_words(question)
    for code in document_codes(top.code):
        kind = PARTY_TYPES.get(code.doc_type) or STATE_TYPES.get(code.doc_type) or ""
        if kind and f" {fold(kind)} " in folded:
            return top
    for chunk in chunks[1:]:
        if any(q.matches(c) for q in named for c in document_codes(chunk.code)):
            return chunk
    return top


def issue_date_notes(question: str, chunks: Sequence[Chunk]) -> list[str]:
    """'When was it issued?': the asked document's date from its header (chunks leave it out)."""
    folded = _folded_words(question)
    asks_date = any(
        w in folded for w in (" ngay nao ", " nam nao ", " khi nao ", " bao gio ", " luc nao ")
    )
    about_issue = any(w in folded for w in (" ban hanh ", " ky ", " ra doi ", " thong qua "))
    if not (asks_date and about_issue) or not chunks:
        return about_notes(question, chunks)
    top = dated_chunk(question, chunks)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", top.date or "")
    if not m:
        return []
    name = top.code or short_title(top.title) or top.doc_id
    year, month, day = m.groups()
    return [f"Văn bản {name} được ban hành ngày {day} tháng {month} năm {year}."]


def compose_answer(question: str, hits: Sequence, found: bool) -> Answer:
    """The answer to show: quotes from the top hits with citations, or a 'not found' with tips."""
    citations = [citation_of(hit.chunk, hit.score) for hit in hits]
    chunks = [hit.chunk for hit in hits]
    if found:
        quotes = select_quotes(question, chunks)
        if quotes:
            return Answer(
                question=question,
                found=True,
                quotes=quotes,
                citations=citations,
                notes=issue_date_notes(question, chunks),
            )
    return Answer(
        question=question,
        found=False,
        citations=citations,
        suggestions=not_found_suggestions(question, chunks),
    )
