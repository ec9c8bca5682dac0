"""Document metadata (code, type, issuer, date, title) from the header block or the text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.documents import DocumentMeta
from bot.text.codes import PARTY_TYPES, DocCode, find_codes, find_state_codes
from bot.text.normalize import fold, normalize

# ALL-CAPS type lines and the form metadata uses.
DOC_TYPES: dict[str, str] = {
    "NGHỊ QUYẾT": "Nghị quyết",
    "KẾT LUẬN": "Kết luận",
    "CHƯƠNG TRÌNH": "Chương trình",
    "KẾ HOẠCH": "Kế hoạch",
    "CÔNG VĂN": "Công văn",
    "CHỈ THỊ": "Chỉ thị",
    "QUYẾT ĐỊNH": "Quyết định",
    "QUY ĐỊNH": "Quy định",
    "QUY CHẾ": "Quy chế",
    "HƯỚNG DẪN": "Hướng dẫn",
    "THÔNG BÁO": "Thông báo",
    "THÔNG TRI": "Thông tri",
    "BÁO CÁO": "Báo cáo",
    "TỜ TRÌNH": "Tờ trình",
    "ĐỀ ÁN": "Đề án",
    "PHƯƠNG ÁN": "Phương án",
    "BIÊN BẢN": "Biên bản",
    "NGHỊ ĐỊNH": "Nghị định",
    "THÔNG TƯ": "Thông tư",
}
_TYPE_BY_FOLD = {fold(k): v for k, v in DOC_TYPES.items()}
_TYPE_BY_ABBREVIATION = {k: v.capitalize() for k, v in PARTY_TYPES.items()}
_TYPE_BY_ABBREVIATION.update({"NĐ": "Nghị định", "TT": "Thông tư"})

# Issuing bodies as members write them; compared folded.
_ISSUERS = [
    "Bộ Chính trị",
    "Ban Bí thư",
    "Ban Chấp hành Trung ương",
    "Đảng đoàn Quốc hội",
    "Ban cán sự đảng Chính phủ",
    "Đảng ủy Chính phủ",
    "Văn phòng Đảng ủy Chính phủ",
    "Văn phòng Trung ương Đảng",
    "Ban Tuyên giáo Trung ương",
    "Ban Tổ chức Trung ương",
    "Ủy ban Kiểm tra Trung ương",
    "Chính phủ",
    "Thủ tướng Chính phủ",
    "Quốc hội",
    "Thành ủy Hà Nội",
    "Ban Thường vụ Thành ủy",
    "Thành ủy",
    "Tỉnh ủy",
]
_ISSUER_BY_FOLD = {fold(name): name for name in _ISSUERS}
# Capitalised words kept capitalised when an ALL-CAPS issuer is rewritten.
_PROPER = ["Ban Chấp hành Trung ương", "Bộ Chính trị", "Trung ương", "Quốc hội", "Chính phủ",
           "Bí thư", "Hà Nội", "Đảng", "Việt Nam", "Hồ Chí Minh", "Mặt trận Tổ quốc"]  # fmt: skip
_NOT_ISSUER = ("dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam",
               "doc lap - tu do - hanh phuc", "doc lap")  # fmt: skip

_PLACE_DATE_RE = re.compile(
    r"^(?:[^\d,]{2,40},\s*)?ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE
)
_NUMERIC_DATE_RE = re.compile(r"(?<![\d/])(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)(?!\d)")
_ISO_IN_NAME_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_NAME_CODE_RE = re.compile(r"^(\d{1,5})-([A-Za-zĐđ]{1,5})-([A-Za-zĐđ]{1,8}\d{0,2})(?:_|$)")
_CODE_LINE_RE = re.compile(r"^(?:Số|Nghị quyết số|Kết luận số)\b", re.IGNORECASE)
_STATE_ISSUERS = {"CP", "TTG", "QH", "UBND", "HĐND", "VPCP"}
_APPENDIX_RE = re.compile(r"^PH[ỤU] L[ỤU]C\s+([IVXLC\d]+)\b(.*)$", re.IGNORECASE)
_TIMESTAMP_RE = re.compile(
    r"^\d{1,2}:\d{2}\s+\d{1,2}/\d{1,2}/\d{4}$|^\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}$"
)
_HEADER_LINES = 16
_OVERRIDE_KEYS = {"code", "doc_type", "type", "issuer", "date", "title", "source_kind"}


def extract_metadata(text: str, doc_id: str) -> DocumentMeta:
    """Metadata read from a document's header block, else guessed from its text and id."""
    lines = [line.strip() for line in normalize(text).split("\n") if line.strip()]
    header = _header_zone(lines)
    name = doc_id.rsplit("/", 1)[-1]
    type_index = _type_line_index(header)
    code = _header_code(header)
    appendix = _appendix_title(header)
    has_header = type_index is not None or code is not None or appendix is not None
    if not has_header and _mentioned_codes(text):
        return _article_meta(lines, text, name)

    doc_type = _type_from_line(header[type_index]) if type_index is not None else None
    code = code or _code_from_name(name)
    if doc_type is None and code is not None:
        doc_type = _TYPE_BY_ABBREVIATION.get(code.doc_type)
    title = appendix or _title(header, type_index) or _title_from_sentence(header, code)
    return DocumentMeta(
        code=str(code) if code else None,
        doc_type=doc_type,
        issuer=_issuer(header, type_index, text, code),
        date=_header_date(header, code, text) or _date_from_name(name),
        title=_complete_title(title, doc_type, lines),
        source_kind="draft" if _is_draft(header) else "document",
    )


