"""Bytes → text for text-like files: BOMs, UTF-8 with fallbacks, junk and legacy encodings."""

from __future__ import annotations

import re
import unicodedata

from bot.ingest.errors import UnusableFile

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Latin-1 characters that never occur in Vietnamese text but fill TCVN3 (ABC) and VNI text
# read as Windows-1252: "Uû ban nh©n d©n", "Vieät Nam", "ngöôøi".
_LEGACY_MARKS = frozenset("©ª«¬®µ¶·¸¹»¼½¾ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñöøûüþÿ¡¢£¤¥¦§¨¯±²³´")
# Letters only Vietnamese (Unicode) text has: ă đ ĩ ũ ơ ư and the Latin Extended Additional block.
_VIETNAMESE_RE = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")


def decode_bytes(data: bytes) -> str:
    """Text of a text file: BOM stripped, UTF-8 else UTF-16 (by BOM) else Windows-1258."""
    if not data.strip():
        raise UnusableFile("tệp rỗng")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    elif data.startswith(_UTF16_BOMS):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise UnusableFile("không giải mã được (UTF-16 hỏng)") from exc
    if b"\x00" in data:
        raise UnusableFile("tệp nhị phân, không phải văn bản")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = unicodedata.normalize("NFC", data.decode("cp1258"))
        except UnicodeDecodeError as exc:
            raise UnusableFile("tệp nhị phân hoặc bảng mã không nhận ra được") from exc
    return _checked(text)


def _checked(text: str) -> str:
    """Reject control-character junk and legacy TCVN3/VNI mojibake."""
    if not text.strip():
        raise UnusableFile("tệp rỗng")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(3, len(text) // 200):
        raise UnusableFile("tệp nhị phân, không phải văn bản")
    legacy = legacy_encoding(text)
    if legacy:
        raise UnusableFile(f"văn bản dùng bảng mã cũ {legacy}; hãy chuyển sang Unicode rồi nạp lại")
    return text


def legacy_encoding(text: str) -> str | None:
    """'TCVN3/VNI' when the text looks like legacy-font mojibake, else None."""
    text = unicodedata.normalize("NFC", text)
    marks = sum(1 for ch in text if ch in _LEGACY_MARKS)
    if marks < 3:
        return None
    vietnamese = len(_VIETNAMESE_RE.findall(text))
    # Real Vietnamese has several ư/ơ/ạ… per sentence; mojibake has none (they became marks).
    if marks > 0.3 * (marks + vietnamese):
        return "TCVN3/VNI"
    return None
