"""Each loader on small real files made here, and the files that must be refused with a reason."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from conftest import PARTY_CORPUS

from bot.ingest.loaders import UnusableFile, discover_files, load_file


def _write(root: Path, name: str, data: bytes | str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF whose text layer holds the given ASCII lines."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        ops.append(f"({line}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _reason(path: Path, root: Path, **kwargs) -> str:
    with pytest.raises(UnusableFile) as info:
        load_file(path, root, **kwargs)
    return str(info.value)


def test_markdown_export_loses_its_markup_but_keeps_headings_and_table_rows(tmp_path: Path) -> None:
    source = (
        "**BAN CHẤP HÀNH TRUNG ƯƠNG**   \n\nSố 57\\-NQ/TW   \n*Hà Nội*, *ngày 22 tháng 12 năm 2024*\n\n"
        "**NGHỊ QUYẾT**\n\nCỦA BỘ CHÍNH TRỊ\n**về đột phá phát triển** khoa học\n\n"
        "# I- MỤC TIÊU\n\n**1\\.** Kinh tế \\- xã hội phát triển _bền vững_.\n\n"
        "| TT | Chỉ tiêu | Đơn vị |\n|---|---|---|\n| 1 | Quy mô kinh tế số | % GDP |\n"
    )
    doc = load_file(_write(tmp_path, "nq/57.md", source), tmp_path)[0]
    assert doc.id == "nq/57"
    assert "**" not in doc.text and "\\" not in doc.text and "_bền" not in doc.text
    assert "Số 57-NQ/TW" in doc.text
    assert "1. Kinh tế - xã hội phát triển bền vững." in doc.text.split("\n")
    assert "I- MỤC TIÊU" in doc.text.split("\n")
    assert "TT: 1 · Chỉ tiêu: Quy mô kinh tế số · Đơn vị: % GDP" in doc.text.split("\n")
    assert "---" not in doc.text
    assert doc.meta.code == "57-NQ/TW" and doc.meta.date == "2024-12-22"
    assert len(doc.content_hash) == 64


def test_text_file_with_bom_and_web_boilerplate(tmp_path: Path) -> None:
    source = "\ufeffSign In\n\nTiêu đề bài báo\n\nĐoạn một của bài viết.\n\nTag:\n\nFile đính kèm\n"
    doc = load_file(_write(tmp_path, "bai.txt", source), tmp_path)[0]
    assert doc.text == "Tiêu đề bài báo\nĐoạn một của bài viết."


def test_windows_1258_text_is_decoded(tmp_path: Path) -> None:
    import unicodedata

    text = "Nghị quyết về phát triển khoa học và công tác của Đảng."
    data = b""
    for ch in text:  # cp1258 has ê, ô, ơ… precomposed and the five tones as combining marks
        try:
            data += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            data += unicodedata.normalize("NFC", parts[:-1]).encode("cp1258")
            data += parts[-1].encode("cp1258")
    assert b"\xcc" in data or b"\xf2" in data or b"\xec" in data
    doc = load_file(_write(tmp_path, "cu.txt", data), tmp_path)[0]
    assert doc.text == text


def test_html_keeps_main_text_only(tmp_path: Path) -> None:
    source = """<html><head><title>Báo</title><script>var x = "Đăng nhập";</script>
    <style>p {color: red}</style></head><body><nav><a>Trang chủ</a> <a>Thời sự</a></nav>
    <header>Logo báo</header><article><h1>Từ quyết tâm đổi mới</h1>
    <p>Chương trình số 01-CTr/TU của Thành ủy Hà Nội đem lại <b>dấu ấn</b>.</p>
    <div class="share-buttons">Chia sẻ Facebook</div>
    <table><tr><td>Chỉ tiêu</td><td>30%</td></tr></table></article>
    <aside>Tin liên quan khác</aside><footer>Bản quyền</footer></body></html>"""
    doc = load_file(_write(tmp_path, "bao.html", source), tmp_path)[0]
    assert doc.text.split("\n") == [
        "Từ quyết tâm đổi mới",
        "Chương trình số 01-CTr/TU của Thành ủy Hà Nội đem lại dấu ấn.",
        "Chỉ tiêu | 30%",
    ]
    for chrome in ("Trang chủ", "var x", "color", "Logo", "Chia sẻ", "Tin liên quan", "Bản quyền"):
        assert chrome not in doc.text


def test_pdf_text_is_read_and_wrapped_lines_rejoined(tmp_path: Path) -> None:
    lines = [
        "I- MUC TIEU",
        "Phat trien khoa hoc, cong nghe, doi moi sang tao va chuyen doi so quoc gia la dot pha",
        "quan trong hang dau, la dong luc chinh de phat trien nhanh luc luong san xuat hien dai.",
        "Quy mo kinh te so dat toi thieu 30% GDP, phan dau dat muc cao hon nua trong giai doan",
        "tiep theo.",
    ]
    doc = load_file(_write(tmp_path, "nq.pdf", _pdf(lines)), tmp_path)[0]
    text_lines = doc.text.split("\n")
    assert text_lines[0] == "I- MUC TIEU"
    assert any(
        line.endswith(
            "dot pha quan trong hang dau, la dong luc chinh de phat trien nhanh luc luong san xuat hien dai."
        )
        for line in text_lines
    )
    assert "giai doan tiep theo." in doc.text


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf(["Noi dung mat"]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="matkhau", owner_password="chu")
    out = io.BytesIO()
    writer.write(out)
    assert "mã hóa" in _reason(_write(tmp_path, "mat.pdf", out.getvalue()), tmp_path)


def test_pdf_with_nothing_to_read_is_refused_as_a_scan(tmp_path: Path) -> None:
    # With OCR: nothing readable on the page; without: OCR must be installed. Both say scan.
    assert "bản quét" in _reason(_write(tmp_path, "scan.pdf", _pdf([])), tmp_path)


def test_docx_paragraphs_tables_and_headings_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("NGHỊ QUYẾT")
    document.add_heading("Quan điểm chỉ đạo", level=1)
    document.add_paragraph("Phát triển khoa học là đột phá quan trọng hàng đầu.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Chỉ tiêu", "Kết quả"
    table.cell(1, 0).text, table.cell(1, 1).text = "Quy mô kinh tế số", "30% GDP"
    document.add_paragraph("Đoạn sau bảng.")
    path = tmp_path / "vb.docx"
    document.save(path)
    doc = load_file(path, tmp_path)[0]
    assert doc.text.split("\n") == [
        "NGHỊ QUYẾT",
        "Quan điểm chỉ đạo",
        "Phát triển khoa học là đột phá quan trọng hàng đầu.",
        "Chỉ tiêu | Kết quả",
        "Quy mô kinh tế số | 30% GDP",
        "Đoạn sau bảng.",
    ]
    assert doc.meta.extra["heading_lines"] == "Quan điểm chỉ đạo"


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/padding.bin", b"\0" * (3 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    reason = _reason(path, tmp_path, max_docx_uncompressed=1024 * 1024)
    assert "zip bomb" in reason


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("hong.pdf", b"%PDF-1.4\n1 0 obj <<< rac rac", "PDF hỏng"),
        ("rong.txt", b"", "rỗng"),
        ("rong.md", b"  \n\n", "rỗng"),
        ("rac.docx", bytes(range(256)) * 8, ".docx hỏng"),
        ("rac.txt", b"\x00\x01\x02binary\x00junk" * 50, "nhị phân"),
        ("rac.md", bytes(range(1, 32)) * 40, "nhị phân"),
        ("thieu.docx", None, "word/document.xml"),
        ("anh.png", b"\x89PNG\r\n", "không được hỗ trợ"),
        ("cu.txt", "Uû ban nh©n d©n thµnh phè Hµ Néi ®· ban hµnh".encode(), "TCVN3"),
        ("vni.txt", "UÛy ban nhaân daân thaønh phoá Haø Noäi ñaõ ban haønh".encode(), "TCVN3/VNI"),
    ],
)
def test_unusable_files_give_a_vietnamese_reason(
    tmp_path: Path, name: str, data: bytes | None, expected: str
) -> None:
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("other.xml", "<x/>")
        data = buffer.getvalue()
    assert expected in _reason(_write(tmp_path, name, data), tmp_path)


def test_oversize_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "lon.txt", "Nội dung. " * 200)
    assert "quá lớn" in _reason(path, tmp_path, max_bytes=1000)


def test_real_vietnamese_is_never_taken_for_legacy_encoding() -> None:
    from bot.ingest.encoding import legacy_encoding

    for path in sorted(PARTY_CORPUS.glob("*.md")) + sorted(PARTY_CORPUS.glob("*.txt")):
        assert legacy_encoding(path.read_text(encoding="utf-8")) is None, path.name


def test_jsonl_records_become_documents_and_bad_lines_are_counted(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "luat@1", "title": "Điều 1. Phạm vi", "text": "Luật này quy định."}),
        "{không phải json",
        json.dumps(
            {"id": "luat@2", "text": "Điều 2 nói về giải thích từ ngữ.", "code": "15-NQ/TW"}
        ),
        json.dumps({"id": "luat@3", "title": "thiếu text"}),
    ]
    skipped: list[str] = []
    docs = load_file(
        _write(tmp_path, "luat.jsonl", "\n".join(lines)), tmp_path, skipped_lines=skipped
    )
    assert [d.id for d in docs] == ["luat@1", "luat@2"]
    assert docs[0].meta.title == "Điều 1. Phạm vi" and docs[1].meta.code == "15-NQ/TW"
    assert docs[0].content_hash != docs[1].content_hash
    assert len(skipped) == 2 and "luat.jsonl:2" in skipped[0]


def test_front_matter_and_sidecar_override_metadata(tmp_path: Path) -> None:
    body = "Nội dung văn bản của Thành ủy, nói về công tác xây dựng Đảng.\n"
    front = "---\ncode: 01-ctr/tu\ntype: Chương trình\nissuer: Thành ủy Hà Nội\ndate: 2021-03-17\nnhiem_ky: XVII\n---\n"
    doc = load_file(_write(tmp_path, "ct01.md", front + body), tmp_path)[0]
    assert doc.text == body.strip()
    assert (doc.meta.code, doc.meta.doc_type, doc.meta.issuer, doc.meta.date) == (
        "01-CTr/TU",
        "Chương trình",
        "Thành ủy Hà Nội",
        "2021-03-17",
    )
    assert doc.meta.extra["nhiem_ky"] == "XVII"
    _write(tmp_path, "ghi.yaml", "title: Tiêu đề do văn phòng đặt\nsource_kind: article\n")
    doc = load_file(_write(tmp_path, "ghi.txt", body), tmp_path)[0]
    assert doc.meta.title == "Tiêu đề do văn phòng đặt" and doc.meta.source_kind == "article"


def test_discover_files_skips_hidden_quiz_and_sidecars(tmp_path: Path) -> None:
    for name in (
        "b.md",
        "a/c.txt",
        ".an.txt",
        ".git/x.md",
        "quiz/bo.yaml",
        "quiz/ghi.md",
        "b.yaml",
        "PROVENANCE.txt",
        "README.md",
    ):
        _write(tmp_path, name, "x")
    assert [p.relative_to(tmp_path).as_posix() for p in discover_files(tmp_path)] == [
        "a/c.txt",
        "b.md",
    ]
