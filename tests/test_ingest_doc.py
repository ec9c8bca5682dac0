"""Old Word .doc and OpenDocument .odt files: tables keep their headers as in .docx."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_ingest_tables import _answer_row, _kb_with

from bot.ingest.loaders import UnusableFile, load_file

DOC_FIXTURE = FIXTURES / "office" / "kh-12-nhiem-vu.doc"
ODT_FIXTURE = FIXTURES / "office" / "kh-12-nhiem-vu.odt"
needs_antiword = pytest.mark.skipif(
    shutil.which("antiword") is None,
    reason="antiword is not installed (scripts/setup-system.sh installs it as root)",
)


@needs_antiword
def test_a_doc_task_row_answers_with_its_headers(make_settings) -> None:
    kb = _kb_with(make_settings, {DOC_FIXTURE.name: DOC_FIXTURE})
    chunk, shown = _answer_row(
        kb, "Cơ quan nào chủ trì ban hành quy chế quản lý quỹ đổi mới sáng tạo?"
    )
    assert chunk.text == (
        "TT: 2. · Nhiệm vụ: Ban hành quy chế quản lý quỹ đổi mới sáng tạo của thành phố · "
        "Cơ quan chủ trì: Sở Tài chính · Thời hạn: 9/2025"
    )
    assert chunk.heading_path == ("II. NHIỆM VỤ CỤ THỂ", "Danh mục nhiệm vụ năm 2025")
    assert "Cơ quan chủ trì: Sở Tài chính · Thời hạn: 9/2025" in shown


@needs_antiword
def test_a_doc_has_the_header_of_its_docx(tmp_path: Path) -> None:
    shutil.copy(DOC_FIXTURE, tmp_path / "kh.doc")
    doc = load_file(tmp_path / "kh.doc", tmp_path)[0]
    assert doc.meta.code == "12-KH/TU" and doc.meta.doc_type == "Kế hoạch"
    # The page break in the task table leaves one table: row 4 follows row 3.
    lines = doc.text.split("\n")
    row3 = next(i for i, line in enumerate(lines) if line.startswith("TT: 3. · "))
    assert lines[row3 + 1].startswith("TT: 4. · Nhiệm vụ: Xây dựng trung tâm dữ liệu")


@needs_antiword
def test_a_broken_doc_is_refused_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "hong.doc").write_bytes(b"\xd0\xcf\x11\xe0 not really a Word file" * 20)
    with pytest.raises(UnusableFile, match="tệp .doc hỏng"):
        load_file(tmp_path / "hong.doc", tmp_path)


def test_without_antiword_a_doc_is_skipped_saying_what_to_install(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    shutil.copy(DOC_FIXTURE, tmp_path / "kh.doc")
    with pytest.raises(UnusableFile, match="apt-get install antiword"):
        load_file(tmp_path / "kh.doc", tmp_path)


def test_an_odt_reads_like_its_docx(tmp_path: Path) -> None:
    shutil.copy(ODT_FIXTURE, tmp_path / "kh.odt")
    doc = load_file(tmp_path / "kh.odt", tmp_path)[0]
    assert doc.meta.code == "12-KH/TU"
    lines = doc.text.split("\n")
    assert lines[0] == "THÀNH ỦY HÀ NỘI | ĐẢNG CỘNG SẢN VIỆT NAM"
    assert (
        "TT: 2. · Nhiệm vụ: Ban hành quy chế quản lý quỹ đổi mới sáng tạo của thành phố · "
        "Cơ quan chủ trì: Sở Tài chính · Thời hạn: 9/2025"
    ) in lines
    assert any(line.startswith("TT: 4. · ") for line in lines)


RTF_FIXTURE = FIXTURES / "office" / "kh-12-nhiem-vu.rtf"


def test_an_rtf_task_row_answers_with_its_headers_under_its_headings(make_settings) -> None:
    kb = _kb_with(make_settings, {"kh-12.rtf": RTF_FIXTURE})
    chunk, shown = _answer_row(
        kb, "Cơ quan nào chủ trì ban hành quy chế quản lý quỹ đổi mới sáng tạo?"
    )
    assert chunk.text == (
        "TT: 2. · Nhiệm vụ: Ban hành quy chế quản lý quỹ đổi mới sáng tạo của thành phố · "
        "Cơ quan chủ trì: Sở Tài chính · Thời hạn: 9/2025"
    )
    assert chunk.heading_path == ("II. NHIỆM VỤ CỤ THỂ", "Danh mục nhiệm vụ năm 2025")
    assert "Cơ quan chủ trì: Sở Tài chính" in shown


def test_an_rtf_reads_like_its_docx_without_its_style_and_font_tables(tmp_path: Path) -> None:
    shutil.copy(RTF_FIXTURE, tmp_path / "kh.rtf")
    doc = load_file(tmp_path / "kh.rtf", tmp_path)[0]
    assert doc.meta.code == "12-KH/TU" and doc.meta.issuer == "Thành ủy Hà Nội"
    lines = doc.text.split("\n")
    assert lines[0] == "THÀNH ỦY HÀ NỘI | ĐẢNG CỘNG SẢN VIỆT NAM"
    row3 = next(i for i, line in enumerate(lines) if line.startswith("TT: 3. · "))
    assert lines[row3 + 1].startswith("TT: 4. · Nhiệm vụ: Xây dựng trung tâm dữ liệu")
    assert lines[-1] == "Các sở, ngành báo cáo kết quả thực hiện trước ngày 15 tháng 12 hằng năm."
    for noise in ("Times New Roman", "Heading 1", "Normal;", "Default Paragraph Font"):
        assert noise not in doc.text


def test_an_old_vietnamese_windows_rtf_and_unicode_escapes_read_as_one_text(tmp_path) -> None:
    # Word 97 on Vietnamese Windows: code page 1258 bytes, tone marks as combining bytes
    # ('ả' = a + \'d2, 'ờ' = ơ \'f5 + \'cc); a newer Word: \uN escapes, each followed by a
    # stand-in for older readers ('?' or \'3f), which is not text.
    (tmp_path / "tb.rtf").write_bytes(
        b"{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0 Times New Roman;}}"
        b"{\\info{\\title B\\'e1o c\\'e1o}}"
        b"\\pard \\'d0a\\'d2ng u\\'d2y ph\\'fd\\'f5\\'ccng th\\'f4ng b\\'e1o k\\'ea\\'ect lu\\'e2\\'f2n."
        b"\\par\\pard\\uc1 Ngh\\u7883\\'3f quy\\u7871?t s\\u7889? 57-NQ/TW.\\par}"
    )
    doc = load_file(tmp_path / "tb.rtf", tmp_path)[0]
    assert doc.text.split("\n") == [
        "Đảng ủy phường thông báo kết luận.",
        "Nghị quyết số 57-NQ/TW.",
    ]


def test_a_file_named_rtf_that_is_not_one_is_refused_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "gia.rtf").write_text("Chỉ là văn bản thường, không phải RTF.", encoding="utf-8")
    with pytest.raises(UnusableFile, match="tệp .rtf hỏng"):
        load_file(tmp_path / "gia.rtf", tmp_path)