def _is_draft(header: list[str]) -> bool:
    """A 'DỰ THẢO' mark, or a letter asking for comments on a draft ('xin ý kiến dự thảo')."""
    for line in header:
        folded = fold(line).strip(" *_()[]")
        if folded.startswith("du thao") and (_is_caps(line) or len(folded.split()) <= 3):
            return True
        if "xin y kien du thao" in folded or "gop y du thao" in folded:
            return True
    return False


# --- header block ------------------------------------------------------------------------------


def _header_zone(lines: list[str]) -> list[str]:
    """The first lines, up to the first long paragraph (the body has begun by then)."""
    zone = []
    for line in lines[:_HEADER_LINES]:
        if len(line.split()) > 70 and zone:
            break
        zone.append(line)
    return zone


def _type_line_index(header: list[str]) -> int | None:
    for index, line in enumerate(header):
        if _type_from_line(line):
            return index
    return None


def _type_from_line(line: str) -> str | None:
    """'NGHỊ QUYẾT' → 'Nghị quyết'; also 'Kết luận số 69-KL/TW', 'Công Văn Số 402-CV/VPĐU'."""
    folded = fold(line).strip(" .:*")
    for key, value in _TYPE_BY_FOLD.items():
        if folded == key:
            return value if _is_caps(line) else None
        if folded.startswith(key + " so ") or folded.startswith(key + " so:"):
            return value
    return None


def _header_code(header: list[str]) -> DocCode | None:
    """The code on the 'Số 57-NQ/TW' (or 'Số: 03/NQ-CP') line, or in a 'Kết luận số …' title."""
    for line in header:
        if _CODE_LINE_RE.match(line) or _type_from_line(line):
            found = find_codes(line) or find_state_codes(line)
            if found:
                return found[0]
    return None


def _code_from_name(name: str) -> DocCode | None:
    """'57-NQ-TW_2024-12-22_…' → 57-NQ/TW; '03-NQ-CP_PhuLuc-I' → 03/NQ-CP (a State code)."""
    match = _NAME_CODE_RE.match(name)
    if not match:
        return None
    number, kind, issuer = match.groups()
    if issuer.upper() in _STATE_ISSUERS:
        found = find_state_codes(f"{number}/{kind}-{issuer.upper()}")
    else:
        found = find_codes(f"{number}-{kind}/{issuer}")
    return found[0] if found else None


def _title(header: list[str], type_index: int | None) -> str | None:
    """The trích yếu: up to four lines after the type line, or the 'V/v …' line of a letter."""
    for line in header:
        if fold(line).startswith("v/v "):
            return line[4:].strip(" .") or None
    if type_index is None:
        return None
    parts: list[str] = []
    for line in header[type_index + 1 : type_index + 6]:
        folded = fold(line)
        if line.endswith((".", ";")) or len(line.split()) > 60 or folded.startswith("can cu"):
            break
        if folded.startswith(("cua ", "hoi nghi ")) or _caps_issuer(line):
            continue  # "CỦA BỘ CHÍNH TRỊ", "HỘI NGHỊ LẦN THỨ SÁU…", "CHÍNH PHỦ"
        if _TIMESTAMP_RE.match(line) or line.startswith("("):
            break
        if _HEADING_RE.match(line) or (parts and _starts_body(line)):
            break  # the first paragraph of the body, not the title's next line
        parts.append(_sentence_case(line) if _is_caps(line) else line)
        if line.endswith(":"):
            break
    title = " ".join(parts).rstrip(":. ").strip()
    return title or None


