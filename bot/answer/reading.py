"""What a question is about as a whole: the documents it names, the part of a document,
whether it wants a list, a comparison, or a fact from the header or signature."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer.library import Library
from bot.text import question_words as qw
from bot.text.codes import DocCode, find_question_codes
from bot.text.normalize import fold

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_WORD = re.compile(r"\w+", re.UNICODE)
_ORDINAL = re.compile(r"\bthu\s+(\d{1,2}|[a-z]+)\b")  # "nhiệm vụ thứ 3", "thứ ba"
# "những nguyên nhân chủ quan nào", "các lĩnh vực nào": a list, whatever the noun.
_WHICH_ONES = re.compile(r" (?:nhung|cac) (?:\w+ ){1,4}nao ")


@dataclass(frozen=True)
class Reading:
    """A question read against the library."""

    codes: tuple[DocCode, ...] = ()  # every document code the question names
    doc_ids: tuple[str, ...] = ()  # the named documents the library holds
    absent: tuple[DocCode, ...] = ()  # named codes the library does not hold
    asks: str = ""  # "signer" | "number" | "date" | "issuer" | "" (a fact from the header)
    section: str = ""  # folded section words ("muc tieu", "to chuc thuc hien")
    ordinal: int | None = None  # "nhiệm vụ thứ 3" → 3
    years: tuple[str, ...] = ()
    wants_list: bool = False
    comparison: bool = False
    content: tuple[str, ...] = ()  # folded words left once codes, frame and section are off


def read_question(question: str, library: Library) -> Reading:
    """The question's documents, asked-for part and shape."""
    codes = tuple(find_question_codes(question))
    present, absent = library.split_named(codes)
    folded = qw.folded_words(question)
    section = next((s for s in qw.SECTION_WORDS if f" {s} " in folded), "")
    code_words = {w for code in codes for w in _WORD.findall(fold(str(code)))}
    code_words |= {code.number.lstrip("0") for code in codes}
    section_words = set(section.split())
    years = tuple(dict.fromkeys(_YEAR.findall(question)))
    content = tuple(
        w
        for w in folded.split()
        if w not in code_words
        and w.lstrip("0") not in code_words
        and w not in section_words
        and w not in qw.FRAME_WORDS
        and w not in qw.FUNCTION_WORDS
        and w not in qw.QUESTION_WORDS
        and w not in years
    )
    asks = _asks(folded)
    if not asks and qw.asks(folded, qw.ASKS_ABOUT) and set(content) <= qw.ABOUT_WORDS:
        asks, content = "about", ()
    return Reading(
        codes=codes,
        doc_ids=tuple(present),
        absent=tuple(absent),
        asks=asks,
        section=section,
        ordinal=_ordinal(folded) if section else None,
        years=years,
        wants_list=qw.asks(folded, qw.ASKS_LIST) or bool(_WHICH_ONES.search(folded)),
        comparison=qw.asks(folded, qw.ASKS_COMPARISON) or (len(codes) >= 2 and " va " in folded),
        content=content,
    )


# "kinh tế số bao nhiêu", "chuyển đổi số mấy": "số" closing a compound, not a document number.
# "tờ trình số mấy", "quyết định số mấy": the number of another paper the document cites.
_COMPOUND_SO = re.compile(
    r" (?:te|doi|nghe|tang|phu|hoi|dan|lieu|ban|viec|trinh|dinh) so (?:may|bao nhieu) "
)


def _asks(folded: str) -> str:
    if qw.asks(folded, qw.ASKS_SIGNER):
        return "signer"
    if qw.asks(folded, qw.ASKS_NUMBER_OF_DOC) and not _COMPOUND_SO.search(folded):
        return "number"
    if qw.asks(folded, qw.ASKS_ISSUE_DATE) and qw.asks(folded, qw.ISSUE_VERBS):
        return "date"
    if qw.asks(folded, qw.ASKS_ISSUER):
        return "issuer"
    return ""


def _ordinal(folded: str) -> int | None:
    match = _ORDINAL.search(folded)
    if not match:
        return None
    word = match.group(1)
    if word.isdigit():
        return int(word)
    return qw.ORDINALS.get(word)
