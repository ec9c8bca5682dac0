"""Party document codes: '57-NQ/TW', and the loose ways members name them.

Party codes are number-type/issuer ("57-NQ/TW", "01-CTr/TU"); State codes are
number[/year]/type-issuer ("03/NQ-CP", "30/2020/NĐ-CP"). Both are DocCode, told apart by
`style`, and both print in their canonical form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.normalize import fold, normalize


@dataclass(frozen=True)
class DocCode:
    """A Party document code: number, type, issuer ('57', 'NQ', 'TW')."""

    number: str  # digits as written, leading zeros kept: "01"
    doc_type: str  # canonical type: "NQ", "CTr", "QĐi", "KL", ...
    issuer: str | None  # canonical issuer "TW", "TU", "ĐUQH"...; None when a question omits it
    style: str = "party"  # "party" (57-NQ/TW) or "state" (03/NQ-CP, 30/2020/NĐ-CP)
    year: str | None = None  # state codes only: "2020" in 30/2020/NĐ-CP

    def __str__(self) -> str:
        if self.style == "state":
            year = f"{self.year}/" if self.year else ""
            tail = f"-{self.issuer}" if self.issuer else ""
            return f"{self.number}/{year}{self.doc_type}{tail}"
        return (
            f"{self.number}-{self.doc_type}/{self.issuer}"
            if self.issuer
            else (f"{self.number}-{self.doc_type}")
        )

    def matches(self, other: DocCode) -> bool:
        """Same number (ignoring leading zeros) and type; issuers agree when both are known."""
        if self.number.lstrip("0") != other.number.lstrip("0"):
            return False
        if self.doc_type.lower() != other.doc_type.lower():
            return False
        if self.year and other.year and self.year != other.year:
            return False
        return self.issuer is None or other.issuer is None or self.issuer == other.issuer


# --- types and issuers --------------------------------------------------------------------

PARTY_TYPES: dict[str, str] = {
    "NQ": "nghị quyết",
    "CT": "chỉ thị",
    "KL": "kết luận",
    "QĐ": "quyết định",
    "QĐi": "quy định",
    "QC": "quy chế",
    "TT": "thông tri",
    "HD": "hướng dẫn",
    "TB": "thông báo",
    "BC": "báo cáo",
    "TTr": "tờ trình",
    "KH": "kế hoạch",
    "CTr": "chương trình",
    "ĐA": "đề án",
    "PA": "phương án",
    "CV": "công văn",
    "BB": "biên bản",
}
# State documents also use these (nghị định, thông tư, thông tư liên tịch, công điện).
STATE_TYPES: dict[str, str] = {
    **{k: v for k, v in PARTY_TYPES.items() if k not in ("QĐi", "TT")},
    "NĐ": "nghị định",
    "TT": "thông tư",
    "TTLT": "thông tư liên tịch",
    "CĐ": "công điện",
}

# folded lower-case abbreviation -> canonical type
_TYPE_BY_FOLD: dict[str, str] = {fold(k): k for k in PARTY_TYPES}
_STATE_TYPE_BY_FOLD: dict[str, str] = {fold(k): k for k in STATE_TYPES}
# folded type words (as members type them) -> canonical type
_TYPE_WORDS: dict[str, str] = {fold(v): k for k, v in PARTY_TYPES.items()}
_TYPE_WORDS["nghi dinh"] = "NĐ"
_TYPE_WORDS["thong tu"] = "TT"

# folded issuer phrases -> canonical issuer
_ISSUER_WORDS: dict[str, str] = {
    "bo chinh tri": "TW",
    "bct": "TW",
    "ban bi thu": "TW",
    "bbt": "TW",
    "ban chap hanh trung uong": "TW",
    "bch trung uong": "TW",
    "bch tw": "TW",
    "bchtw": "TW",
    "trung uong": "TW",
    "tw": "TW",
    "thanh uy": "TU",
    "tinh uy": "TU",
    "huyen uy": "HU",
    "quan uy": "QU",
    "dang uy": "ĐU",
    "chinh phu": "CP",
    "cp": "CP",
}
_STATE_ISSUERS = frozenset({"CP", "UBND", "TTG", "QH"})
_MAX_PHRASE = max(len(p.split()) for p in [*_ISSUER_WORDS, *_TYPE_WORDS])


def _canonical_issuer(raw: str) -> str:
    issuer = re.sub(r"\s+", "", raw).upper()
    return "TW" if issuer == "TƯ" else issuer


# --- strict codes in documents ------------------------------------------------------------

_LETTERS = "A-Za-zĐđƯưƠơ"
_PARTY_TYPE_ALT = "|".join(sorted(PARTY_TYPES, key=len, reverse=True))
_STATE_TYPE_ALT = "|".join(sorted(STATE_TYPES, key=len, reverse=True))

# A number not glued to digits, a slash, a dot or a hyphen before it ("số31" is fine: PDF glue),
# hyphen or dash, a known type, slash or hyphen, an issuer. Case-insensitive: "01-ctr/tu".
_PARTY_RE = re.compile(
    rf"(?<![\d/.\-–—])(\d{{1,5}})\s*[-–—]\s*({_PARTY_TYPE_ALT})(?![{_LETTERS}])"
    rf"\s*[/\-]\s*([{_LETTERS}]{{2,10}}\d{{0,2}})(?![{_LETTERS}\d])",
    re.IGNORECASE,
)
# State: number, optional year, type, hyphen, issuer(s): "30/2020/NĐ-CP".
_STATE_RE = re.compile(
    rf"(?<![\d/.\-])(\d{{1,5}})(?:/((?:19|20)\d\d))?/({_STATE_TYPE_ALT})"
    rf"-([{_LETTERS}][{_LETTERS}0-9]*(?:-[{_LETTERS}][{_LETTERS}0-9]*)*)(?![{_LETTERS}\d])",
    re.IGNORECASE,  # phones type "03/nq-cp"
)


def _canonical_type(raw: str, table: dict[str, str]) -> str | None:
    return table.get(fold(raw))


def _unique(codes: list[DocCode]) -> list[DocCode]:
    seen: set[DocCode] = set()
    out = []
    for code in codes:
        if code not in seen:
            seen.add(code)
            out.append(code)
    return out


def find_codes(text: str) -> list[DocCode]:
    """Strict Party codes written in a document, in order of appearance, without repeats."""
    text = normalize(text)
    codes = []
    for m in _PARTY_RE.finditer(text):
        doc_type = _canonical_type(m.group(2), _TYPE_BY_FOLD)
        if doc_type is None:
            continue
        issuer = _canonical_issuer(m.group(3))
        if issuer in _STATE_ISSUERS:  # "03-NQ-CP" (file names): a State code written loosely
            issuer = "TTg" if issuer == "TTG" else issuer
            codes.append(DocCode(m.group(1), doc_type, issuer, style="state"))
        else:
            codes.append(DocCode(m.group(1), doc_type, issuer))
    return _unique(codes)


def find_state_codes(text: str) -> list[DocCode]:
    """Strict State codes ('03/NQ-CP', '30/2020/NĐ-CP', '04/TTr-BKHCN-BTTTT'), in order."""
    text = normalize(text)
    codes = []
    for m in _STATE_RE.finditer(text):
        doc_type = _canonical_type(m.group(3), _STATE_TYPE_BY_FOLD)
        if doc_type is None:
            continue
        issuer = m.group(4)
        if issuer.islower():  # "03/nq-cp"; but keep the official mixed case of "QĐ-TTg"
            issuer = issuer.upper()
        codes.append(DocCode(m.group(1), doc_type, issuer, style="state", year=m.group(2)))
    return _unique(codes)


# --- loose forms in questions -------------------------------------------------------------

_QTOKEN = re.compile(r"[^\W\d_]+|\d+|%")
# Folded abbreviations that are also common words once accents are gone ("đã" → "da"): only
# taken as a type when typed in capitals.
_AMBIGUOUS_ABBREVIATIONS = frozenset({"da"})
# Between the number and the issuer a question may say "của", "do", "ngày"... (folded).
_FILLERS = frozenset(
    {"cua", "do", "so", "ban", "hanh", "ha", "noi", "hn", "nha", "nuoc", "ngay", "thang", "nam"}
)
_DATE_WORDS = frozenset({"ngay", "thang", "nam"})
_NEXT_NOT_TU = frozenset({"nam", "ngay", "thang", "khi", "dau", "nay", "do"})
# A number followed by a unit is a quantity ("theo quy định 2 năm", "kế hoạch 5 năm"), not a
# code; "nghị quyết 57 năm 2024" is still a code (a year follows "năm").
_UNITS = frozenset(
    {
        "nam",
        "thang",
        "ngay",
        "tuan",
        "quy",
        "lan",
        "nguoi",
        "trieu",
        "ty",
        "nghin",
        "ngan",
        "gio",
        "phut",
        "giay",
        "tieng",
        "km",
        "ha",
        "dong",
        "%",
        "phan",
        "ban",
        "trang",
        "bai",
    }
)
# Folded phrases that start with a unit syllable but are verbs: "ban hành", "phân công".
_VERB_PHRASES = frozenset(
    {
        ("ban", "hanh"),
        ("phan", "cong"),
        ("phan", "cap"),
        ("dong", "y"),
        ("tuan", "thu"),
        ("quy", "dinh"),  # "nq 18 quy định gì": what it rules, not "18 regulations"
    }
)
# Party issuers in a State-shaped code a member typed: "57/NQ-TW" is 57-NQ/TW.
_PARTY_ISSUERS = frozenset({"TW", "TƯ", "TU", "HU", "QU", "ĐU"})


def _phrase_at(folded: list[str], i: int, table: dict[str, str]) -> tuple[str, int] | None:
    """The longest phrase of table starting at token i: (canonical value, tokens used)."""
    for n in range(min(_MAX_PHRASE, len(folded) - i), 0, -1):
        value = table.get(" ".join(folded[i : i + n]))
        if value is not None:
            return value, n
    return None


def _type_at(folded: list[str], raw: list[str], i: int) -> tuple[str, int, bool] | None:
    """A type word or abbreviation at token i: (type, tokens used, was an abbreviation)."""
    words = _phrase_at(folded, i, _TYPE_WORDS)
    if words is not None:
        return words[0], words[1], False
    abbr = folded[i]
    doc_type = _TYPE_BY_FOLD.get(abbr) or ("NĐ" if abbr == "nd" else None)
    if doc_type is None:
        return None
    if abbr in _AMBIGUOUS_ABBREVIATIONS and not raw[i].isupper():
        return None
    return doc_type, 1, True


def _is_year(number: str) -> bool:
    return len(number) == 4 and 1930 <= int(number) <= 2100


def _issuer_after(folded: list[str], raw: list[str], i: int) -> str | None:
    """An issuer named within a few tokens after position i ('của Bộ Chính trị', 'thành ủy')."""
    for k in range(i, min(i + 9, len(folded))):
        tok = folded[k]
        if tok.isdigit():
            # only the numbers of a date ("ngày 22 tháng 12 năm 2024") may come in between
            if k > i and folded[k - 1] in _DATE_WORDS:
                continue
            return None
        if k == i and tok == "tu" and raw[k] in ("tu", "TU"):
            # "15 nq tu" means Thành ủy, but "từ năm..." folds to the same letters.
            nxt = folded[k + 1] if k + 1 < len(folded) else ""
            if nxt not in _NEXT_NOT_TU and not nxt.isdigit():
                return "TU"
        found = _phrase_at(folded, k, _ISSUER_WORDS)
        if found is not None:
            return found[0]
        if tok not in _FILLERS:
            return None
    return None


def _is_quantity(folded: list[str], k: int) -> bool:
    """True when the number just before token k is followed by a unit ('2 năm', '5 lần')."""
    if k >= len(folded) or folded[k] not in _UNITS:
        return False
    if k + 1 < len(folded) and (folded[k], folded[k + 1]) in _VERB_PHRASES:
        return False  # "nghị quyết 57 ban hành ngày nào": a verb, not "57 boards"
    # "nghị quyết 57 ngày 22 tháng 12", "nghị quyết 57 năm 2024": a date follows, not a quantity
    return not (folded[k] in _DATE_WORDS and k + 1 < len(folded) and folded[k + 1].isdigit())


def _loose_code(number: str, doc_type: str, issuer: str | None) -> DocCode:
    if issuer in _STATE_ISSUERS:
        return DocCode(number, doc_type, issuer, style="state")
    return DocCode(number, doc_type, issuer)


def _loose_codes(question: str) -> list[DocCode]:
    raw = _QTOKEN.findall(normalize(question))
    folded = [fold(t) for t in raw]
    codes = []
    i = 0
    while i < len(folded):
        typed = _type_at(folded, raw, i)
        if typed is not None:
            doc_type, used, _ = typed
            j = i + used
            if j < len(folded) and folded[j] == "so":  # "nghị quyết số 15"
                j += 1
            if (
                j < len(folded)
                and folded[j].isdigit()
                and not _is_year(folded[j])
                and not _is_quantity(folded, j + 1)
            ):
                codes.append(_loose_code(folded[j], doc_type, _issuer_after(folded, raw, j + 1)))
                i = j + 1
                continue
        elif folded[i].isdigit() and i + 1 < len(folded) and not _is_year(folded[i]):
            # "15 nq tw", "57 nq": number then an abbreviation (a full word would be a count).
            after = _type_at(folded, raw, i + 1)
            if after is not None and after[2]:
                codes.append(_loose_code(folded[i], after[0], _issuer_after(folded, raw, i + 2)))
                i += 2
                continue
        i += 1
    return codes


def find_question_codes(question: str) -> list[DocCode]:
    """Codes a question names, strict or loose ('nq 57', 'chuong trinh 01 thanh uy')."""
    codes = find_codes(question)
    for code in find_state_codes(question):
        if code.issuer in _PARTY_ISSUERS and code.year is None:
            code = DocCode(code.number, code.doc_type, _canonical_issuer(code.issuer))
        codes.append(code)
    for loose in _loose_codes(question):
        if not any(loose.matches(known) for known in codes):
            codes.append(loose)
    return _unique(codes)


def document_codes(code: str | None) -> list[DocCode]:
    """The codes a document's own code string stands for ("57-NQ/TW", "03/NQ-CP"), read
    strictly as a Party or State code, else as loosely as a question would name it."""
    if not code:
        return []
    return find_codes(code) or find_state_codes(code) or find_question_codes(code)
