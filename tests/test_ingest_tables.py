"""Tables keep their header: each row a passage reading 'Nhiệm vụ: … · Cơ quan chủ trì: …'."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
from answer_fixtures import hashing_embedder
from conftest import FIXTURES, PARTY_CORPUS

from bot.ingest.loaders import load_file
from bot.ingest.tables import join_continued, make_table, row_fields, table_lines
from bot.knowledge_base import KnowledgeBase
from bot.render import render_passage_html

HEADER = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"]
TASKS = [
    ["1.", "Xây dựng đề án chuyển đổi số ngành giáo dục", "Bộ Giáo dục và Đào tạo", "6/2025"],
    ["2.", "Ban hành quy chế quản lý quỹ đổi mới sáng tạo của thành phố", "Sở Tài chính", "9/2025"],
    ["3.", "Tổ chức hội nghị học tập, quán triệt nghị quyết", "Ban Tuyên giáo Thành ủy", "3/2025"],
]
# On the next page, the header repeated by Word's "repeat header row", and one more task.
TASKS_NEXT_PAGE = [
    [
        "4.",
        "Xây dựng trung tâm dữ liệu dùng chung của thành phố",
        "Sở Thông tin và Truyền thông",
        "12/2026",
    ],
]


def _table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def task_docx() -> bytes:
    """A Thành ủy plan with its document header laid out in a table and a task table on 2 pages."""
    document = docx.Document()
    _table(document, [["THÀNH ỦY HÀ NỘI", "ĐẢNG CỘNG SẢN VIỆT NAM"], ["Số 12-KH/TU", ""]])
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị")
    document.add_heading("I. MỤC ĐÍCH, YÊU CẦU", level=1)
    document.add_paragraph("Các cấp ủy quán triệt sâu sắc nội dung Nghị quyết.")
    document.add_heading("II. NHIỆM VỤ CỤ THỂ", level=1)
    document.add_paragraph("Danh mục nhiệm vụ năm 2025")
    _table(document, [HEADER, *TASKS])
    document.add_paragraph("")
    document.add_page_break()
    _table(document, [HEADER, *TASKS_NEXT_PAGE])
    document.add_paragraph(
        "Các sở, ngành báo cáo kết quả thực hiện trước ngày 15 tháng 12 hằng năm."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _kb_with(make_settings, files: dict[str, bytes | Path]) -> KnowledgeBase:
    settings = make_settings()
    for name, data in files.items():
        target = settings.knowledge_dir / name
        if isinstance(data, Path):
            shutil.copy(data, target)
        else:
            target.write_bytes(data)
    kb = KnowledgeBase(settings, embedder=hashing_embedder())
    kb.rebuild()
    assert kb.load()
    return kb


def _answer_row(kb: KnowledgeBase, question: str):
    """The passage the answer's first quote comes from, and how 'Xem nguyên văn' shows it."""
    answer = kb.ask(question)
    assert answer.found, question
    chunk = kb.passage(answer.quotes[0].chunk_id)
    assert chunk is not None
    return chunk, "\n".join(render_passage_html(chunk))


def test_a_docx_task_row_answers_with_its_headers_under_its_caption(make_settings) -> None:
    kb = _kb_with(make_settings, {"kh-12.docx": task_docx()})
    chunk, shown = _answer_row(
        kb, "Cơ quan nào chủ trì xây dựng đề án chuyển đổi số ngành giáo dục?"
    )
    assert chunk.text == (
        "TT: 1. · Nhiệm vụ: Xây dựng đề án chuyển đổi số ngành giáo dục · "
        "Cơ quan chủ trì: Bộ Giáo dục và Đào tạo · Thời hạn: 6/2025"
    )
    assert chunk.heading_path == ("II. NHIỆM VỤ CỤ THỂ", "Danh mục nhiệm vụ năm 2025")
    assert "Cơ quan chủ trì: Bộ Giáo dục và Đào tạo" in shown
    # The table's second page is the same table: its row carries the same headers and caption.
    chunk, _ = _answer_row(kb, "Thời hạn xây dựng trung tâm dữ liệu dùng chung của thành phố?")
    assert row_fields(chunk.text) == [
        ("TT", "4."),
        ("Nhiệm vụ", "Xây dựng trung tâm dữ liệu dùng chung của thành phố"),
        ("Cơ quan chủ trì", "Sở Thông tin và Truyền thông"),
        ("Thời hạn", "12/2026"),
    ]
    assert chunk.heading_path[-1] == "Danh mục nhiệm vụ năm 2025"


# A plan exported to PDF from Word (tests/fixtures/office/make_tables_pdf.py): its ruled task table
# of 24 rows runs over three pages without repeating its header, row 21 cut by the second break.
TABLE_PDF = FIXTURES / "office" / "kh-15-nhiem-vu.pdf"


