"""'Which document says this?': a sentence only one document of the library says."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from bot.documents import Chunk
from bot.quiz.candidates import CODE_RE, reads_as_fact
from bot.quiz.items import (
    QuizItem,
    clean_text,
    explanation_for,
    make_item,
    meta_get,
    sentence_spans,
)
from bot.text.normalize import fold

WHICH_DOC_QUESTION = "Văn bản nào nêu nội dung sau?"
PER_CHUNK = 2
TYPE_NAMES = {
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "HD": "Hướng dẫn",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "CV": "Công văn",
    "BC": "Báo cáo",
    "TB": "Thông báo",
}


_STATE_CODE = re.compile(r"\d{1,4}/(?:NQ|NĐ|QĐ|CT|TT)-[A-ZĐ]{2,8}")


def _names_issuer(sentence: str, meta: Any) -> bool:
    """True when the sentence names the body that issued its own document (or its office)."""
    issuer = meta_get(meta, "issuer") or ""
    words = issuer.split()
    core = " ".join(words[-2:]) if len(words) >= 2 else issuer
    return bool(core) and (core in sentence or ("Quốc hội" in issuer and "UBTVQH" in sentence))


def _implements(meta: Any, other: Any) -> bool:
    """True when one document is issued to carry out the other (its title names the code)."""
    code = meta_get(other, "code") or ""
    title = meta_get(meta, "title") or ""
    return bool(code) and code in title


def doc_label(meta: Any) -> str | None:
    """'Nghị quyết 57-NQ/TW': every option has this shape, so none stands out by form."""
    code = meta_get(meta, "code")
    if not code or not (CODE_RE.fullmatch(code) or _STATE_CODE.fullmatch(code)):
        return None
    kind = re.split(r"[-/]", code)[1]
    doc_type = meta_get(meta, "doc_type") or TYPE_NAMES.get(kind)
    return f"{doc_type} {code}" if doc_type else code


# Something specific a reader can place: a figure, a quoted name, an acronym, "Kế hoạch này".
_ANCHOR = re.compile(r"\d|“|\b[A-ZĐ]{2,}\b|(?:Kế hoạch|Kết luận|Nghị quyết|Chương trình) này")


def _shingles(text: str, n: int = 5) -> set[str]:
    words = fold(clean_text(text)).split()
    return {" ".join(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def _which_document_pool(
    chunks: list[Chunk], documents_meta: Mapping[str, Any]
) -> dict[str, list[tuple[int, int]]]:
    """Per chunk, up to PER_CHUNK sentences only its own document says ('which document?')."""
    by_code: dict[str, str] = {}
    for doc_id, meta in documents_meta.items():
        if meta_get(meta, "source_kind") != "article" and doc_label(meta):
            by_code.setdefault(meta_get(meta, "code"), doc_id)
    if len(by_code) < 4:
        return {}
    shingle_docs: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        code = meta_get(documents_meta.get(chunk.doc_id), "code") or chunk.doc_id
        for sh in _shingles(chunk.text):
            shingle_docs[sh].add(code)
    out: dict[str, list[tuple[int, int]]] = {}
    for chunk in chunks:
        meta = documents_meta.get(chunk.doc_id)
        code = meta_get(meta, "code")
        if code not in by_code or by_code[code] is None:
            continue
        if meta_get(meta, "source_kind") == "article":
            continue
        for s, e in sentence_spans(chunk.text):
            sentence = chunk.text[s:e]
            if not reads_as_fact(sentence) or not 80 <= len(clean_text(sentence)) <= 220:
                continue
            if not _ANCHOR.search(sentence):
                continue  # generic wording a member could not place in one document
            if CODE_RE.search(sentence) or _names_issuer(sentence, meta):
                continue  # a code ("thực hiện Nghị quyết 57…") or the issuer gives it away
            shingles = _shingles(sentence)
            # Party texts repeat each other (plans restate the resolution): keep sentences
            # no other document shares a 5-word run with, so only one option is true.
            if shingles and all(shingle_docs[sh] == {code} for sh in shingles):
                out.setdefault(chunk.id, []).append((s, e))
                if len(out[chunk.id]) >= PER_CHUNK:
                    break
    return out


def _which_document_item(
    chunk: Chunk, span: tuple[int, int], documents_meta: Mapping[str, Any], rng: random.Random
) -> QuizItem | None:
    meta = documents_meta.get(chunk.doc_id)
    code = meta_get(meta, "code")
    answer = doc_label(meta)
    if not answer:
        return None
    others: dict[str, str] = {}
    for other in documents_meta.values():
        label = doc_label(other)
        other_code = meta_get(other, "code")
        if label and other_code != code and meta_get(other, "source_kind") != "article":
            if _implements(meta, other) or _implements(other, meta):
                continue  # a plan restates its resolution: both would read as right
            others.setdefault(other_code, label)
    if len(others) < 3:
        return None
    labels = sorted(others.values())
    rng.shuffle(labels)
    sentence = chunk.text[span[0] : span[1]]
    stem = f"{WHICH_DOC_QUESTION}\n“{clean_text(sentence)}”"
    return make_item(
        stem=stem,
        answer=answer,
        distractors=labels[:3],
        rng=rng,
        explanation=explanation_for(code, chunk, meta),
        chunk=chunk,
        code=code,
        source_text=sentence,
        kind="document",
    )


def which_document_items(
    chunks: list[Chunk], documents_meta: Mapping[str, Any], seed: int = 0
) -> list[QuizItem]:
    """'Which document?' items from sentences only one document of the library says."""
    from bot.quiz.checks import check_item

    items = []
    by_id = {c.id: c for c in chunks}
    for chunk_id, spans in _which_document_pool(chunks, documents_meta).items():
        chunk = by_id[chunk_id]
        rng = random.Random(f"{seed}:{chunk_id}")
        for span in spans:
            item = _which_document_item(chunk, span, documents_meta, rng)
            if item and not check_item(item, chunk.text):
                items.append(item)
    return items
