"""The quiz item model and the text helpers every kind of question shares.

Every item keeps the verbatim sentence it was cut from, so the correct answer can be checked
against the passage, and cites its document and section.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bot.documents import Chunk
from bot.text.normalize import fold

BLANK = "___"
MAX_QUESTION = 300
MAX_OPTION = 100
MAX_EXPLANATION = 200


@dataclass(frozen=True)
class QuizItem:
    """One four-option question with its source passage and citation."""

    id: str
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    doc_id: str | None = None
    code: str | None = None
    chunk_id: str | None = None
    source_text: str = ""  # the sentence the item comes from, verbatim from the chunk
    kind: str = ""  # percent | number | year | code | name | body | document | curated
    origin: str = "generated"  # generated | curated
    heading: str = ""

    @property
    def answer(self) -> str:
        """The text of the correct option."""
        return self.options[self.correct]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (options as a list) for JSON and storage."""
        data = asdict(self)
        data["options"] = list(self.options)
        return data


def item_id(question: str, options: Sequence[str]) -> str:
    """Stable id: a hash of the question and its options (order-independent)."""
    key = question + "\x1f" + "\x1f".join(sorted(options))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- text cleaning

MD_NOISE = re.compile(r"\*+|_{2,}|`+|\\(?=[-.()\[\]*_#+!|])|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
LEADING_MARK = re.compile(r"^\s*(?:#+\s*|[-+•]\s+|[a-zđ]\)\s+|\d{1,2}(?:\.\d{1,2})*\s*[-.)]\s+)")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Text as a member reads it: Markdown emphasis/escapes and list markers removed."""
    text = MD_NOISE.sub("", text)
    text = LEADING_MARK.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def normalise_option(text: str) -> str:
    """Key for comparing options: folded, spacing and punctuation ignored, '05' equals '5'."""
    key = re.sub(r"[^\w%,.]+", "", fold(text)).strip(".,")
    if re.fullmatch(r"[\d.,]+%?", key):
        return key.lstrip("0") or "0"
    return key.replace(",", "").replace(".", "")


def number_shape(text: str) -> tuple[bool, bool, bool]:
    """How a number is written (leading zero, decimal comma, thousands dot): options must agree."""
    return (bool(re.match(r"0\d", text)), "," in text, "." in text)


# ---------------------------------------------------------------- sentences

_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+(?=\S)|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or ';' clause of text; slices are verbatim."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def meta_get(meta: Any, name: str) -> Any:
    return getattr(meta, name, None) if meta is not None else None


def heading_context(chunk: Chunk) -> str:
    """The innermost heading, when short, as context ('Đến năm 2030' vs 'Tầm nhìn đến năm 2045')."""
    if not chunk.heading_path:
        return ""
    heading = re.sub(r"^\s*(?:[IVX]+|\d+|[a-zđ])\s*[-.)|]\s*(?:\|\s*)?", "", chunk.heading_path[-1])
    heading = clean_text(heading)
    if not 3 <= len(heading) <= 50 or heading.isupper() or ":" in heading:
        return ""
    return heading


def lead_for(chunk: Chunk, meta: Any) -> str:
    code = chunk.code or meta_get(meta, "code")
    context = heading_context(chunk)
    if code and context and meta_get(meta, "source_kind") != "article":
        doc_type = meta_get(meta, "doc_type")
        name = f"{doc_type} {code}" if doc_type else code
        return f"Theo {name}, mục “{context}”: "
    if meta_get(meta, "source_kind") == "article":
        return f"Theo bài viết về {code}: " if code else "Theo bài viết: "
    doc_type = meta_get(meta, "doc_type")
    if code and doc_type:
        return f"Theo {doc_type} {code}: "
    return f"Theo {code}: " if code else ""


def explanation_for(answer: str, chunk: Chunk, meta: Any) -> str:
    code = chunk.code or meta_get(meta, "code") or chunk.doc_id
    source = code
    if chunk.heading_path:
        source += " › " + clean_text(chunk.heading_path[-1])
    text = f"Đáp án: {answer}. Nguồn: {source}"
    if len(text) > MAX_EXPLANATION:
        text = text[: MAX_EXPLANATION - 1].rsplit(" ", 1)[0] + "…"
    return text


def make_item(
    *,
    stem: str,
    answer: str,
    distractors: list[str],
    rng: random.Random,
    explanation: str,
    chunk: Chunk,
    code: str | None,
    source_text: str,
    kind: str,
) -> QuizItem:
    options = [answer, *distractors]
    rng.shuffle(options)
    return QuizItem(
        id=item_id(stem, options),
        question=stem,
        options=tuple(options),
        correct=options.index(answer),
        explanation=explanation,
        doc_id=chunk.doc_id,
        code=code,
        chunk_id=chunk.id,
        source_text=source_text,
        kind=kind,
        heading=chunk.heading,
    )