_HEADING_RE = re.compile(r"^(?:[A-ZĐ]|[IVXLC]+|\d+)[-.)]\s")  # "A- TÌNH HÌNH", "I. MỤC ĐÍCH"
_BODY_OPENINGS = ("can cu", "thuc hien", "de ", "nham ", "theo ", "ngay ", "trong ", "sau ",
                  "qua ", "tiep tuc thuc hien", "duoc su", "nhu ")  # fmt: skip


def _starts_body(line: str) -> bool:
    """A line that opens the body: a capitalised sentence, not the trích yếu's next line."""
    if _is_caps(line) or not line[:1].isupper():
        return False
    return line.endswith(":") or fold(line).startswith(_BODY_OPENINGS)


# Second syllables of common words: a title starting with one lost its first word(s)
# ("khai thực hiện…" for "triển khai thực hiện…").
_CUT_STARTS = {"khai", "hien", "cuong", "tuc", "dung", "chuc", "giac", "truong"}


def title_cut_at_start(title: str | None) -> bool:
    """True when the title begins with the second half of a word ('khai thực hiện…')."""
    words = (title or "").split()
    return bool(words) and words[0].islower() and fold(words[0]) in _CUT_STARTS


def _complete_title(title: str | None, doc_type: str | None, body: list[str]) -> str | None:
    """A title cut at the start completed from the body's own mention of the document.

    '3260-KH' reads 'khai thực hiện Nghị quyết…' while its body says 'ban hành Kế hoạch triển
    khai thực hiện Nghị quyết…': the words between the type and the title's start are restored.
    """
    if not title or not doc_type or not title_cut_at_start(title):
        return title
    start = " ".join(title.split()[:3])
    pattern = re.compile(
        rf"{re.escape(doc_type)}\s+((?:[a-zà-ỹđ]+\s+){{1,3}}?){re.escape(start)}", re.IGNORECASE
    )
    for line in body[:60]:
        match = pattern.search(line)
        if match and match.group(1).strip().islower():
            return f"{match.group(1).strip()} {title}"
    return title


def _title_from_sentence(header: list[str], code: DocCode | None) -> str | None:
    """'Kết luận số 69-KL/TW ngày … của Bộ Chính trị về tiếp tục …' → 'về tiếp tục …'."""
    if code is None:
        return None
    for line in header:
        if str(code) in line:
            match = re.search(r"\bcủa\s+.+?\s+(về\s.+)$", line[line.index(str(code)) :])
            if match:
                return match.group(1).rstrip(" .")
    return None


def _appendix_title(header: list[str]) -> str | None:
    """'PHỤ LỤC I' + 'DANH MỤC CÁC CHỈ TIÊU CỤ THỂ' → 'Phụ lục I: danh mục các chỉ tiêu cụ thể'."""
    for index, line in enumerate(header[:3]):
        match = _APPENDIX_RE.match(line)
        if not match:
            continue
        label = f"Phụ lục {match.group(1)}"
        rest = match.group(2).strip(" :.-")
        if not rest and index + 1 < len(header):
            rest = header[index + 1]
        if rest:
            rest = _sentence_case(rest) if _is_caps(rest) else rest
            return f"{label}: {rest}"
        return label
    return None


