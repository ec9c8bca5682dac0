"""Upload checks and the flood limiter: pure parts of the Telegram side."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.telegram.flood import FloodLimiter
from bot.telegram.uploads import UploadRejected, check_content, check_size, check_suffix, safe_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\x\\Nghị quyết 57.PDF", "Nghị_quyết_57.pdf"),
        (".hidden.md", "hidden.md"),
        ("a/..", "van-ban"),
        ("Nghi\u0323 quyê\u0301t.docx", "Nghị_quyết.docx"),  # decomposed → NFC
        ("bad\x00name<>|?.txt", "badname.txt"),
        (None, "van-ban"),
    ],
)
def test_safe_name(raw: str | None, expected: str) -> None:
    assert safe_name(raw) == expected


def test_safe_name_caps_length_and_keeps_suffix() -> None:
    name = safe_name("x" * 500 + ".md")
    assert len(name) <= 120 and name.endswith(".md")


def _docx(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_content_must_match_the_suffix() -> None:
    check_content("a.pdf", b"%PDF-1.7 ...", 200)
    check_content("a.txt", "Nghị quyết".encode(), 200)
    check_content("a.md", "\ufeff# Tiêu đề".encode(), 200)
    check_content("a.docx", _docx({"word/document.xml": b"<w:document/>"}), 200)
    check_content("a.rtf", b"{\\rtf1\\ansi Ngh\\u7883?}", 200)
    for name, data, reason in [
        ("a.rtf", "Nghị quyết".encode(), "không phải tệp .rtf"),
        ("a.pdf", b"hello", "không phải PDF"),
        ("a.txt", b"%PDF-1.4 binary", "không khớp"),
        ("a.txt", b"ab\x00cd", "nhị phân"),
        ("a.docx", b"not a zip", "không phải DOCX"),
        ("a.docx", _docx({"x.xml": b"1"}), "word/document.xml"),
        ("a.exe", b"MZ", "không được hỗ trợ"),
        ("a.md", b"   ", "rỗng"),
    ]:
        with pytest.raises(UploadRejected, match=reason):
            check_content(name, data, 200)


def test_docx_zip_bomb_is_refused_from_the_directory() -> None:
    bomb = _docx({"word/document.xml": b"<w:document/>", "word/pad.xml": b"0" * (3 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(UploadRejected, match="giải nén quá lớn"):
        check_content("a.docx", bomb, max_docx_uncompressed_mb=2)


def test_size_and_suffix_limits() -> None:
    check_size(20 * 1024 * 1024, 20)
    with pytest.raises(UploadRejected, match="quá lớn"):
        check_size(20 * 1024 * 1024 + 1, 20)
    assert check_suffix("A.HTML") == ".html"


def test_flood_limiter_window_and_single_warning() -> None:
    now = [0.0]
    limiter = FloodLimiter(3, 10.0, clock=lambda: now[0])
    assert [limiter.check(1) for _ in range(3)] == [(True, False)] * 3
    assert limiter.check(1) == (False, True)
    assert limiter.check(1) == (False, False)  # warned once per window
    assert limiter.check(2) == (True, False)  # other members unaffected
    assert limiter.wait_seconds(1) == 10
    now[0] = 10.0
    assert limiter.check(1) == (True, False)
