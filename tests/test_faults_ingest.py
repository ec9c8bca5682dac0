"""Hostile and awkward files: compression bombs at the caps, AES PDFs, long and reserved names.

Bombs are generated here; each case asserts the refusal (and that it names the cap) or the
success, never a time (benchmarks/bench_bombs.py measures time and memory).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bot.devtools.bombs import SENTENCE, docx_bytes
from bot.ingest.errors import UnusableFile
from bot.ingest.loaders import load_file
from bot.knowledge_base import KnowledgeBase
from bot.telegram.uploads import UploadRejected, check_name, safe_name, validate_staged


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_the_20_mb_document_xml_bomb_is_refused_naming_the_cap(tmp_path: Path) -> None:
    data = docx_bytes(paragraphs=20 * 1024 * 1024 // 100, per_paragraph=1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("word/document.xml").file_size > 20_000_000
    assert len(data) < 200_000  # a small upload
    with pytest.raises(UnusableFile, match=r"quá dài: hơn 1\.000\.000 ký tự"):
        load_file(_write(tmp_path, "bom.docx", data), tmp_path)


def test_a_docx_just_under_the_character_cap_is_read_and_just_over_refused(tmp_path) -> None:
    cap = 30_000
    under = docx_bytes(paragraphs=cap // len(SENTENCE) - 2)
    over = docx_bytes(paragraphs=cap // len(SENTENCE) + 2)
    docs = load_file(_write(tmp_path, "under.docx", under), tmp_path, max_chars=cap)
    assert SENTENCE.strip() in docs[0].text and len(docs[0].text) <= cap
    with pytest.raises(UnusableFile, match=r"hơn 30\.000 ký tự"):
        load_file(_write(tmp_path, "over.docx", over), tmp_path, max_chars=cap)


def test_markup_without_text_is_refused_by_its_element_count(tmp_path: Path) -> None:
    data = docx_bytes(paragraphs=300_000, sentence="")
    with pytest.raises(UnusableFile, match="quá nhiều thành phần"):
        load_file(_write(tmp_path, "rong.docx", data), tmp_path, max_chars=50_000)


def test_text_files_over_the_character_cap_are_refused(tmp_path: Path) -> None:
    cap = 20_000
    text = (SENTENCE * (cap // len(SENTENCE) + 5)).encode("utf-8")
    with pytest.raises(UnusableFile, match=r"hơn 20\.000 ký tự"):
        load_file(_write(tmp_path, "dai.txt", text), tmp_path, max_chars=cap)
    ok = (SENTENCE * (cap // len(SENTENCE) - 5)).encode("utf-8")
    assert load_file(_write(tmp_path, "vua.txt", ok), tmp_path, max_chars=cap)


def _sections(count: int) -> bytes:
    return "\n\n".join(
        f"## Mục {i}\n\nNội dung mục {i} về công tác xây dựng Đảng." for i in range(count)
    ).encode("utf-8")


def test_the_passage_cap_refuses_at_upload_and_skips_in_the_build(make_settings) -> None:
    settings = make_settings(ingest={"max_document_passages": 50})
    root = settings.knowledge_dir
    over = _write(root, "nhieu-muc.md", _sections(80))
    with pytest.raises(UploadRejected, match=r"giới hạn mỗi văn bản là 50 đoạn"):
        validate_staged(over, root, settings.ingest, settings.chunking)
    under = _write(root, "vua-du.md", _sections(30))
    validate_staged(under, root, settings.ingest, settings.chunking)
    summary = KnowledgeBase(settings).rebuild()
    skipped = {item["path"]: item["reason"] for item in summary.skipped}
    assert "giới hạn mỗi văn bản là 50 đoạn" in skipped["nhieu-muc.md"]
    assert "vua-du.md" not in skipped and summary.added == 1


def test_a_pdf_with_only_an_owner_password_aes_is_read(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 50 780 Td (Nghi quyet ve chuyen doi so quoc gia.) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.encrypt(user_password="", owner_password="chi-chu-so-huu", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert b"/AESV3" in out.getvalue()
    doc = load_file(_write(tmp_path, "aes.pdf", out.getvalue()), tmp_path)[0]
    assert "chuyen doi so quoc gia" in doc.text


def test_names_too_long_in_bytes_are_cut_and_reserved_names_refused() -> None:
    name = safe_name("ữ" * 200 + ".docx")
    assert name.endswith(".docx") and len(name.encode("utf-8")) <= 150
    assert name.startswith("ữữữ")
    for reserved in ("README.md", "readme.txt", "LICENSE.txt", "PROVENANCE.md"):
        with pytest.raises(UploadRejected, match="đổi tên tệp"):
            check_name(safe_name(reserved))
    check_name("57-NQ-TW.md")
