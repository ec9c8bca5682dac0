"""Document codes: the VIETNAMESE.md must-match / must-not-match / loose question lists."""

from __future__ import annotations

import unicodedata

import pytest

from bot.text.codes import DocCode, find_codes, find_question_codes, find_state_codes

MUST_MATCH = [
    ("Số 01-CTr/TU", "01-CTr/TU"),
    ("15-NQ/TW", "15-NQ/TW"),
    ("04-NQ/TU", "04-NQ/TU"),
    ("11-ĐA/TU", "11-ĐA/TU"),
    ("66-QĐ/TW", "66-QĐ/TW"),
    ("08-QĐi/TW", "08-QĐi/TW"),
    ("94-KH/BTGDVTW", "94-KH/BTGDVTW"),
    ("73-KH/ĐUQH", "73-KH/ĐUQH"),
    ("Số: 11-HD/VPTW", "11-HD/VPTW"),
    ("15-NQ/TƯ", "15-NQ/TW"),
    ("01-ctr/tu", "01-CTr/TU"),
    ("15- Nq/tw", "15-NQ/TW"),
    ("15 – NQ/TW", "15-NQ/TW"),
    ("72-NQ-TW", "72-NQ/TW"),
    ("15-NQ / TW", "15-NQ/TW"),
    ("số31-QĐ/TW", "31-QĐ/TW"),
    ("Số 57\\-NQ/TW", "57-NQ/TW"),
    ("15\u2011NQ/TW", "15-NQ/TW"),
    ("3260-KH/ĐĐQH15", "3260-KH/ĐĐQH15"),
    ("08-qđi/tw", "08-QĐi/TW"),
]
MUST_NOT_MATCH = [
    "30/2020/NĐ-CP",
    "4525/QĐ-UBND",
    "2025 - 2030",
    "05/5/2022",
    "CNH-HĐH",
    "Điều 15-16",
    "2- Đa dạng hóa các hình thức",
    "đến năm 2030, tầm nhìn đến năm 2045",
]
STATE = [
    ("Số: 03/NQ-CP", "03/NQ-CP"),
    ("Tờ trình số 04/TTr-BKHCN-BTTTT ngày 02", "04/TTr-BKHCN-BTTTT"),
    ("Nghị định số 30/2020/NĐ-CP", "30/2020/NĐ-CP"),
    ("4525/QĐ-UBND", "4525/QĐ-UBND"),
    ("Quyết định 598/QĐ-TTg", "598/QĐ-TTg"),
    ("nghị quyết 03/nq-cp", "03/NQ-CP"),
]
QUESTIONS = [
    ("chuong trinh 01 thanh uy", "01-CTr/TU"),
    ("nghị quyết số 15 của Bộ Chính trị", "15-NQ/TW"),
    ("15 nq tw", "15-NQ/TW"),
    ("QD 66", "66-QĐ"),
    ("kết luận 69", "69-KL"),
    ("kl 69 gắn với nq nào?", "69-KL"),
    ("NQ 57", "57-NQ"),
    ("nq57", "57-NQ"),
    ("nghi quyet 57 muc tieu 2030", "57-NQ"),
    ("ctr 01 thành ủy hn: huyện thanh trì", "01-CTr/TU"),
    ("KH 3260 giao Tổ đảng", "3260-KH"),
    ("nq 03 của cp có hiệu lực từ khi nào?", "03/NQ-CP"),
    ("Nghị quyết 03/NQ-CP được ban hành", "03/NQ-CP"),
    ("quy định 08 của Ban Bí thư", "08-QĐi/TW"),
    ("KL 69-KL/TW giao Ban cán sự đảng", "69-KL/TW"),
    ("Nghị quyết 15-NQ/TƯ", "15-NQ/TW"),
    ("nghị quyết 57/NQ-TW nói gì", "57-NQ/TW"),
    ("Nghị quyết số 57 năm 2024 của Bộ Chính trị", "57-NQ/TW"),
    ("chỉ thị 05 của bộ chính trị", "05-CT/TW"),
    ("nghị quyết 57 ngày 22 tháng 12 năm 2024 của Bộ Chính trị", "57-NQ/TW"),
    ("kế hoạch 3260 ngày 10/01/2025", "3260-KH"),
    ("nghị quyết 57 ban hành năm nào?", "57-NQ"),
    ("ket luan 69 ban hanh nam nao", "69-KL"),
    ("Nghị quyết 57 phân công ai chủ trì?", "57-NQ"),
]
NO_CODE_QUESTIONS = [
    "đến năm 2030 phải thành lập bao nhiêu cơ sở?",
    "năm 2045 Việt Nam trở thành nước gì?",
    "Bo GD&DT da chon nhung don vi nao?",
    "chương trình 2030 có gì?",
    "theo quy định 2 năm một lần",
    "kế hoạch 5 năm của thành phố",
    "báo cáo 6 tháng đầu năm",
    "tăng 30% so với kế hoạch",
    "kế hoạch 5 ban chỉ đạo của thành phố",
    "Thanh uy Ha Noi la don vi dau tien thanh lap ban chi dao gi?",
]


