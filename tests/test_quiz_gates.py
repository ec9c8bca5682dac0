"""The bank's gates: what lets a member pick the key without reading is left out, with a reason."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DEFAULT_LIBRARY, PARTY_CORPUS

from bot.quiz.checks import gate_bank, guess_problems
from bot.quiz.items import QuizItem


def _item(question: str, options: list[str], source: str = "", **kw) -> QuizItem:
    return QuizItem(
        id=str(abs(hash((question, tuple(options))))),
        question=question,
        options=tuple(options),
        correct=0,
        explanation="Đáp án.",
        code="57-NQ/TW",
        source_text=source,
        kind=kw.pop("kind", "curated"),
        origin=kw.pop("origin", "curated"),
        **kw,
    )


def test_a_key_that_alone_echoes_the_stem_is_left_out() -> None:
    echo = _item(
        "Theo Nghị quyết 57-NQ/TW, cùng với các trung tâm dữ liệu vùng, cần sớm hoàn thành trung "
        "tâm nào?",
        [
            "Trung tâm dữ liệu quốc gia",
            "Trung tâm Đổi mới sáng tạo Quốc gia",
            "Trung tâm an ninh mạng quốc gia",
            "Trung tâm giám sát điều hành thông minh",
        ],
    )
    assert any("lặp từ" in p for p in guess_problems(echo))
    # The same words in a false option too: the echo no longer points at the key.
    fair = replace(echo, options=(*echo.options[:3], "Trung tâm dữ liệu vùng trọng điểm"))
    assert not guess_problems(fair)


def test_a_key_longer_by_far_is_left_out() -> None:
    long_key = _item(
        "Theo Nghị quyết 03/NQ-CP, Danh mục Công nghệ chiến lược được ban hành bằng văn bản nào?",
        [
            "Quyết định của Thủ tướng Chính phủ",
            "Nghị định của Chính phủ",
            "Nghị quyết của Quốc hội",
            "Thông tư của Bộ trưởng",
        ],
    )
    assert any("dài hơn hẳn" in p for p in guess_problems(long_key))
    balanced = replace(
        long_key,
        options=(
            "Quyết định của Thủ tướng Chính phủ",
            "Nghị quyết của Ủy ban Thường vụ Quốc hội",
            "Nghị định của Chính phủ",
            "Thông tư của Bộ Khoa học và Công nghệ",
        ),
    )
    assert not guess_problems(balanced)


@pytest.mark.parametrize(
    "options",
    [
        ["Trên 80%", "Phần lớn", "Gần hết", "Một nửa"],  # the only number
        ["“Học tập số”", "Công dân số", "Xã hội học tập", "Văn hoá số"],  # the only quotation
    ],
)
def test_a_key_of_its_own_form_is_left_out(options: list[str]) -> None:
    item = _item("Theo Nghị quyết 57-NQ/TW, mục tiêu là gì?", options)
    assert any("khác dạng" in p for p in guess_problems(item))


def test_renamed_bodies_are_asked_as_the_document_names_them() -> None:
    item = _item(
        "Theo Nghị quyết 03/NQ-CP, những bộ nào theo dõi, đôn đốc Chương trình hành động?",
        [
            "Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông",
            "Bộ Khoa học và Công nghệ, Văn phòng Chính phủ",
            "Bộ Công Thương, Bộ Giáo dục và Đào tạo",
            "Bộ Tài chính, Bộ Giáo dục và Đào tạo",
        ],
    )
    assert any("theo văn bản" in p for p in guess_problems(item))
    said = replace(item, question=item.question.replace("Theo ", "Theo văn bản ", 1))
    assert not guess_problems(said)
    as_issued = item.question.replace(
        "03/NQ-CP,", "03/NQ-CP ngày 09/01/2025 (tại thời điểm ban hành),"
    )
    assert not guess_problems(replace(item, question=as_issued))


def test_the_citation_of_the_issuer_is_not_an_echo_of_the_key() -> None:
    # "… ngày 09/01/2025 của Chính phủ" names the issuer; the key "Văn phòng Chính phủ" is no echo.
    item = _item(
        "Theo Nghị quyết 03/NQ-CP ngày 09/01/2025 của Chính phủ, cơ quan nào chủ trì xây dựng "
        "Nghị quyết về dịch vụ công không phụ thuộc địa giới hành chính?",
        ["Văn phòng Chính phủ", "Bộ Khoa học và Công nghệ", "Bộ Tư pháp", "Bộ Công an"],
    )
    assert not guess_problems(item)
    echo = replace(item, question=item.question.replace("ngày 09/01/2025 ", ""))
    assert any("lặp từ" in p for p in guess_problems(echo))


RESOLUTION = (
    "Thể chế, nhân lực, hạ tầng, dữ liệu và công nghệ chiến lược là những nội dung trọng tâm, cốt "
    "lõi, trong đó thể chế là điều kiện tiên quyết, cần hoàn thiện và đi trước một bước."
)


def test_one_item_per_source_sentence_curated_first() -> None:
    first = _item(
        "Theo Nghị quyết 57-NQ/TW, nội dung nào là điều kiện tiên quyết?",
        ["Thể chế", "Nhân lực", "Hạ tầng", "Dữ liệu"],
        RESOLUTION,
    )
    # The same sentence asked again (here as a plan repeats its resolution word for word).
    again = _item(
        "Theo Kế hoạch 3260-KH/ĐĐQH15, nội dung trọng tâm, cốt lõi thứ năm là gì?",
        ["Công nghệ chiến lược", "Hợp tác quốc tế", "Tài chính công", "Thị trường công nghệ"],
        "Đổi mới tư duy. " + RESOLUTION,
        origin="generated",
        kind="document",
    )
    # Another sentence on the same subject is another item.
    other = _item(
        "Theo Nghị quyết 57-NQ/TW, chủ thể nào là “nhân tố then chốt”?",
        ["Nhà khoa học", "Doanh nghiệp", "Người dân", "Nhà nước"],
        "nhà khoa học là nhân tố then chốt",
    )
    kept, problems = gate_bank([first, again, other])
    assert kept == [first, other]
    assert len(problems) == 1 and "cùng câu nguồn" in problems[0]
    assert "nội dung nào là điều kiện tiên quy" in problems[0]


def test_the_default_library_bank_passes_every_gate(make_settings) -> None:
    from bot.quiz.pool import quiz_items

    settings = replace(make_settings(), knowledge_dir=DEFAULT_LIBRARY, index_dir=Path("/none"))
    items, problems = quiz_items(settings)
    assert len(items) >= 200
    # Every curated item passes; only generated ones may be left out (and say why).
    from bot.quiz.bank import load_banks

    written, _ = load_banks(DEFAULT_LIBRARY / "quiz")
    assert len(written) >= 200
    # Only written items are served: a document's date, issuer or title is not a main idea.
    assert all(it.origin == "curated" for it in items)
    assert [it.id for it in items if it.origin == "curated"] == [w.id for w in written]
    assert all(p.startswith("Loại câu") for p in problems)
    for item in items:
        assert item.source_text and item.code and item.explanation
        assert not guess_problems(item), item.question
    assert len({it.id for it in items}) == len(items)


def test_a_document_without_written_items_still_gets_its_facts(make_settings, tmp_path) -> None:
    # An admin adds a document nobody has written questions for yet: /quiz still has its facts.
    from bot.quiz.pool import quiz_items

    shutil.copy(PARTY_CORPUS / "57-NQ-TW_2024-12-22_BoChinhTri_dot-pha-KHCN-DMST-CDS.md", tmp_path)
    settings = replace(make_settings(), knowledge_dir=tmp_path, index_dir=Path("/none"))
    items, _ = quiz_items(settings)
    assert items and all(it.kind.startswith("fact-") and it.code == "57-NQ/TW" for it in items)
