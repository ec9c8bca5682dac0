"""Cloze items: a sentence with one fact (a target, a year, a body, a code) left blank."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from bot.documents import Chunk
from bot.quiz.candidates import Candidate, find_candidates, label_line, reads_as_fact
from bot.quiz.checks import check_item
from bot.quiz.distractors import Pool
from bot.quiz.items import (
    BLANK,
    LEADING_MARK,
    MD_NOISE,
    QuizItem,
    clean_text,
    explanation_for,
    lead_for,
    make_item,
    meta_get,
    normalise_option,
    sentence_spans,
)
from bot.text.normalize import fold


def _context_key(sentence: str, cand: Candidate) -> str:
    """The words around a value: three before and two after, folded."""
    before = fold(clean_text(sentence[: cand.start])).split()[-3:]
    after = fold(clean_text(sentence[cand.end :]) if cand.end < len(sentence) else "").split()[:2]
    return cand.kind + ":" + " ".join(before) + " _ " + " ".join(after)


_CONNECTIVE = re.compile(
    r"^(?:Qua đó|Kết quả|Đồng thời|Theo đó|Trong đó|Do đó|Vì vậy|Từ đó|Nhờ đó|Bên cạnh đó|"
    r"Ngoài ra|Đây là|Điều này|Như vậy|Cùng với đó)\b"
)


def _needs_context(sentence: str) -> bool:
    """A clause that leans on the one before: a connective, or a ';' clause opening on a verb."""
    text = LEADING_MARK.sub("", MD_NOISE.sub("", sentence)).lstrip()
    return bool(_CONNECTIVE.match(clean_text(text))) or bool(
        re.match(r"(?:kiểm tra|thi hành|ban hành|xây dựng|triển khai|tổ chức|đã|có) ", text)
    )


def _counted_nearby(sentence: str, cand: Candidate) -> bool:
    """A count the sentence spells out ('02 doanh nghiệp (Viettel, VNPT)') gives itself away."""
    return cand.kind == "number" and bool(
        re.match(r"[^()]{0,40}\([^)]*,[^)]*\)", sentence[cand.end :])
    )


def _good_cloze(body: str, cand: Candidate) -> bool:
    """Enough of the sentence around the blank to know what is asked."""
    if len(body.split()) < 12:
        return False  # "Chuẩn hóa ___ thông tin mã số thuế." lacks what it is about
    # A missing subject ("___ nhiệm vụ đang thực hiện") is fine only when asking who leads.
    return not (body.startswith("\x00") and cand.kind != "body")


def _in_range(sentence: str, cand: Candidate) -> bool:
    """True for one end of a range ('1% - 3%'): the other end would be a near-true distractor."""
    before, after = sentence[: cand.start], sentence[cand.end :]
    return bool(re.search(r"\d%?\s*[-–]\s*$", before) or re.match(r"\s*[-–]\s*\d", after))


ITEMS_PER_CHUNK = 3
TARGET_WORDS = re.compile(
    r"phấn đấu|tối thiểu|ít nhất|đạt|đến năm|trên|khoảng|chiếm|thuộc nhóm|chủ trì", re.IGNORECASE
)
_KIND_RANK = {"code": 0, "name": 1, "percent": 2, "body": 3, "number": 4, "year": 5}


def cloze_items(
    chunks: list[Chunk], documents_meta: Mapping[str, Any], seed: int = 0
) -> list[QuizItem]:
    """Cloze items over the chunks, deterministic for a seed."""
    pool = Pool()
    per_chunk: list[tuple[Chunk, list[tuple[int, int, list[Candidate]]]]] = []
    chunk_answers: dict[str, set[str]] = {}
    # Values each wording takes across the corpus ("kinh tế số đạt tối thiểu X GDP": 30% in
    # 2030, 50% in 2045): none of them may be a distractor for that wording.
    context_values: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        sentences = []
        seen: set[str] = set()
        for s, e in sentence_spans(chunk.text):
            cands = find_candidates(chunk.text[s:e])
            for c in cands:
                pool.add(c)
                seen.add(normalise_option(c.answer))
                context_values[_context_key(chunk.text[s:e], c)].add(normalise_option(c.answer))
            sentences.append((s, e, cands))
        per_chunk.append((chunk, sentences))
        chunk_answers[chunk.id] = seen

    items: list[QuizItem] = []
    used_ids: set[str] = set()
    used_stems: set[str] = set()
    answer_uses: dict[tuple[str, str, str], int] = defaultdict(int)
    for chunk, sentences in per_chunk:
        meta = documents_meta.get(chunk.doc_id)
        code = chunk.code or meta_get(meta, "code")
        lead = lead_for(chunk, meta)
        rng = random.Random(f"{seed}:{chunk.id}")
        made = 0
        options_seen: set[str] = set()
        ranked = []
        for index, (s, e, cands) in enumerate(sentences):
            unit_start, offset = s, 0
            if _needs_context(chunk.text[s:e]):
                # "Qua đó, đã kiểm tra 21 đảng viên": say who, from the sentence before.
                prev = sentences[index - 1][0] if index else None
                if prev is None or len(clean_text(chunk.text[prev:e])) > 240:
                    if _CONNECTIVE.match(clean_text(chunk.text[s:e])):
                        continue
                elif not label_line(clean_text(chunk.text[s:e])):
                    unit_start, offset = prev, s - prev
                else:
                    continue
            sentence = chunk.text[unit_start:e]
            if not reads_as_fact(sentence):
                continue
            for cand in find_candidates(sentence) if offset else cands:
                if cand.start < offset or cand.kind not in _KIND_RANK:
                    continue
                if not _in_range(sentence, cand) and not _counted_nearby(sentence, cand):
                    ranked.append((_KIND_RANK[cand.kind], unit_start, sentence, cand))
        # Targets and commitments ("phấn đấu", "tối thiểu", "đến năm") make the best questions.
        ranked.sort(key=lambda r: (not TARGET_WORDS.search(r[2]), r[0], r[1]))
        used_sentences: set[int] = set()
        for _rank, s, sentence, cand in ranked:
            if made >= ITEMS_PER_CHUNK or s in used_sentences:
                continue
            if normalise_option(cand.answer) in options_seen:
                continue
            answer_key = (chunk.doc_id, cand.kind, normalise_option(cand.answer))
            if answer_uses[answer_key] >= (1 if cand.kind == "code" else 2):
                continue  # plans cite their resolution everywhere: ask it once
            body = clean_text(sentence[: cand.start] + "\x00" + sentence[cand.end :])
            if not _good_cloze(body, cand):
                continue
            stem = lead + body.replace("\x00", BLANK)
            exclude = (
                chunk_answers[chunk.id]
                | {normalise_option(c.answer) for c in find_candidates(sentence)}
                | context_values[_context_key(sentence, cand)]
            )
            distractors = pool.distractors(cand, exclude, rng, stem)
            if distractors is None:
                continue
            item = make_item(
                stem=stem,
                answer=cand.answer,
                distractors=distractors,
                rng=rng,
                explanation=explanation_for(cand.answer, chunk, meta),
                chunk=chunk,
                code=code,
                source_text=sentence,
                kind=cand.kind,
            )
            if check_item(item, chunk.text) or item.id in used_ids or stem in used_stems:
                continue
            answer_uses[answer_key] += 1
            used_stems.add(stem)
            items.append(item)
            used_ids.add(item.id)
            used_sentences.add(s)
            options_seen.add(normalise_option(cand.answer))
            made += 1
    return items
