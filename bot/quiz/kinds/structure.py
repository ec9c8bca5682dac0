"""Items from a document's structure: its viewpoints and its groups of tasks.

"Quan điểm nào sau đây KHÔNG có trong…": three viewpoints quoted from the document and one
from another document's viewpoints; "Nhóm nhiệm vụ nào…" likewise with the task headings.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from bot.documents import Chunk
from bot.quiz.candidates import reads_as_fact, tokens
from bot.quiz.checks import STOP, check_item, overlaps
from bot.quiz.items import QuizItem, clean_text, make_item, meta_get, sentence_spans
from bot.quiz.kinds.which_document import doc_label
from bot.quiz.sections import TASK, VIEWPOINT, section_role
from bot.text.normalize import fold

OPTION_LIMIT = 95
PER_DOCUMENT = {"viewpoint": 6, "task-group": 4}
# Words every document of the library repeats: they say nothing about which group is meant.
_BOILER = set(
    "khoa hoc cong nghe doi moi sang tao chuyen so phat trien quoc gia tang cuong day manh thuc "
    "nang cao tiep tuc hoan thien viet nam nhan dan dang nha nuoc xa hoi kinh te he thong yeu cau "
    "mot cac nhung trong va cua cho ve voi theo de la tai tu den nhat dong bo hieu qua".split()
)
_LEANS_ON_BEFORE = re.compile(r"^(?:Là|Đây|Xác định đây|Đồng thời|Trong đó|Theo đó|Qua đó)\b")
_NUMBER_MARK = re.compile(r"^\s*(?:[IVX]+|\d{1,2}(?:\.\d{1,2})?|[a-zđ])\s*[-.)]\s*")


def short_statement(text: str, limit: int = OPTION_LIMIT) -> str:
    """A statement as an option: verbatim from its start, cut at a word before the limit."""
    text = clean_text(_NUMBER_MARK.sub("", clean_text(text))).rstrip(" .;:")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-– ")
    return cut + "…"


def _shingles(text: str, n: int = 4) -> set[str]:
    words = fold(clean_text(text)).split()
    return {" ".join(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def _distinct(text: str) -> set[str]:
    """Content words that tell one subject from another (boilerplate and short words dropped)."""
    return {w for w in tokens(text) - STOP - _BOILER if len(w) > 2 and not w.isdigit()}


def _starts_sentence(text: str, start: int) -> bool:
    """True for a whole sentence, not a clause after ';' or a list item after ':'."""
    before = text[:start].rstrip(" *\\-+•\n\t")
    return not before or (before[-1] not in ";:," and not before[-1].isalpha())


def _foreign(statement: str, doc_shingles: set[str]) -> bool:
    """True when the document says nothing like the statement (no 4-word run in common)."""
    own = _shingles(statement)
    return bool(own) and not (own & doc_shingles)


def _task_group(chunk: Chunk) -> str | None:
    """The numbered task heading the chunk sits under ('3. Tăng cường đầu tư…')."""
    path = list(chunk.heading_path)
    for i, heading in enumerate(path):
        folded = fold(heading)
        if re.search(r"nhiem vu|giai phap|phan cong", folded) and i + 1 < len(path):
            return path[i + 1] if re.match(r"^\s*\d", path[i + 1]) else None
    if path and re.match(r"^\s*\d{1,2}\s*[.)-]", path[0]):
        if not re.search(r"to chuc thuc hien", fold(path[0])):
            return path[0]
    return None


def _collect(
    chunks: Sequence[Chunk], documents_meta: Mapping[str, Any], avoid: Sequence[str]
) -> tuple[dict[str, list[tuple[str, Chunk]]], dict[str, dict[str, list[tuple[str, Chunk]]]]]:
    """Per document: its viewpoint sentences, and its task groups with their sentences."""
    viewpoints: dict[str, list[tuple[str, Chunk]]] = defaultdict(list)
    groups: dict[str, dict[str, list[tuple[str, Chunk]]]] = defaultdict(dict)
    for chunk in chunks:
        role = section_role(chunk, documents_meta.get(chunk.doc_id))
        group = _task_group(chunk) if role == TASK else None
        if group is not None:
            groups[chunk.doc_id].setdefault(group, [])
        for s, e in sentence_spans(chunk.text):
            sentence = chunk.text[s:e]
            if not reads_as_fact(sentence) or any(overlaps(sentence, a) for a in avoid):
                continue
            if not _starts_sentence(chunk.text, s) or _LEANS_ON_BEFORE.match(clean_text(sentence)):
                continue
            if role == VIEWPOINT and len(clean_text(sentence)) >= 60:
                viewpoints[chunk.doc_id].append((sentence, chunk))
            elif group is not None:
                groups[chunk.doc_id][group].append((sentence, chunk))
    return viewpoints, groups


def _item(
    stem: str,
    answer: str,
    others: list[str],
    rng: random.Random,
    chunk: Chunk,
    meta: Any,
    source: str,
    kind: str,
    note: str,
) -> QuizItem:
    code = meta_get(meta, "code") or chunk.code
    explanation = f"Đáp án: {answer} Nguồn: {code}, {note}."
    if len(explanation) > 200:
        explanation = explanation[:199].rsplit(" ", 1)[0] + "…"
    return make_item(
        stem=stem,
        answer=answer,
        distractors=others,
        rng=rng,
        explanation=explanation,
        chunk=chunk,
        code=code,
        source_text=source,
        kind=kind,
    )


def _unique(pairs: list[tuple[str, Chunk]]) -> list[tuple[str, Chunk]]:
    seen: set[str] = set()
    out = []
    for sentence, chunk in pairs:
        option = short_statement(sentence)
        if option not in seen:
            seen.add(option)
            out.append((sentence, chunk))
    return out


def viewpoint_items(
    chunks: Sequence[Chunk],
    documents_meta: Mapping[str, Any],
    seed: int = 0,
    avoid: Sequence[str] = (),
) -> list[QuizItem]:
    """'KHÔNG có trong' and 'là một quan điểm của' items from the viewpoint sections."""
    viewpoints, _groups = _collect(chunks, documents_meta, avoid)
    doc_text: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        doc_text[chunk.doc_id] |= _shingles(chunk.text)
    items: list[QuizItem] = []
    for doc_id, own in viewpoints.items():
        meta = documents_meta.get(doc_id)
        label = doc_label(meta)
        own = _unique(own)
        foreign = _unique(
            [
                pair
                for other, pairs in viewpoints.items()
                if other != doc_id
                for pair in pairs
                if _foreign(pair[0], doc_text[doc_id])
            ]
        )
        if not label or len(own) < 3 or len(foreign) < 3:
            continue
        rng = random.Random(f"{seed}:viewpoint:{doc_id}")
        rng.shuffle(own)
        rng.shuffle(foreign)
        made = 0
        # One false statement among three quoted ones: KHÔNG có trong…
        for i, (false, false_chunk) in enumerate(foreign[: PER_DOCUMENT["viewpoint"] // 2]):
            true = [short_statement(s) for s, _c in own[3 * i : 3 * i + 3]]
            if len(true) < 3:
                break
            stem = f"Nội dung nào sau đây KHÔNG có trong phần quan điểm chỉ đạo của {label}?"
            other_label = doc_label(documents_meta.get(false_chunk.doc_id)) or "văn bản khác"
            item = _item(
                stem,
                short_statement(false),
                true,
                rng,
                own[3 * i][1],
                meta,
                own[3 * i][0],
                "viewpoint-not",
                f"nội dung này thuộc {other_label}, không có trong phần quan điểm của {label}",
            )
            if not check_item(item):
                items.append(item)
                made += 1
        # One quoted statement among three from another document: là quan điểm của…
        for j, (true, chunk) in enumerate(own[-(PER_DOCUMENT["viewpoint"] // 2) :]):
            others = [short_statement(s) for s, _c in foreign[3 * j + 1 : 3 * j + 4]]
            if len(others) < 3:
                break
            stem = f"Nội dung nào sau đây là quan điểm chỉ đạo được nêu trong {label}?"
            item = _item(
                stem,
                short_statement(true),
                others,
                rng,
                chunk,
                meta,
                true,
                "viewpoint",
                f"phần quan điểm ({clean_text(chunk.heading_path[-1])})",
            )
            if not check_item(item):
                items.append(item)
    return items


def task_items(
    chunks: Sequence[Chunk],
    documents_meta: Mapping[str, Any],
    seed: int = 0,
    avoid: Sequence[str] = (),
) -> list[QuizItem]:
    """Which task groups a document has ("…KHÔNG có trong…").

    "Nội dung … thuộc nhóm nhiệm vụ nào?" is not asked: a blind read found it tests where a
    sentence sits, not what it says, and a measure often fits two groups.
    """
    _viewpoints, groups = _collect(chunks, documents_meta, avoid)
    items: list[QuizItem] = []
    all_groups = {doc_id: list(g) for doc_id, g in groups.items()}
    all_headings: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        all_headings[chunk.doc_id].update(clean_text(h) for h in chunk.heading_path)
    for doc_id, own_groups in groups.items():
        meta = documents_meta.get(doc_id)
        label = doc_label(meta)
        headings = list(own_groups)
        if not label or len(headings) < 4:
            continue
        rng = random.Random(f"{seed}:tasks:{doc_id}")
        # Another document's group is a fair false option only if no heading of this
        # document, at any level, is about the same thing ("hợp tác quốc tế" twice is not).
        own_words = [_distinct(h) for h in all_headings[doc_id]]
        foreign = sorted(
            {
                short_statement(h)
                for other, hs in all_groups.items()
                if other != doc_id
                for h in hs
                if _distinct(h) and not any(_distinct(h) & w for w in own_words)
            }
        )
        rng.shuffle(foreign)
        first = next(c for c in chunks if c.doc_id == doc_id)
        for false in foreign[: PER_DOCUMENT["task-group"]]:
            true = rng.sample([short_statement(h) for h in headings], 3)
            stem = f"Nhóm nhiệm vụ, giải pháp nào sau đây KHÔNG có trong {label}?"
            item = _item(
                stem,
                false,
                true,
                rng,
                first,
                meta,
                "; ".join(true),
                "task-group-not",
                f"{label} không có nhóm nhiệm vụ này",
            )
            if not check_item(item):
                items.append(item)
    return items
