"""Quality gates: what makes an item unfit to send, and near-duplicates across the bank."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.ingest.tables import row_fields
from bot.quiz.candidates import NUM, SINGLE_BODY, STOP, tokens
from bot.quiz.items import (
    BLANK,
    MAX_EXPLANATION,
    MAX_OPTION,
    MAX_QUESTION,
    QuizItem,
    clean_text,
    normalise_option,
)
from bot.text.normalize import fold

_KIND_SHAPES = {
    "percent": re.compile(rf"^(?:{NUM})%$"),
    "year": re.compile(r"^(?:19|20)\d\d$"),
    "number": re.compile(rf"^(?:{NUM})$"),
    "code": re.compile(r"^\d{1,4}-[A-Za-zĐđ]+/[A-ZĐƯ]+\d*$"),
    "table-deadline": re.compile(r"^\d{1,2}/20\d\d$"),
    "table-body": SINGLE_BODY,
}


def check_item(item: QuizItem, passage: str | None = None) -> list[str]:
    """Problems that make an item unfit to send (empty list: it passes the gates)."""
    problems: list[str] = []
    if not item.question.strip():
        problems.append("câu hỏi trống")
    if len(item.question) > MAX_QUESTION:
        problems.append(f"câu hỏi dài {len(item.question)} ký tự (tối đa {MAX_QUESTION})")
    if len(item.explanation) > MAX_EXPLANATION:
        problems.append(f"giải thích dài {len(item.explanation)} ký tự (tối đa {MAX_EXPLANATION})")
    if len(item.options) != 4:
        problems.append(f"có {len(item.options)} phương án (cần 4)")
    for option in item.options:
        if not option.strip():
            problems.append("có phương án trống")
        if len(option) > MAX_OPTION:
            problems.append(f"phương án dài {len(option)} ký tự (tối đa {MAX_OPTION})")
    if len({normalise_option(o) for o in item.options}) != len(item.options):
        problems.append("các phương án trùng nhau")
    if not 0 <= item.correct < len(item.options):
        problems.append("đáp án đúng không nằm trong các phương án")
        return problems
    if item.origin == "generated":
        problems += _check_source(item, passage)
        problems += _check_form(item)
    return problems


# Kinds whose options are statements, headings or document facts rather than a filled blank.
STRUCTURAL_KINDS = frozenset(
    {
        "viewpoint",
        "viewpoint-not",
        "task-group-not",
        "task-of",
        "fact-issuer",
        "fact-date",
        "fact-title",
    }
)


def _check_source(item: QuizItem, passage: str | None) -> list[str]:
    problems = []
    if passage is not None and item.source_text not in passage:
        problems.append("câu nguồn không có nguyên văn trong đoạn văn bản")
    clean_source = clean_text(item.source_text)
    if item.kind.startswith("table"):
        values = [value for _, value in row_fields(item.source_text) or []]
        cells = [normalise_option(c.removeprefix("Tháng ")) for c in values]
        if item.kind == "table-target":
            cells = [c.lstrip("≥>=") + "%" for c in cells]
        if normalise_option(item.answer) not in cells:
            problems.append("đáp án không có trong dòng nguồn của bảng")
        quoted = re.search(r"“([^”]+?)…?”", item.question)
        if not quoted or quoted.group(1) not in clean_source:
            problems.append("nội dung trích trong câu hỏi không khớp dòng nguồn")
        return problems
    if item.kind in STRUCTURAL_KINDS:
        return problems  # options are quoted statements or headings, not a blank
    if item.kind == "document":
        if clean_source not in item.question:
            problems.append("câu trích không khớp nguyên văn")
        return problems
    if BLANK not in item.question:
        problems.append("câu hỏi không có chỗ trống")
        return problems
    stem = item.question.split(": ", 1)[1] if item.question.startswith("Theo ") else item.question
    if stem.replace(BLANK, item.answer, 1) not in clean_source:
        problems.append("điền đáp án vào chỗ trống không ra nguyên văn câu nguồn")
    return problems


def _check_form(item: QuizItem) -> list[str]:
    problems = []
    shape = _KIND_SHAPES.get(item.kind)
    if shape and not all(shape.match(o) for o in item.options):
        problems.append("các phương án không cùng dạng")
    lengths = [len(o) for o in item.options]
    ratio = 3.5 if item.kind == "table-body" else 2.2
    if item.kind in ("name", "body", "table-body") and max(lengths) > ratio * min(lengths):
        problems.append("độ dài các phương án chênh lệch, dễ đoán")
    if item.kind == "body" and len({o.split()[0] for o in item.options}) != 1:
        problems.append("các cơ quan không cùng loại")
    stem_words = tokens(item.question.replace(BLANK, " ")) - STOP
    option_words = [tokens(o) for o in item.options]
    shared = set.intersection(*option_words)
    echoes = [bool((w - shared) & stem_words) for w in option_words]
    if item.kind != "document" and sum(echoes) == 1 and echoes[item.correct]:
        problems.append("một phương án lặp lại từ trong câu hỏi, dễ đoán")
    return problems


@lru_cache(maxsize=20000)
def _words(text: str) -> frozenset[str]:
    return frozenset(_folded(text).split())


@lru_cache(maxsize=20000)
def _folded(text: str) -> str:
    return fold(clean_text(text))


def drop_near_duplicates(items: list[QuizItem]) -> list[QuizItem]:
    """One item per fact: reports restate a figure in summary and in detail."""
    kept: list[QuizItem] = []
    for item in items:
        words = _words(item.source_text)
        duplicate = any(
            k.doc_id == item.doc_id
            and k.answer == item.answer
            and len(words & _words(k.source_text)) > 0.35 * len(words | _words(k.source_text))
            for k in kept
        )
        if not duplicate:
            kept.append(item)
    return kept


def overlaps(a: str, b: str, share: float = 0.5) -> bool:
    """True when two sentences say the same thing: one holds the other, or most words agree."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    short, long_ = sorted((_folded(a), _folded(b)), key=len)
    if len(short) >= 30 and short in long_:
        return True
    return len(wa & wb) > share * min(len(wa), len(wb))