@pytest.mark.parametrize(("text", "expected"), MUST_MATCH)
def test_party_codes_in_the_wild_are_recognised(text: str, expected: str) -> None:
    assert [str(c) for c in find_codes(text)] == [expected]


@pytest.mark.parametrize(("text", "expected"), MUST_MATCH)
def test_party_codes_in_decomposed_text(text: str, expected: str) -> None:
    assert [str(c) for c in find_codes(unicodedata.normalize("NFD", text))] == [expected]


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_not_party_codes(text: str) -> None:
    assert find_codes(text) == []


@pytest.mark.parametrize(("text", "expected"), STATE)
def test_state_codes(text: str, expected: str) -> None:
    codes = find_state_codes(text)
    assert [str(c) for c in codes] == [expected]
    assert codes[0].style == "state"


def test_state_code_fields() -> None:
    (code,) = find_state_codes("30/2020/NĐ-CP")
    assert (code.number, code.year, code.doc_type, code.issuer) == ("30", "2020", "NĐ", "CP")
    assert find_state_codes("57-NQ/TW") == []


def test_codes_keep_order_without_repeats() -> None:
    text = "Nghị quyết 57-NQ/TW, Kết luận 69-KL/TW và lại 57-NQ/TW"
    assert [str(c) for c in find_codes(text)] == ["57-NQ/TW", "69-KL/TW"]


def test_file_name_style_state_code_is_state() -> None:
    (code,) = find_codes("03-NQ-CP_2025-01-09_ChinhPhu")
    assert code.style == "state"
    assert str(code) == "03/NQ-CP"


@pytest.mark.parametrize(("question", "expected"), QUESTIONS)
def test_loose_question_forms(question: str, expected: str) -> None:
    assert expected in [str(c) for c in find_question_codes(question)]


@pytest.mark.parametrize(("question", "expected"), QUESTIONS)
def test_loose_question_forms_without_diacritics(question: str, expected: str) -> None:
    from bot.text.normalize import fold

    found = find_question_codes(fold(question))
    target = find_question_codes(question)
    assert [(c.number, c.doc_type.lower()) for c in found] == [
        (c.number, c.doc_type.lower()) for c in target
    ]
    if "TƯ" not in question:  # folded "tu" can only mean Thành ủy
        assert any(str(c) == expected or expected.startswith(str(c)) for c in found)


@pytest.mark.parametrize("question", NO_CODE_QUESTIONS)
def test_questions_without_codes(question: str) -> None:
    assert find_question_codes(question) == []


def test_loose_state_code_has_state_style() -> None:
    (code,) = find_question_codes("nq 03 của cp")
    assert (code.style, code.issuer) == ("state", "CP")


def test_matches_is_loose_on_zeros_and_missing_issuer() -> None:
    doc = DocCode("01", "CTr", "TU")
    assert DocCode("1", "CTr", None).matches(doc)
    assert DocCode("01", "ctr", "TU").matches(doc)
    assert not DocCode("01", "CTr", "TW").matches(doc)
    assert not DocCode("02", "CTr", None).matches(doc)
    (q,) = find_question_codes("nghi quyet 57")
    assert q.matches(DocCode("57", "NQ", "TW"))
    assert not q.matches(DocCode("57", "KL", "TW"))


def test_each_party_corpus_file_names_its_own_code() -> None:
    from conftest import PARTY_CORPUS

    files = [
        p
        for p in sorted(PARTY_CORPUS.glob("*.*"))
        if p.name[0].isdigit() and "PhuLuc" not in p.name
    ]
    # (annexes are excluded: their header leaves the number blank, "Nghị quyết số  /NQ-CP")
    assert files
    for path in files:
        number, doc_type = path.name.split("_")[0].split("-")[:2]
        text = path.read_text(encoding="utf-8")
        found = find_codes(text) + find_state_codes(text)
        assert any(c.number == number and c.doc_type == doc_type for c in found), path.name