def _issuer(
    header: list[str], type_index: int | None, text: str, code: DocCode | None
) -> str | None:
    """'CỦA BỘ CHÍNH TRỊ' after the type line, else the committee lines above the code line."""
    if type_index is not None:
        for line in header[type_index + 1 : type_index + 3]:
            folded = fold(line)
            if folded.startswith("cua "):
                return _issuer_name(line[4:])
            if folded.startswith("hoi nghi ") and "ban chap hanh trung uong" in folded:
                return "Ban Chấp hành Trung ương"
    limit = type_index if type_index is not None and type_index > 0 else len(header)
    candidates: list[str] = []
    for index, line in enumerate(header[:limit]):
        if index == type_index:
            continue
        if _CODE_LINE_RE.match(line):
            break
        for cell in line.split(" | "):
            name = _caps_issuer(cell)
            if name:
                candidates.append(name)
    if candidates:
        last = candidates[-1]
        if last == "Văn phòng" and len(candidates) > 1:
            return f"Văn phòng {candidates[-2]}"
        return last
    return _issuer_from_sentence(text, code)


def _caps_issuer(line: str) -> str | None:
    """An ALL-CAPS committee line ('ĐẢNG ĐOÀN QUỐC HỘI') as a name, national mottos left out."""
    line = re.sub(r"\s*CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\s*", " ", line).strip(" -*")
    if not _is_caps(line) or len(line.split()) > 8:
        return None
    folded = fold(line)
    if folded in _NOT_ISSUER or folded.startswith(("so ", "so:")) or _type_from_line(line):
        return None
    if not re.search(
        r"\b(ban|dang|uy|chinh phu|quoc hoi|bo|van phong|hoi dong|mat tran)\b", folded
    ):
        return None
    return _issuer_name(line)


def _issuer_name(raw: str) -> str:
    """An issuer as written in running text: 'BỘ CHÍNH TRỊ' → 'Bộ Chính trị'."""
    raw = raw.strip(" .,:;*")
    known = _ISSUER_BY_FOLD.get(fold(raw))
    if known:
        return known
    if not _is_caps(raw):
        return raw
    name = _place_names(_sentence_case(raw))
    return name[0].upper() + name[1:]


_UNIT_RE = re.compile(
    r"\b(phường|xã|quận|huyện|tỉnh|thành phố|thị xã|thị trấn|tp\.?)(\s+(?:ủy|uỷ))?\s+(\S.*)$"
)


def _place_names(name: str) -> str:
    """'Đảng ủy phường kim mã' → 'Đảng ủy phường Kim Mã': the place after its unit capitalised."""
    match = _UNIT_RE.search(name)
    if not match:
        return name
    place = " ".join(w[:1].upper() + w[1:] for w in match.group(3).split())
    return name[: match.start(3)] + place


def _issuer_from_sentence(text: str, code: DocCode | None) -> str | None:
    """'… 69-KL/TW ngày 11/01/2024 của Bộ Chính trị về …' → 'Bộ Chính trị'."""
    if code is None:
        return None
    for match in re.finditer(re.escape(str(code)), text[:5000]):
        tail = text[match.end() : match.end() + 160].split("\n", 1)[0]
        found = re.match(
            r"(?:,?\s*ngày\s+[\d/\-]+|\s*ngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d+)?,?\s+của\s+"
            r"(.+?)(?=\s+(?:về|khóa|khoá|ngày)\b|[,(;.:]|$)",
            tail,
        )
        if found:
            return _issuer_name(found.group(1))
    return None


