"""Chunks of the real Party documents: heading paths, verbatim text, no header or signature."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import PARTY_CORPUS, ROOT

from bot.documents import Document, DocumentMeta
from bot.ingest.chunking import chunk_document
from bot.ingest.loaders import discover_files, load_file
from bot.ingest.tables import row_fields
from bot.text.sentences import CLAUSE_MARKS, split_sentences

PARTY_FILES = sorted(
    p for p in PARTY_CORPUS.iterdir() if p.suffix in (".md", ".txt") and p.name != "PROVENANCE.txt"
)
TOP_HEADINGS_57 = [
    "I- QUAN ĐIỂM CHỈ ĐẠO",
    "II- MỤC TIÊU",
    "III- NHIỆM VỤ, GIẢI PHÁP",
    "IV- TỔ CHỨC THỰC HIỆN",
]


def _load(path: Path) -> Document:
    return load_file(path, path.parent)[0]


def _doc57() -> Document:
    [path] = PARTY_CORPUS.glob("57-NQ-TW_*.md")
    return _load(path)


def test_target_of_resolution_57_sits_under_its_headings() -> None:
    chunks = chunk_document(_doc57())
    [chunk] = [c for c in chunks if "Quy mô kinh tế số đạt tối thiểu 30% GDP" in c.text]
    assert chunk.heading_path == ("II- MỤC TIÊU", "1. Đến năm 2030")
    assert chunk.code == "57-NQ/TW" and chunk.date == "2024-12-22"
    assert chunk.prefix.startswith("57-NQ/TW › về đột phá phát triển khoa học")


def test_preamble_is_content_and_header_is_not() -> None:
    chunks = chunk_document(_doc57())
    assert chunks[0].position == 0 and chunks[0].heading_path == ()
    assert chunks[0].text.startswith("Phát triển khoa học, công nghệ, đổi mới sáng tạo")
    for chunk in chunks:
        assert "Số 57-NQ/TW" not in chunk.text
        assert "BAN CHẤP HÀNH TRUNG ƯƠNG" not in chunk.text


def test_no_chunk_crosses_a_top_level_heading() -> None:
    chunks = chunk_document(_doc57())
    for chunk in chunks:
        for heading in TOP_HEADINGS_57:
            assert heading not in chunk.text.split("\n")
    tops = [c.heading_path[0] for c in chunks if c.heading_path]
    assert list(dict.fromkeys(tops)) == TOP_HEADINGS_57


@pytest.mark.parametrize("path", PARTY_FILES, ids=lambda p: p.name[:24])
def test_party_chunks_are_verbatim_bounded_and_unsigned(path: Path) -> None:
    doc = _load(path)
    chunks = chunk_document(doc, max_tokens=300)
    assert chunks
    assert [c.position for c in chunks] == list(range(len(chunks)))
    assert all(c.id == f"{doc.id}#{c.position}" and c.doc_id == doc.id for c in chunks)
    for chunk in chunks:
        assert chunk.text in doc.text
        # A table row is one passage, whatever its length (up to three times the limit).
        limit = 900 if row_fields(chunk.text) else 300
        assert len(chunk.text.split()) <= limit
        assert "Nơi nhận" not in chunk.text
        assert "T/M " not in chunk.text and "(Đã ký)" not in chunk.text
        assert all("**" not in h and "#" not in h for h in chunk.heading_path)


def test_attached_programme_after_the_signature_is_kept() -> None:
    [path] = PARTY_CORPUS.glob("03-NQ-CP_2025*.md")
    chunks = chunk_document(_load(path))
    assert all("Nguyễn Hòa Bình" not in c.text for c in chunks)
    assert any(
        c.heading_path[:2] == ("CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ", "I. MỤC TIÊU")
        for c in chunks
    )


def test_nested_paths_reset_at_each_new_section() -> None:
    [path] = PARTY_CORPUS.glob("20-NQ-TW_*.md")
    chunks = chunk_document(_load(path))
    paths = [c.heading_path for c in chunks]
    assert ("A- TÌNH HÌNH VÀ NGUYÊN NHÂN",) in paths
    deep = [p for p in paths if any(h.startswith("2.1-") for h in p)]
    assert deep and all(
        p[0].startswith("B- ") and p[1] == "III- NHIỆM VỤ VÀ GIẢI PHÁP" for p in deep
    )
    assert all(p[-1].startswith("C- ") for p in paths if "C- TỔ CHỨC THỰC HIỆN" in p)


def test_each_table_row_is_one_passage_with_its_headers_under_its_section_row() -> None:
    [path] = PARTY_CORPUS.glob("03-NQ-CP_PhuLuc-I_*.md")
    doc = _load(path)
    chunks = chunk_document(doc)
    rows = [c for c in chunks if row_fields(c.text)]
    assert len(rows) >= 40
    assert all("\n" not in c.text for c in rows)
    [target] = [c for c in rows if c.text.startswith("TT: 36 · ")]
    assert target.text == (
        "TT: 36 · Chỉ tiêu: Quy mô kinh tế số · Đơn vị: % GDP · Kết quả: ≥ 50 · "
        "Cơ quan chủ trì theo dõi, đánh giá: Bộ Thông tin và Truyền thông"
    )
    assert target.heading_path == ("II. Đến năm 2045",)


def _doc(text: str, **meta) -> Document:
    return Document(id="d", text=text, meta=DocumentMeta(**meta))


def test_numbered_paragraph_is_not_a_heading_and_short_numbered_line_is() -> None:
    text = (
        "I- MỤC TIÊU\n1. Đến năm 2030\nĐoạn nội dung thứ nhất.\n"
        "2. Tổ chức thực hiện nghị quyết này trong toàn Đảng bộ, gắn với kiểm tra, giám sát thường xuyên.\n"
        "a) Chi tiết\nNội dung chi tiết.\nII- NHIỆM VỤ\nNội dung nhiệm vụ."
    )
    chunks = chunk_document(_doc(text))
    assert [(c.heading_path, c.text) for c in chunks] == [
        (
            ("I- MỤC TIÊU", "1. Đến năm 2030"),
            "Đoạn nội dung thứ nhất.\n2. Tổ chức thực hiện nghị quyết này trong toàn Đảng bộ, gắn với kiểm tra, giám sát thường xuyên.",
        ),
        (("I- MỤC TIÊU", "1. Đến năm 2030", "a) Chi tiết"), "Nội dung chi tiết."),
        (("II- NHIỆM VỤ",), "Nội dung nhiệm vụ."),
    ]


def test_oversize_paragraph_is_split_on_sentences_with_overlap() -> None:
    sentences = [f"Câu số {i} nói về nhiệm vụ phát triển khoa học công nghệ." for i in range(40)]
    text = "I- NHIỆM VỤ\n" + " ".join(sentences)
    chunks = chunk_document(_doc(text), max_tokens=50, overlap_sentences=1)
    assert len(chunks) > 4
    for chunk in chunks:
        assert chunk.text in text and len(chunk.text.split()) <= 50
        assert chunk.heading_path == ("I- NHIỆM VỤ",)
    for first, second in itertools.pairwise(chunks):
        assert (
            split_sentences(first.text, CLAUSE_MARKS)[-1]
            == split_sentences(second.text, CLAUSE_MARKS)[0]
        )


def test_very_short_document_gives_one_chunk() -> None:
    chunks = chunk_document(_doc("Một câu duy nhất."))
    assert [(c.id, c.text) for c in chunks] == [("d#0", "Một câu duy nhất.")]


def test_article_chunks_follow_its_subheadings() -> None:
    path = PARTY_CORPUS / "01-CTr-TU_2023-04-18_bao-Ha-Noi-Moi_tu-quyet-tam-doi-moi.txt"
    chunks = chunk_document(_load(path))
    assert chunks[0].heading_path == () and chunks[0].text.startswith("Sau hơn hai năm")
    assert any(
        c.heading_path == ("Đề cao trách nhiệm và sự gương mẫu của người đứng đầu",) for c in chunks
    )
    assert all("phát biểu chỉ đạo tại hội nghị sơ kết" not in c.text for c in chunks)
    assert all(c.code == "01-CTr/TU" for c in chunks)


def test_citations_of_a_news_article_say_it_is_an_article() -> None:
    root = ROOT / "knowledge"
    (path,) = [p for p in discover_files(root) if p.name.startswith("01-CTr-TU")]
    chunks = chunk_document(load_file(path, root)[0])
    assert chunks and all(c.code == "01-CTr/TU" for c in chunks)
    assert all(c.title.startswith("Bài báo: Từ quyết tâm đổi mới") for c in chunks)
