"""Caps that bound what one document may cost: characters, XML elements, passages.

A hostile file (a 72 KB DOCX whose document.xml inflates to 20 MB) is refused while it is
being read, with the cap named in the reason, instead of being parsed whole into memory.
"""

from __future__ import annotations

import zipfile
from typing import IO

from bot.ingest.errors import UnusableFile

DEFAULT_MAX_CHARS = 1_000_000  # a 400-page document; the longest Party text is ~150,000
DEFAULT_MAX_PASSAGES = 2_000
DOCX_ELEMENTS_PER_CHAR = 1  # real documents, tables and formatting included, have fewer
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def vn_number(value: int) -> str:
    """1000000 → '1.000.000' (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def too_many_chars(max_chars: int) -> UnusableFile:
    """The refusal for a document over the character cap."""
    return UnusableFile(
        f"văn bản quá dài: hơn {vn_number(max_chars)} ký tự (giới hạn mỗi văn bản là "
        f"{vn_number(max_chars)} ký tự); hãy tách thành nhiều tệp nhỏ hơn"
    )


def too_many_passages(passages: int, max_passages: int) -> str:
    """The skip reason for a document over the passage cap."""
    return (
        f"văn bản quá dài: {vn_number(passages)} đoạn (giới hạn mỗi văn bản là "
        f"{vn_number(max_passages)} đoạn); hãy tách thành nhiều tệp nhỏ hơn"
    )


def check_chars(texts: list[str], max_chars: int) -> None:
    """UnusableFile when the texts together are longer than max_chars."""
    total = 0
    for text in texts:
        total += len(text)
        if total > max_chars:
            raise too_many_chars(max_chars)


def scan_docx(archive: zipfile.ZipFile, max_chars: int) -> None:
    """Stream word/document.xml once, without building it: refuse over the caps.

    Counts the characters of the text runs and the XML tags (as the bytes stream past);
    stops at the first cap passed, so a bomb costs the time to read up to the cap and a
    few megabytes.
    """
    from lxml import etree

    max_elements = max(100_000, int(DOCX_ELEMENTS_PER_CHAR * max_chars))
    chars = 0
    with archive.open("word/document.xml") as stream:
        counted = _TagCounter(stream, max_elements)
        events = etree.iterparse(counted, events=("end",), tag=(f"{_W}t", f"{_W}p"))
        for _, element in events:
            if element.tag == f"{_W}t":
                if element.text:
                    chars += len(element.text)
                    if chars > max_chars:
                        raise too_many_chars(max_chars)
                continue
            # A finished paragraph: drop it and what came before, so memory stays flat.
            element.clear()
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]


class _TagCounter:
    """A file-like reader that counts '<' (one per XML tag) and stops past the cap."""

    def __init__(self, stream: IO[bytes], max_elements: int) -> None:
        self._stream = stream
        self._max = max_elements
        self._tags = 0

    def read(self, size: int = 65536) -> bytes:
        data = self._stream.read(min(size, 1 << 16) if size and size > 0 else 1 << 16)
        self._tags += data.count(b"<")
        if self._tags > 2 * self._max:  # an element is an opening and a closing tag
            raise UnusableFile(
                f"tệp .docx có quá nhiều thành phần (hơn {vn_number(self._max)}), "
                "nghi là tệp độc hại"
            )
        return data
