"""Party abbreviations (BCH, BCT, CĐS, KH&CN...) and their expansions, both ways.

expand_abbreviations() writes the expansion right after each abbreviation
("CĐS (chuyển đổi số)"), on documents and on questions alike, so BM25 matches whichever form
either side used. It also writes Arabic numbers after Roman ones ("khóa XIII (khóa 13)").
Abbreviations that are also Vietnamese syllables once folded ("AI" = ai "who", "TU" = từ,
"ĐA" = đã) are taken only in capitals and not inside an all-caps line.
"""

from __future__ import annotations

import re

from bot.text.codes import PARTY_TYPES
from bot.text.normalize import fold, normalize

# abbreviation as officially written -> expansion
ABBREVIATIONS: dict[str, str] = {
    # Party bodies and people
    "BCH": "Ban Chấp hành",
    "BCHTW": "Ban Chấp hành Trung ương",
    "BTV": "Ban Thường vụ",
    "BCT": "Bộ Chính trị",
    "BBT": "Ban Bí thư",
    "UBKT": "Ủy ban Kiểm tra",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",
    "TW": "Trung ương",
    "TƯ": "Trung ương",
    "TU": "Thành ủy, Tỉnh ủy",
    "HU": "Huyện ủy",
    "QU": "Quận ủy",
    "ĐU": "Đảng ủy",
    "VPTW": "Văn phòng Trung ương",
    "BTG": "Ban Tuyên giáo",
    "BTGTW": "Ban Tuyên giáo Trung ương",
    "TCCSĐ": "tổ chức cơ sở đảng",
    "CBĐV": "cán bộ, đảng viên",
    "ĐV": "đảng viên",
    "HTCT": "hệ thống chính trị",
    "ĐCSVN": "Đảng Cộng sản Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc",
    "TBT": "Tổng Bí thư",
    # State bodies
    "HĐND": "Hội đồng nhân dân",
    "UBND": "Ủy ban nhân dân",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "ĐBQH": "đại biểu Quốc hội",
    "CP": "Chính phủ",
    "TTg": "Thủ tướng",
    "TTCP": "Thủ tướng Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BNV": "Bộ Nội vụ",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "KH&CN": "khoa học và công nghệ",
    "KHCN": "khoa học và công nghệ",
    "KH&ĐT": "Kế hoạch và Đầu tư",
    "TT&TT": "Thông tin và Truyền thông",
    "GD&ĐT": "Giáo dục và Đào tạo",
    "GDĐT": "giáo dục và đào tạo",
    "TN&MT": "Tài nguyên và Môi trường",
    "NN&PTNT": "Nông nghiệp và Phát triển nông thôn",
    "LĐ-TB&XH": "Lao động - Thương binh và Xã hội",
    "CN&ĐMST": "công nghệ và đổi mới sáng tạo",
    "KHCN&ĐMST": "khoa học, công nghệ và đổi mới sáng tạo",
    "CN&MT": "công nghệ và môi trường",
    "KH,CN": "khoa học, công nghệ",
    "KH,CN,ĐMST": "khoa học, công nghệ, đổi mới sáng tạo",
    "KH,CN&ĐMST": "khoa học, công nghệ và đổi mới sáng tạo",
    "KH,CN&MT": "khoa học, công nghệ và môi trường",
    "KH, CN, ĐMST": "khoa học, công nghệ, đổi mới sáng tạo",
    "TTXVN": "Thông tấn xã Việt Nam",
    "VTV": "Đài Truyền hình Việt Nam",
    "VOV": "Đài Tiếng nói Việt Nam",
    "ĐHQG": "Đại học Quốc gia",
    # Policy vocabulary
    "CNH-HĐH": "công nghiệp hóa, hiện đại hóa",
    "CNH": "công nghiệp hóa",
    "HĐH": "hiện đại hóa",
    "KT-XH": "kinh tế - xã hội",
    "QP-AN": "quốc phòng, an ninh",
    "XHCN": "xã hội chủ nghĩa",
    "CNXH": "chủ nghĩa xã hội",
    "CHXHCN": "Cộng hòa xã hội chủ nghĩa",
    "ĐMST": "đổi mới sáng tạo",
    "CĐS": "chuyển đổi số",
    "CĐSQG": "chuyển đổi số quốc gia",
    "CNTT": "công nghệ thông tin",
    "CSDL": "cơ sở dữ liệu",
    "CSDLQG": "cơ sở dữ liệu quốc gia",
    "TTHC": "thủ tục hành chính",
    "DVC": "dịch vụ công",
    "DVCTT": "dịch vụ công trực tuyến",
    "NSNN": "ngân sách nhà nước",
    "DN": "doanh nghiệp",
    "DNNN": "doanh nghiệp nhà nước",
    "DNNVV": "doanh nghiệp nhỏ và vừa",
    "AI": "trí tuệ nhân tạo",
    "IoT": "Internet vạn vật",
    "R&D": "nghiên cứu và phát triển",
    "NCKH": "nghiên cứu khoa học",
    "SHTT": "sở hữu trí tuệ",
    "ATTT": "an toàn thông tin",
    "KCN": "khu công nghiệp",
    "KCNC": "khu công nghệ cao",
    "HTX": "hợp tác xã",
    "CBCC": "cán bộ, công chức",
    "CBCCVC": "cán bộ, công chức, viên chức",
    "BHXH": "bảo hiểm xã hội",
    "BHYT": "bảo hiểm y tế",
    "PPP": "đối tác công tư",
    "FDI": "đầu tư trực tiếp nước ngoài",
    "GDP": "tổng sản phẩm quốc nội",
    "TP": "thành phố",
    "TP.HCM": "Thành phố Hồ Chí Minh",
    "TPHCM": "Thành phố Hồ Chí Minh",
    "HN": "Hà Nội",
    "VN": "Việt Nam",
    "NĐ": "nghị định",
}
# Document types, so questions saying "nq 57" or "kl 69" match the written-out names.
# TT (thông tri / thông tư), PA and BB are too ambiguous as bare capitals to expand.
ABBREVIATIONS.update(
    {short: name for short, name in PARTY_TYPES.items() if short not in {"TT", "PA", "BB"}}
)