def _header_date(header: list[str], code: DocCode | None, text: str) -> str | None:
    """The place-and-date line 'Hà Nội, ngày 22 tháng 12 năm 2024', or the date beside the code."""
    for line in header:
        # A table header puts the code and the place-and-date side by side: "Số … | Hà Nội, ngày …".
        for cell in line.split(" | "):
            cell = cell.strip(" *_")
            if cell.startswith("(") or fold(cell).startswith("v/v"):
                continue
            match = _PLACE_DATE_RE.search(cell)
            if match:
                return _iso(match.group(3), match.group(2), match.group(1))
    if code is not None:
        for line in header:
            if str(code) in line:
                match = re.search(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", line)
                if match:
                    return _iso(match.group(3), match.group(2), match.group(1))
    return None


def _date_from_name(name: str) -> str | None:
    match = _ISO_IN_NAME_RE.search(name)
    return _iso(*match.groups()) if match else None


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _sentence_case(line: str) -> str:
    """An ALL-CAPS title in running-text case; codes ('57-NQ/TW') and proper names kept."""
    words = [w if any(ch.isdigit() or ch == "/" for ch in w) else w.lower() for w in line.split()]
    text = " ".join(words)
    for proper in _PROPER:
        text = re.sub(rf"\b{re.escape(proper.lower())}\b", proper, text)
    # "nghị quyết số 57-NQ/TW" → "Nghị quyết số 57-NQ/TW": a named document keeps its capital.
    return re.sub(
        r"\b(nghị quyết|kết luận|chỉ thị|chương trình|kế hoạch|quyết định|quy định) số\b",
        lambda m: m.group(0)[0].upper() + m.group(0)[1:],
        text,
    )


def _is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


# --- news articles -----------------------------------------------------------------------------


def _mentioned_codes(text: str) -> list[DocCode]:
    return find_codes(text)


def _article_meta(lines: list[str], text: str, name: str) -> DocumentMeta:
    """A news piece about a document: the code it discusses most, the article's date and headline."""
    counts = Counter(str(code) for code in _all_party_codes(text))
    name_code = _code_from_name(name)
    if name_code is not None and str(name_code) in counts:
        code_text = str(name_code)
    else:
        code_text = counts.most_common(1)[0][0]
    code = next(c for c in find_codes(text) if str(c) == code_text)
    doc_type = _type_before_code(text, code_text) or _TYPE_BY_ABBREVIATION.get(code.doc_type)
    headline = next(
        (
            line
            for line in lines[:6]
            if not _TIMESTAMP_RE.match(line) and 2 <= len(line.split()) <= 30
        ),
        None,
    )
    date = None
    for line in lines[:8]:
        match = _NUMERIC_DATE_RE.search(line)
        if match and (_TIMESTAMP_RE.match(line) or len(line.split()) <= 6):
            date = _iso(match.group(3), match.group(2), match.group(1))
            break
    return DocumentMeta(
        code=code_text,
        doc_type=doc_type,
        issuer=_issuer_from_sentence(text, code),
        date=date or _date_from_name(name),
        title=headline,
        source_kind="article",
    )


def _all_party_codes(text: str) -> list[DocCode]:
    """Every occurrence (with repeats) of a Party code, to find the one an article is about."""
    found = []
    for line in text.split("\n"):
        for sentence in re.split(r"(?<=[.;])\s", line):
            found.extend(find_codes(sentence))
    return found


def _type_before_code(text: str, code: str) -> str | None:
    """'Chương trình số 01-CTr/TU' → 'Chương trình'."""
    for match in re.finditer(r"([\wÀ-ỹ]+ [\wÀ-ỹ]+)(?: chuyên đề)? số " + re.escape(code), text):
        value = _TYPE_BY_FOLD.get(fold(match.group(1)))
        if value:
            return value
    return None


# --- front matter, sidecars, overrides --------------------------------------------------------

_FRONT_RE = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (--- … --- at the very top) and the text without it."""
    match = _FRONT_RE.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    return data, text[match.end() :]


def read_sidecar(path: Path) -> dict[str, Any]:
    """Fields from '<name>.yaml' (or '<name>.<ext>.yaml') beside a document, if there is one."""
    for candidate in (
        path.with_suffix(".yaml"),
        path.with_suffix(".yml"),
        path.with_name(path.name + ".yaml"),
    ):
        if candidate.is_file():
            try:
                data = yaml.safe_load(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def apply_overrides(
    meta: DocumentMeta, overrides: Mapping[str, Any], extra: Mapping[str, str] | None = None
) -> DocumentMeta:
    """Meta with front matter / sidecar keys (code, doc_type|type, issuer, date, title, source_kind)."""
    changes: dict[str, Any] = {}
    merged_extra = dict(meta.extra)
    for key, value in overrides.items():
        if value is None:
            continue
        text = _as_text(value)
        if key in _OVERRIDE_KEYS:
            field = "doc_type" if key == "type" else key
            if field == "code":
                found = find_codes(text) or find_state_codes(text)
                text = str(found[0]) if found else text
            changes[field] = text
        else:
            merged_extra[str(key)] = text
    merged_extra.update(extra or {})
    return dataclasses.replace(meta, **changes, extra=merged_extra)


def meta_from_record(record: Mapping[str, Any], base: DocumentMeta) -> DocumentMeta:
    """Metadata of a JSONL record: its own keys over what its text says."""
    overrides = {k: v for k, v in record.items() if k not in ("id", "text")}
    return apply_overrides(base, overrides)


def _as_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_as_text(v) for v in value)
    return normalize(str(value)).strip()
