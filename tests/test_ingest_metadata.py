"""Metadata read from the real Party documents' header blocks, the seed article and file names."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PARTY_CORPUS, ROOT

from bot.ingest.loaders import load_file
from bot.ingest.metadata import extract_metadata

# file prefix -> (code, date, doc_type, issuer)
EXPECTED = {
    "57-NQ-TW": ("57-NQ/TW", "2024-12-22", "Nghị quyết", "Bộ Chính trị"),
    "69-KL-TW": ("69-KL/TW", "2024-01-11", "Kết luận", "Bộ Chính trị"),
    "20-NQ-TW": ("20-NQ/TW", "2012-11-01", "Nghị quyết", "Ban Chấp hành Trung ương"),
    "03-NQ-CP_2025": ("03/NQ-CP", "2025-01-09", "Nghị quyết", "Chính phủ"),
    "3260-KH": ("3260-KH/ĐĐQH15", "2025-01-10", "Kế hoạch", "Đảng đoàn Quốc hội"),
    "402-CV": ("402-CV/VPĐU", "2025-05-25", "Công văn", "Văn phòng Đảng ủy Chính phủ"),
    "03-NQ-CP_PhuLuc-I_": ("03/NQ-CP", None, "Nghị quyết", None),
    "03-NQ-CP_PhuLuc-II": ("03/NQ-CP", None, "Nghị quyết", None),
}


def _party(prefix: str):
    [path] = [p for p in PARTY_CORPUS.glob("*.md") if p.name.startswith(prefix)]
    return load_file(path, PARTY_CORPUS)[0]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_party_documents_header_metadata(prefix: str) -> None:
    meta = _party(prefix).meta
    assert (meta.code, meta.date, meta.doc_type, meta.issuer) == EXPECTED[prefix]
    # The letter circulating a draft report for comments is a draft.
    assert meta.source_kind == ("draft" if prefix == "402-CV" else "document")
    assert meta.title


def test_trich_yeu_is_the_title() -> None:
    assert _party("57-NQ-TW").meta.title == (
        "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"
    )
    assert _party("20-NQ-TW").meta.title.startswith("về phát triển khoa học và công nghệ phục vụ")
    assert _party("69-KL-TW").meta.title.startswith("về tiếp tục thực hiện Nghị quyết số 20-NQ/TW")


def test_appendices_name_themselves() -> None:
    assert _party("03-NQ-CP_PhuLuc-I_").meta.title == "Phụ lục I: danh mục các chỉ tiêu cụ thể"
    assert _party("03-NQ-CP_PhuLuc-II").meta.title.startswith("Phụ lục II: danh mục các nhiệm vụ")


@pytest.mark.parametrize(
    "path",
    [
        PARTY_CORPUS / "01-CTr-TU_2023-04-18_bao-Ha-Noi-Moi_tu-quyet-tam-doi-moi.txt",
        *sorted((ROOT / "knowledge").glob("*01-CTr*.txt")),
    ],
)
def test_seed_article_is_about_programme_01(path: Path) -> None:
    meta = load_file(path, path.parent)[0].meta
    assert meta.source_kind == "article"
    assert (meta.code, meta.doc_type, meta.issuer, meta.date) == (
        "01-CTr/TU",
        "Chương trình",
        "Thành ủy Hà Nội",
        "2023-04-18",
    )
    assert meta.title == "Từ quyết tâm đổi mới đến cách làm căn cơ, bài bản"


def test_state_code_header_and_place_date_line() -> None:
    text = "CHÍNH PHỦ\nSố: 03/NQ-CP\nHà Nội, ngày 09 tháng 01 năm 2025\nNGHỊ QUYẾT\nVề việc thử\nĐiều 1. Nội dung."
    meta = extract_metadata(text, "x")
    assert (meta.code, meta.date, meta.doc_type, meta.issuer, meta.title) == (
        "03/NQ-CP",
        "2025-01-09",
        "Nghị quyết",
        "Chính phủ",
        "Về việc thử",
    )


def test_file_name_fills_what_the_text_lacks() -> None:
    meta = extract_metadata(
        "Nội dung không có phần đầu.", "nq/57-NQ-TW_2024-12-22_BoChinhTri_dot-pha"
    )
    assert (meta.code, meta.date, meta.doc_type) == ("57-NQ/TW", "2024-12-22", "Nghị quyết")


def test_city_committee_header() -> None:
    text = (
        "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI\nTHÀNH ỦY HÀ NỘI\nSố 01-CTr/TU\nHà Nội, ngày 17 tháng 3 năm 2021\n"
        "CHƯƠNG TRÌNH\ncông tác của Thành ủy\nI- MỤC TIÊU"
    )
    meta = extract_metadata(text, "ct01")
    assert (meta.code, meta.doc_type, meta.issuer, meta.date) == (
        "01-CTr/TU",
        "Chương trình",
        "Thành ủy Hà Nội",
        "2021-03-17",
    )


def test_plan_title_missing_its_first_word_is_completed_from_the_body() -> None:
    # The transcription reads "khai thực hiện…"; the body says "Kế hoạch triển khai thực hiện…".
    title = _party("3260-KH").meta.title
    assert title.startswith("triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024")
    assert title.endswith("chuyển đổi số quốc gia")


WARD_PLAN = (
    "ĐẢNG BỘ QUẬN BA ĐÌNH\nĐẢNG ỦY PHƯỜNG KIM MÃ\n*\nSố 12-KH/ĐU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
    "Kim Mã, ngày 15 tháng 3 năm 2025\nKẾ HOẠCH\n"
    "thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị\n"
    "về đột phá phát triển khoa học, công nghệ\n"
    "Thực hiện Kế hoạch số 25-KH/QU ngày 01/3/2025 của Ban Thường vụ Quận ủy Ba Đình, "
    "Đảng ủy phường xây dựng kế hoạch thực hiện như sau:\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Quán triệt sâu sắc nội dung Nghị quyết đến toàn thể đảng viên."
)


def test_ward_plan_header_title_stops_before_the_body_and_issuer_keeps_its_capitals() -> None:
    meta = extract_metadata(WARD_PLAN, "kh-12")
    assert (meta.code, meta.doc_type, meta.date) == ("12-KH/ĐU", "Kế hoạch", "2025-03-15")
    assert meta.issuer == "Đảng ủy phường Kim Mã"
    assert meta.title == (
        "thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, công nghệ"
    )


@pytest.mark.parametrize(
    ("line", "issuer"),
    [
        ("HUYỆN ỦY GIA LÂM", "Huyện ủy Gia Lâm"),
        ("ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", "Đảng bộ thành phố Hải Phòng"),
        ("ĐẢNG ỦY XÃ ĐÔNG ANH", "Đảng ủy xã Đông Anh"),
    ],
)
def test_local_committees_keep_their_place_names(line: str, issuer: str) -> None:
    text = f"{line}\nSố 3-NQ/ĐU\nngày 2 tháng 2 năm 2025\nNGHỊ QUYẾT\nvề công tác năm 2025"
    assert extract_metadata(text, "x").issuer == issuer


def test_an_all_caps_title_is_not_mistaken_for_an_issuer() -> None:
    text = (
        "ĐẢNG ỦY PHƯỜNG KIM MÃ\nSố 12-KH/ĐU\nKẾ HOẠCH\nTHỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW\n"
        "Để triển khai nghị quyết, Đảng ủy ban hành kế hoạch."
    )
    assert extract_metadata(text, "x").title == "thực hiện Nghị quyết số 57-NQ/TW"


@pytest.mark.parametrize(
    "header",
    [
        "ĐẢNG ỦY PHƯỜNG KIM MÃ\nDỰ THẢO\nSố 12-KH/ĐU\nKẾ HOẠCH\nvề công tác",
        "BAN TUYÊN GIÁO\nSố 5-CV/BTG\nV/v xin ý kiến dự thảo kế hoạch năm 2025\nKính gửi: các chi bộ",
    ],
)
def test_drafts_are_marked(header: str) -> None:
    assert extract_metadata(header, "x").source_kind == "draft"


def test_a_resolution_mentioning_a_draft_later_is_not_one() -> None:
    text = WARD_PLAN + "\nCác chi bộ góp ý vào dự thảo văn kiện Đại hội."
    assert extract_metadata(text, "x").source_kind == "document"