_SYLLABLE = re.compile(
    r"(?:b|c|ch|d|g|gh|gi|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?"
    r"[aeiouy]{1,3}(?:c|ch|m|n|ng|nh|p|t)?"
)


def _key(abbr: str) -> str:
    return fold(abbr)


# folded key -> (official form, expansion, also a Vietnamese syllable once folded); the exact
# upper-case spelling is tried first so "TƯ" (Trung ương) and "TU" (Thành ủy) stay apart.
_TABLE: dict[str, tuple[str, str, bool]] = {}
_EXACT: dict[str, tuple[str, str, bool]] = {}
for _abbr, _exp in ABBREVIATIONS.items():
    _entry = (_abbr, _exp, _SYLLABLE.fullmatch(_key(_abbr)) is not None)
    _EXACT[normalize(_abbr).upper()] = _entry
    if _key(_abbr) != _key("TƯ"):
        _TABLE.setdefault(_key(_abbr), _entry)


def _trie_pattern(words: set[str]) -> str:
    """One regex alternation for many literals, factored by prefix (much faster than a|b|c)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # a shorter word ends here; greedy "?" still prefers the longer one
            return f"(?:{body})?"
        return body

    return build(trie)


_VARIANTS = {v.lower() for a in ABBREVIATIONS for v in (normalize(a), fold(a))}
# A standalone abbreviation (digits may be glued: "NQ57", "QH15"); not part of a code such as
# "57-NQ/TW" or "QĐ-TTg", which must stay intact for code extraction and exact matching.
_ABBR_RE = re.compile(
    r"(?<![\w&/\-.])(" + _trie_pattern(_VARIANTS) + r")(\d*)(?![\w&]|[/\-]\w)",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]{2,})")

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_NUMBER_WORDS = {
    "nhất": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
    "mười ba": 13,
    "mười bốn": 14,
    "mười lăm": 15,
}
_NUMBER_WORDS_FOLDED = {fold(k): v for k, v in _NUMBER_WORDS.items() if fold(k) not in ("tu",)}
_ORDINAL_KEYWORDS = r"khóa|khoá|khoa|đại hội|dai hoi|lần thứ|lan thu|phần thứ|phan thu"
_ROMAN_RE = re.compile(
    rf"(?<![\w])({_ORDINAL_KEYWORDS})\s+([IVXLC]+)(?![\w\-]|\.\d)(?! \(\1 \d+\))", re.IGNORECASE
)
_WORDS_ALT = "|".join(
    sorted({*_NUMBER_WORDS, *_NUMBER_WORDS_FOLDED}, key=len, reverse=True)  # longest first
)
_ORDINAL_WORD_RE = re.compile(
    rf"(?<![\w])(lần thứ|lan thu|phần thứ|phan thu)\s+({_WORDS_ALT})(?![\w])(?! \(\1 \d+\))",
    re.IGNORECASE,
)


def _roman_value(numeral: str) -> int | None:
    """Value of a well-formed Roman numeral up to 399 ('XIII' → 13), None if malformed."""
    values = [_ROMAN[c] for c in numeral.upper()]
    total = 0
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    if total <= 0 or total >= 400 or _to_roman(total) != numeral.upper():
        return None
    return total


def _to_roman(n: int) -> str:
    out = []
    for value, sym in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX")):
        while n >= value:
            out.append(sym)
            n -= value
    out.append(("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[n])
    return "".join(out)


def _lookup(token: str, text: str, end: int) -> str | None:
    """Expansion of an abbreviation token found at text[..end], or None when it is a word."""
    entry = _EXACT.get(token.upper()) or _TABLE.get(fold(token))
    if entry is None:
        return None
    official, expansion, syllable_like = entry
    if syllable_like:
        # "AI", "TU", "ĐA": only in capitals (or official case), and not inside an all-caps line
        # where "ĐA DẠNG" or "TU BỔ" are plain words.
        if token not in (official, official.upper(), fold(official).upper().replace("Đ", "D")):
            return None
        nxt = _NEXT_WORD.match(text, end)
        if nxt and nxt.group(1).isupper():
            return None
    return expansion


def abbreviation_terms(text: str) -> list[str]:
    """Expansions of the abbreviations a text uses, in order, without repeats."""
    text = normalize(text)
    out: list[str] = []
    for m in _ABBR_RE.finditer(text):
        expansion = _lookup(m.group(1), text, m.end())
        if expansion is not None and expansion not in out:
            out.append(expansion)
    return out


def expand_abbreviations(text: str) -> str:
    """Text with each known abbreviation followed by its expansion (for indexing and queries)."""
    text = normalize(text)

    def _abbr(m: re.Match[str]) -> str:
        expansion = _lookup(m.group(1), text, m.end())
        if expansion is None or text.startswith(f" ({expansion})", m.end()):
            return m.group()
        return f"{m.group()} ({expansion})"

    def _roman(m: re.Match[str]) -> str:
        numeral = m.group(2)
        value = _roman_value(numeral)
        if value is None:
            return m.group()
        if numeral.islower() and fold(numeral) in ("vi", "xi", "i", "li", "ly"):
            # "khoa vi sinh": a lower-case syllable is a word, not a numeral.
            nxt = _NEXT_WORD.match(m.string, m.end())
            if nxt:
                return m.group()
        return f"{m.group()} ({m.group(1)} {value})"

    def _ordinal(m: re.Match[str]) -> str:
        word = m.group(2).lower()
        value = _NUMBER_WORDS.get(word) or _NUMBER_WORDS_FOLDED.get(fold(word))
        return f"{m.group()} ({m.group(1)} {value})" if value else m.group()

    text = _ABBR_RE.sub(_abbr, text)
    text = _ROMAN_RE.sub(_roman, text)
    return _ORDINAL_WORD_RE.sub(_ordinal, text)
