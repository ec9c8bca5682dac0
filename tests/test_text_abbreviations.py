"""Abbreviation expansion for indexing and questions (VIETNAMESE.md §4)."""

from __future__ import annotations

import pytest

from bot.text.abbreviations import abbreviation_terms, expand_abbreviations
from bot.text.codes import find_codes
from bot.text.tokens import lexical_tokens

EXPANDS = [
    ("BCH", "Ban Chấp hành"),
    ("BCHTW", "Ban Chấp hành Trung ương"),
    ("BTV", "Ban Thường vụ"),
    ("BCT", "Bộ Chính trị"),
    ("BBT", "Ban Bí thư"),
    ("UBKT", "Ủy ban Kiểm tra"),
    ("HĐND", "Hội đồng nhân dân"),
    ("UBND", "Ủy ban nhân dân"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("CNH-HĐH", "công nghiệp hóa, hiện đại hóa"),
    ("CBĐV", "cán bộ, đảng viên"),
    ("HTCT", "hệ thống chính trị"),
    ("KT-XH", "kinh tế - xã hội"),
    ("QP-AN", "quốc phòng, an ninh"),
    ("TCCSĐ", "tổ chức cơ sở đảng"),
    ("XHCN", "xã hội chủ nghĩa"),
    ("KH&CN", "khoa học và công nghệ"),
    ("KHCN", "khoa học và công nghệ"),
    ("ĐMST", "đổi mới sáng tạo"),
    ("CĐS", "chuyển đổi số"),
    ("TT&TT", "Thông tin và Truyền thông"),
    ("BKHCN", "Bộ Khoa học và Công nghệ"),
    ("DNNN", "doanh nghiệp nhà nước"),
    ("AI", "trí tuệ nhân tạo"),
    ("KH,CN,ĐMST", "khoa học, công nghệ, đổi mới sáng tạo"),
    ("TƯ", "Trung ương"),
    ("TU", "Thành ủy"),
    # typed without diacritics / in lower case on a phone
    ("kh&cn", "khoa học và công nghệ"),
    ("cds", "chuyển đổi số"),
    ("dmst", "đổi mới sáng tạo"),
    ("ubnd", "Ủy ban nhân dân"),
    ("nq", "nghị quyết"),
]


@pytest.mark.parametrize(("abbr", "expansion"), EXPANDS)
def test_abbreviation_is_followed_by_its_expansion(abbr: str, expansion: str) -> None:
    out = expand_abbreviations(f"về {abbr} năm nay")
    assert out.startswith(f"về {abbr} (")
    assert expansion in out


@pytest.mark.parametrize(
    "text",
    [
        "ai chủ trì làm quy chế?",  # "ai" = who
        "nghi quyet 57 ap dung tu nam 2020",  # "tu" = từ
        "Bo nay da chon",  # "da" = đã
        "PHÁT TRIỂN ĐA DẠNG",  # all-caps word, not "đề án"
        "Số 57-NQ/TW và 598/QĐ-TTg",  # codes stay intact
        "khoa vi sinh",
    ],
)
def test_words_and_codes_are_not_taken_for_abbreviations(text: str) -> None:
    assert expand_abbreviations(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ban Chấp hành Trung ương khóa XIII", "khóa XIII (khóa 13)"),
        ("khoá XI", "khóa XI (khóa 11)"),
        ("hội nghị tw 8 khóa xiii?", "khóa xiii (khóa 13)?"),
        ("Đại hội XIII của Đảng", "Đại hội XIII (Đại hội 13)"),
        ("Hội nghị lần thứ tám", "lần thứ tám (lần thứ 8)"),
        ("Đại hội lần thứ XIII.", "lần thứ XIII (lần thứ 13)."),
    ],
)
def test_roman_and_word_ordinals_get_arabic_numbers(text: str, expected: str) -> None:
    assert expected in expand_abbreviations(text)


@pytest.mark.parametrize(
    "text",
    ["BCH TW khóa XIII về CĐS, KH&CN", "lần thứ tám khoá XI", "Quốc hội Khóa XV (kỳ họp 9)"],
)
def test_expansion_is_idempotent(text: str) -> None:
    once = expand_abbreviations(text)
    assert expand_abbreviations(once) == once


def test_expansion_keeps_codes_findable() -> None:
    text = "Nghị quyết 57-NQ/TW của BCT về KH&CN, ĐMST và CĐS"
    assert [str(c) for c in find_codes(expand_abbreviations(text))] == ["57-NQ/TW"]


def test_question_and_passage_share_terms_after_expansion() -> None:
    passage = expand_abbreviations("đẩy mạnh chuyển đổi số trong các cơ quan")
    question = expand_abbreviations("cds trong co quan")
    shared = set(lexical_tokens(passage, folded=True)) & set(lexical_tokens(question, folded=True))
    assert "chuyen_doi" in shared
    assert "doi_so" in shared


def test_abbreviation_terms_lists_expansions_once() -> None:
    terms = abbreviation_terms("BCH TW về CĐS, CĐS và KH&CN")
    assert terms == ["Ban Chấp hành", "Trung ương", "chuyển đổi số", "khoa học và công nghệ"]
