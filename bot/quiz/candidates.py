"""Candidate facts: the sentences worth asking about and the values in them (percent, year…)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.ingest.tables import FIELD_SEPARATOR
from bot.quiz.items import clean_text
from bot.text.normalize import fold

_NOTE_STYLE = re.compile(r"[~&>]|\bT\d{1,2}/\d{4}\b|\(\d{1,2}\)|\bQuý [IV]+/")
_ABBREVIATION = re.compile(r"(?<![\w/-])(?![IVXLC]+\b)[A-ZĐ]{2,}\d*(?![\w/-])")


def label_line(clean: str) -> bool:
    label = re.match(r"^[^:]{3,40}:\s", clean)
    return bool(label and not re.search(r"\d{4}$", label.group(0).strip(": ")))


def reads_as_fact(sentence: str) -> bool:
    """True for a sentence worth asking about: prose, not a heading, table row or list intro."""
    if "|" in sentence or FIELD_SEPARATOR in sentence or "http" in sentence or "_" in sentence:
        return False  # tables, links, file lists
    if len(_ABBREVIATION.findall(sentence)) >= 3:
        return False  # note-style report lines ("TP TB chỉ đạt... DV") read as riddles
    marked = sum(1 for w in sentence.split() if fold(w) != w.lower())
    if marked < 0.2 * len(sentence.split()):
        return False  # not Vietnamese prose (an English note, a list of names)
    clean = clean_text(sentence)
    words = clean.split()
    if not 35 <= len(clean) <= 240 or len(words) < 7:
        return False
    if label_line(clean):
        return False  # a label line from a report ("Dữ liệu hộ tịch: ..."), not a statement
    if _NOTE_STYLE.search(sentence):
        return False  # report notes ("~21.512 tỷ", "T3/2025", "&", "(1) ...") read as riddles
    letters = [c for c in clean if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.3:
        return False  # headings and header blocks are in capitals
    if clean.endswith(":") or clean.startswith(("(", "V/v", "Kính gửi", "Nơi nhận")):
        return False
    if clean.count("“") != clean.count("”") or clean.count("(") != clean.count(")"):
        return False  # a quote or bracket cut in half
    return True


# ---------------------------------------------------------------- answer finders

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
PERCENT_RE = re.compile(rf"(?<![\w.,/-])(?:{NUM})\s?%")
YEAR_RE = re.compile(r"(?<=\b(?:năm|Năm) )(19[4-9]\d|20\d\d)(?![\w/.,-]|\s?-\s?\d)")
_DATE_BEFORE = re.compile(r"(?:tháng\s*\d{0,2}|/\d{1,2})\s*năm $")
CODE_RE = re.compile(
    r"(?<![\w-])\d{1,4}\\?[-‑–]\s?"
    r"(?:NQ|CT|KL|QĐi|QĐ|QC|TT|HD|TB|BC|TTr|KH|CTr|ĐA|PA|CV)/[A-ZĐƯ]{1,8}(?:\d{1,2})?(?![\w/])"
)
QUOTED_RE = re.compile(r"“([^“”\n]{3,60})”")
_CAP = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ"
# A body's name runs from its head word to a delimiter: "Bộ Tài chính chủ trì", "Bộ Công an,".
BODY_RE = re.compile(
    rf"(?<!\w)(?:Bộ|Ban|Ủy ban|Uỷ ban|Văn phòng|Ngân hàng|Viện|Đảng đoàn|Thành ủy|Thành uỷ)"
    rf" [{_CAP}][\wÀ-ỹ]*(?: [\wÀ-ỹ]+){{0,6}}?"
    r"(?=\s*(?:[,;.)]|chủ trì|phối hợp|và các|theo dõi|hướng dẫn|$))"
)
NUMBER_UNIT_RE = re.compile(rf"(?<![\w.,/%-])({NUM})(?![\w.,/%-]) ([a-zà-ỹđ]+(?: [a-zà-ỹđ]+)?)")

# Words before a number that make it a date, a label or an ordinal, not a quantity.
_NOT_QUANTITY_BEFORE = re.compile(
    r"(?:ngày|tháng|năm|số|Số|Điều|điều|khoản|Khoản|khóa|khoá|thứ|Mục|mục|điểm|Phụ lục|giai đoạn|"
    r"nhóm|top|Top|hạng|Chương|chương|phần|Phần|kỳ)\s*$"
)
# Words after a number that are not units worth asking about.
_NOT_UNITS = {"tháng", "năm", "ngày", "giờ", "và", "của", "đến", "là", "đã", "với", "tại", "trong"}
_LEAD_UNITS = {"tỷ", "triệu", "nghìn", "ngàn", "vạn", "trăm"}
_NOT_IN_NAMES = {"để", "cho", "về", "các", "của", "trong", "với", "đã", "sẽ", "là", "được", "này"}
# Function words that say nothing about which option is right.
STOP = {"va", "cua", "cac", "nhung", "trong", "voi", "cho", "la", "theo", "ve", "de", "tai", "—"}


@dataclass(frozen=True)
class Candidate:
    kind: str
    start: int  # within the sentence (verbatim)
    end: int
    answer: str  # the option text (clean)
    key: str  # what distractors must share (unit, head word...)
    value: float | None = None


def _to_float(number: str) -> float:
    return float(number.replace(".", "").replace(",", "."))


def _unit_key(unit_words: str) -> str | None:
    words = unit_words.split()
    if not words or words[0] in _NOT_UNITS:
        return None
    if words[0] in _LEAD_UNITS and len(words) > 1:
        return " ".join(words[:2])
    return words[0]


def find_candidates(sentence: str) -> list[Candidate]:
    """Every askable fact in a sentence, best kinds first."""
    found: list[Candidate] = []
    for m in PERCENT_RE.finditer(sentence):
        text = re.sub(r"\s", "", m.group(0))
        found.append(Candidate("percent", m.start(), m.end(), text, "%", _to_float(text[:-1])))
    for m in NUMBER_UNIT_RE.finditer(sentence):
        if _NOT_QUANTITY_BEFORE.search(sentence[: m.start()]):
            continue
        key = _unit_key(m.group(2))
        number = m.group(1)
        if key is None or (len(number) == 4 and number.startswith(("19", "20"))):
            continue
        found.append(Candidate("number", m.start(1), m.end(1), number, key, _to_float(number)))
    for m in YEAR_RE.finditer(sentence):
        if _DATE_BEFORE.search(sentence[: m.start()]):
            continue  # a date line ("ngày 25 tháng 5 năm 2025"), not a deadline
        found.append(Candidate("year", m.start(), m.end(), m.group(0), "year", float(m.group(0))))
    for m in CODE_RE.finditer(sentence):
        code = canonical_code(m.group(0))
        doc_type = code.split("-", 1)[1].split("/")[0]
        found.append(Candidate("code", m.start(), m.end(), code, doc_type))
    for m in QUOTED_RE.finditer(sentence):
        inner = clean_text(m.group(1))
        if len(inner.split()) < 2 or CODE_RE.search(inner):
            continue
        found.append(Candidate("name", m.start(1), m.end(1), inner, "name", float(len(inner))))
    for m in BODY_RE.finditer(sentence):
        body = m.group(0)
        if set(body.split()) & _NOT_IN_NAMES:
            continue  # the match ran past the name into the sentence
        if any(w.isupper() and len(w) > 1 for w in body.split()[1:]):
            continue  # abbreviations ("Bộ KHCN") give the answer away by their form
        # Only the body that leads ("X chủ trì") is asked; others feed the distractor pool.
        leads = bool(re.match(r"\s*,?\s*chủ trì", sentence[m.end() :]))
        found.append(
            Candidate("body" if leads else "body-pool", m.start(), m.end(), body, body.split()[0])
        )
    return found


def canonical_code(raw: str) -> str:
    """'57\\-NQ/TW', '57 – NQ/TW' → '57-NQ/TW'."""
    return re.sub(r"\\?\s*[-‑–]\s*", "-", raw.replace("\\", ""), count=1)


# A single body in a table cell ("Bộ Tài chính"), not a list of them.
SINGLE_BODY = re.compile(
    r"^(?:Bộ|Văn phòng|Ngân hàng|Ủy ban|Uỷ ban|Thanh tra|Ban|Viện|Đài|Thông tấn xã)"
    r" [^,;|]{2,50}$"
)


def table_cells(line: str) -> list[str]:
    """The cells of a Markdown table row, stripped."""
    return [c.strip() for c in line.split("|")]


def tokens(text: str) -> set[str]:
    """Folded words, codes kept whole ('01-ctr/tu'), punctuation dropped."""
    return {t.strip("-/.,") for t in re.findall(r"[\w/.,-]+", fold(text))} - {""}
