"""Facts from a document's metadata that go beside the quotes, and what to try when none fit."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answer.quotes import _WORD, _names_document_only, _terms
from bot.documents import Chunk
from bot.text import fold, has_diacritics
from bot.text import question_words as qw
from bot.text.abbreviations import expand_abbreviations
from bot.text.codes import PARTY_TYPES, STATE_TYPES, document_codes, find_question_codes
from bot.text.shorten import cut_at_word


def not_found_suggestions(question: str, chunks: Sequence[Chunk]) -> list[str]:
    """What to try when nothing answers: name the document, type the marks. No documents are
    suggested: the passages that came closest did not answer, so they are not related."""
    suggestions = [
        "Hỏi lại cụ thể hơn, kèm số hiệu văn bản, ví dụ: “Nghị quyết 57-NQ/TW đặt mục tiêu gì "
        "đến năm 2030?”"
    ]
    if not has_diacritics(question):
        suggestions.append("Gõ câu hỏi có dấu tiếng Việt để tìm chính xác hơn.")
    return suggestions


def short_title(title: str | None, limit: int = 60) -> str:
    """A title cut at a word boundary with '…'."""
    return cut_at_word(title or "", limit)


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
    folded = qw.folded_words(question)
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
    folded = qw.folded_words(question)
    asks_date = qw.asks(folded, qw.ASKS_ISSUE_DATE)
    about_issue = qw.asks(folded, qw.ISSUE_VERBS)
    if not (asks_date and about_issue) or not chunks:
        return about_notes(question, chunks)
    top = dated_chunk(question, chunks)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", top.date or "")
    if not m:
        return []
    name = top.code or short_title(top.title) or top.doc_id
    year, month, day = m.groups()
    return [f"Văn bản {name} được ban hành ngày {day} tháng {month} năm {year}."]
