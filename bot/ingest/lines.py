"""Line-level tidying shared by the loaders: re-join wrapped lines, drop page numbers and web chrome."""

from __future__ import annotations

import re

_TERMINAL = (".", ";", ":", "!", "?", "…", '"', "”", "»", ")", "]")
_LETTER_ITEM_RE = re.compile(r"^[a-zđ][)]\s")
_LIST_START_RE = re.compile(
    r"^(?:[-+•*–]\s|[IVXLC]+\s*[.-]\s|\d+(?:\.\d+)*\s*[.)-]\s|[a-zđ]\)\s|(?:Phần|Chương|Mục|Điều)\s)"
)
_PAGE_NUMBER_RE = re.compile(r"^(?:\d{1,3}|-\s*\d{1,3}\s*-|Trang \d{1,3}(?:/\d{1,3})?)$")
_DECORATION_RE = re.compile(r"^[\W_]{1,12}$")

# Whole lines that are web-page chrome rather than text (compared after lower-casing, ':' stripped).
_BOILERPLATE = frozenset(
    """sign in|sign up|đăng nhập|đăng ký|tag|tags|từ khóa|từ khoá|file đính kèm|tệp đính kèm|
    chia sẻ|share|facebook|twitter|zalo|in bài|in bài viết|gửi bình luận|bình luận|ý kiến bạn đọc|
    xem thêm|tin liên quan|bài liên quan|tin khác|tin cùng chuyên mục|quay lại|về đầu trang|
    trở về|bản in|gửi email|email|lưu bài|theo dõi|like|tweet|copy link|sao chép liên kết|
    cỡ chữ|font size|a a a|a+ a-|đọc bài|nghe bài|menu|tìm kiếm|search|quảng cáo""".replace(
        "\n", ""
    )
    .replace("    ", "")
    .split("|")
)


def is_boilerplate(line: str) -> bool:
    """True for web chrome lines such as 'Sign In', 'Tag:', 'File đính kèm', share buttons."""
    key = line.strip().rstrip(":").strip().lower()
    if key in _BOILERPLATE:
        return True
    return key.startswith(("tag:", "tags:", "từ khóa:", "file đính kèm:"))


def tidy_lines(
    lines: list[str], headings: set[str] | None = None, wrapped: bool = False
) -> list[str]:
    """Non-empty lines with lone bullets attached, page numbers dropped, broken paragraphs re-joined."""
    headings = headings or set()
    out: list[str] = []
    width = _typical_width(lines) if wrapped else 0
    pending_bullet = ""
    for raw in lines:
        line = raw.strip()
        if not line or _PAGE_NUMBER_RE.match(line) or is_boilerplate(line):
            continue
        if line in ("-", "–", "•", "+"):
            pending_bullet = "- "
            continue
        if _DECORATION_RE.match(line):
            continue
        if pending_bullet:
            line, pending_bullet = pending_bullet + line, ""
            out.append(line)
            continue
        if out and line not in headings and _continues(out[-1], line, headings, width):
            out[-1] = f"{out[-1]} {line}"
            continue
        out.append(line)
    return out


def starts_item(line: str) -> bool:
    """Whether a line opens a list item or a numbered part ('- ', 'a) ', '2. ', 'II. ', 'Điều 3')."""
    return bool(_LIST_START_RE.match(line.strip()))


def _continues(previous: str, line: str, headings: set[str], width: int) -> bool:
    """Whether line carries on the paragraph of previous (a page break or hard wrap split it)."""
    if previous in headings or previous.endswith(_TERMINAL):
        return False
    if any(sep in text for sep in (" | ", " · ") for text in (previous, line)):
        return False  # table rows (bot.ingest.tables) stand alone
    if _is_caps(previous):
        return False
    first = line[0]
    if first.islower() and not _LETTER_ITEM_RE.match(line):
        return True
    # A hard-wrapped line (PDF, fixed-width text) ends near the full width of the page.
    return bool(width) and len(previous) >= 0.75 * width and not _LIST_START_RE.match(line)


def _is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _typical_width(lines: list[str]) -> int:
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if len(lengths) < 3:
        return 0
    return lengths[int(len(lengths) * 0.9) - 1]


def looks_hard_wrapped(lines: list[str]) -> bool:
    """True for fixed-width text: most lines end near one width of at most ~100 characters."""
    lengths = [len(line.strip()) for line in lines if line.strip()]
    if len(lengths) < 8:
        return False
    width = sorted(lengths)[int(len(lengths) * 0.9) - 1]
    near = sum(1 for n in lengths if n >= 0.75 * width)
    return width <= 100 and near >= 0.6 * len(lengths)