def test_a_pdf_task_table_over_three_pages_answers_a_row_with_its_headers(make_settings) -> None:
    kb = _kb_with(make_settings, {"kh-15.pdf": TABLE_PDF})
    chunk, shown = _answer_row(
        kb, "Cơ quan nào chủ trì xây dựng trung tâm điều hành đô thị thông minh?"
    )
    # Row 21 begins at the foot of page 2 and ends ("phố") at the top of page 3.
    assert row_fields(chunk.text) == [
        ("TT", "21."),
        ("Nhiệm vụ", "Xây dựng trung tâm điều hành đô thị thông minh của thành phố"),
        ("Cơ quan chủ trì", "Sở Thông tin và Truyền thông"),
        ("Thời hạn", "12/2026"),
    ]
    assert chunk.heading_path[-1] == "Danh mục nhiệm vụ năm 2025"
    assert "Cơ quan chủ trì: Sở Thông tin và Truyền thông" in shown


def test_a_pdf_table_is_one_table_and_the_text_around_it_stays_in_order(tmp_path: Path) -> None:
    shutil.copy(TABLE_PDF, tmp_path / "kh-15.pdf")
    doc = load_file(tmp_path / "kh-15.pdf", tmp_path)[0]
    lines = doc.text.split("\n")
    rows = [line for line in lines if row_fields(line)]
    # Every row under the one header, numbered 1 to 24 in order: pages 2 and 3 carry it on.
    assert [dict(row_fields(r) or [])["TT"] for r in rows] == [f"{n}." for n in range(1, 25)]
    assert all(dict(row_fields(r) or []).keys() == set(HEADER) for r in rows)
    assert lines.index("Danh mục nhiệm vụ năm 2025") == lines.index(rows[0]) - 1
    assert lines[lines.index(rows[-1]) + 1].startswith("Các sở, ngành báo cáo kết quả")
    # The header row is a header, not text; no cell's words leak out of the table.
    assert "TT Nhiệm vụ" not in doc.text and "phố phố" not in doc.text
    assert doc.meta.code == "15-KH/TU" and "KẾ HOẠCH" in lines


def test_the_docx_header_table_still_gives_the_document_its_header(tmp_path: Path) -> None:
    path = tmp_path / "kh-12.docx"
    path.write_bytes(task_docx())
    doc = load_file(path, tmp_path)[0]
    assert doc.text.split("\n")[0] == "THÀNH ỦY HÀ NỘI | ĐẢNG CỘNG SẢN VIỆT NAM"
    assert doc.meta.code == "12-KH/TU"
    assert "TT: Nhiệm vụ" not in doc.text and "TT: TT" not in doc.text


def test_an_appendix_task_row_answers_with_its_headers(make_settings) -> None:
    [appendix] = PARTY_CORPUS.glob("03-NQ-CP_PhuLuc-II_*.md")
    kb = _kb_with(make_settings, {appendix.name: appendix})
    chunk, shown = _answer_row(kb, "Cơ quan nào chủ trì xây dựng Luật Nhà giáo?")
    fields = dict(row_fields(chunk.text) or [])
    assert fields["TT"] == "22."
    assert fields["Cơ quan chủ trì"] == "Bộ Giáo dục và Đào tạo"
    assert fields["Thời gian hoàn thành"] == "2025"
    assert chunk.heading_path[-1].startswith("II. Khẩn trương, quyết liệt hoàn thiện thể chế")
    assert "Cơ quan chủ trì: Bộ Giáo dục và Đào tạo" in shown


def test_a_table_cut_by_a_page_break_is_joined_with_its_cut_row_made_whole() -> None:
    first = make_table([HEADER, TASKS[0], ["2.", "Ban hành quy chế quản lý", "Sở Tài chính", ""]])
    # The next page starts inside row 2 (no number, no repeated header), then row 3.
    rest = make_table([["", "quỹ đổi mới sáng tạo", "", "9/2025"], TASKS[2]])
    assert first is not None and rest is not None
    [table] = join_continued([first, rest])
    lines, headings = table_lines(table)
    assert headings == []
    assert lines[1] == (
        "TT: 2. · Nhiệm vụ: Ban hành quy chế quản lý quỹ đổi mới sáng tạo · "
        "Cơ quan chủ trì: Sở Tài chính · Thời hạn: 9/2025"
    )
    assert lines[2].startswith("TT: 3. · Nhiệm vụ: Tổ chức hội nghị")


def test_section_rows_become_headings_and_layout_tables_keep_their_cells() -> None:
    table = make_table([HEADER, ["II.", "Hoàn thiện thể chế", "", ""], TASKS[0]])
    assert table is not None
    lines, headings = table_lines(table)
    assert headings == ["II. Hoàn thiện thể chế"] and lines[0] == "II. Hoàn thiện thể chế"
    signature = make_table([["", "T/M BAN THƯỜNG VỤ"], ["Nơi nhận: - Như trên", "BÍ THƯ"]])
    assert signature is not None
    assert table_lines(signature) == (["T/M BAN THƯỜNG VỤ", "Nơi nhận: - Như trên | BÍ THƯ"], [])
