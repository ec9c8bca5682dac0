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
# "3260 giao tổ đảng … rà soát luật nào": a bare number of three or more digits that only a
# document of the library carries names that document (a count or a year does not).
_BARE_NUMBER = re.compile(r"(?<![\w/.,-])(\d{3,5})(?![\w/.,%-])")
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
    absent_titles: tuple[str, ...] = ()  # "Luật Đất đai 2024", named by title, not held
    # "signer" | "number" | "date" | "issuer" | "effect" | "recipients" | "about" | "": a fact
    # of the document as a whole (its header, signature block, "Nơi nhận", effect clause)
    asks: str = ""
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
    if not codes:
        present = _bare_numbers(question, library)
    absent_titles = () if present else _absent_titles(question, library)
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
    asks = header_ask(folded)
    if not asks and qw.asks(folded, qw.ASKS_ABOUT) and set(content) <= qw.ABOUT_WORDS:
        asks, content = "about", ()
    return Reading(
        codes=codes,
        doc_ids=tuple(present),
        absent=tuple(absent),
        absent_titles=absent_titles,
        asks=asks,
        section=section,
        ordinal=_ordinal(folded) if section else None,
        years=years,
        wants_list=qw.asks(folded, qw.ASKS_LIST) or bool(_WHICH_ONES.search(folded)),
        comparison=qw.asks(folded, qw.ASKS_COMPARISON) or (len(codes) >= 2 and " va " in folded),
        content=content,
    )


def _bare_numbers(question: str, library: Library) -> list[str]:
    found: list[str] = []
    for number in _BARE_NUMBER.findall(question):
        if _YEAR.fullmatch(number):
            continue
        found.extend(d for d in library.numbered(number) if d not in found)
    return found


# "Luật Đất đai 2024 có hiệu lực từ ngày nào?", "theo Điều lệ Đảng, …": a question whose
# subject is a law, the Party Charter or the Constitution, named by its title, runs up to the
# first word of what is asked about it.
_TITLED = re.compile(
    r"(?i)^\s*(?:theo\s+)?((?:bộ\s+|bo\s+)?(?:luật|luat)\s+\w.*?)"
    r"(?=\s+(?:có|co|quy định|quy dinh|được|duoc|gồm|gom|là|la|ban hành|ban hanh|sửa đổi|"
    r"sua doi|nói|noi|yêu cầu|yeu cau|thì|thi|áp dụng|ap dung)\b|\s*[?.]?\s*$)"
    r"|^\s*(?:theo\s+)?((?:điều lệ|dieu le)\s+(?:đảng|dang)|(?:hiến pháp|hien phap)"
    r"(?:\s+(?:năm|nam)\s+\d{4})?)\b"
)
_TITLE_WORDS = 12  # a longer "name" ran past the law's title into the question
_TITLE_KINDS = ("luat", "bo luat", "hien phap", "dieu le")


def _absent_titles(question: str, library: Library) -> tuple[str, ...]:
    match = _TITLED.match(question)
    if not match:
        return ()
    name = " ".join((match.group(1) or match.group(2)).split())
    if len(name.split()) > _TITLE_WORDS:
        name = name.split(",")[0]
    words = set(_WORD.findall(fold(name)))
    for meta in library.documents.values():
        kind = fold(meta.doc_type or "")
        title = set(_WORD.findall(fold(f"{meta.doc_type or ''} {meta.title or ''}")))
        if kind in _TITLE_KINDS and len(words & title) >= 0.7 * len(words):
            return ()
    return (name[:1].upper() + name[1:],)


# "kinh tế số bao nhiêu", "chuyển đổi số mấy": "số" closing a compound, not a document number.
# "tờ trình số mấy", "quyết định số mấy": the number of another paper the document cites.
_COMPOUND_SO = re.compile(
    r" (?:te|doi|nghe|tang|phu|hoi|dan|lieu|ban|viec|trinh|dinh) so (?:may|bao nhieu) "
)


def header_ask(folded: str) -> str:
    """Which fact of a document's header a question asks ("signer", "number", "effect",
    "recipients", "date", "issuer"), or "" (folded: qw.folded_words of the question)."""
    if qw.asks(folded, qw.ASKS_SIGNER):
        return "signer"
    compound = _COMPOUND_SO.search(folded) and " quoc hoi so " not in folded
    if qw.asks(folded, qw.ASKS_NUMBER_OF_DOC) and not compound:
        return "number"
    if qw.asks(folded, qw.ASKS_EFFECT) and qw.asks(folded, qw.ASKS_DATE):
        return "effect"
    if qw.asks(folded, qw.ASKS_RECIPIENTS):
        return "recipients"
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
