"""Generated quiz items over the real Party corpus pass the quality gates a member would notice."""

from __future__ import annotations

import random
import re

import pytest
from conftest import PARTY_CORPUS

from bot.documents import Chunk, DocumentMeta
from bot.ingest.tables import row_fields
from bot.quiz.generate import (
    BLANK,
    WHICH_DOC_QUESTION,
    QuizItem,
    check_item,
    clean_text,
    generate_items,
    normalise_option,
)
from bot.quiz.pool import passages_from_folder


@pytest.fixture(scope="module")
def party() -> tuple[list[Chunk], dict[str, DocumentMeta], list[QuizItem]]:
    chunks, metas = passages_from_folder(PARTY_CORPUS)
    return chunks, metas, generate_items(chunks, metas, seed=7)


def test_many_items_from_the_corpus(party) -> None:
    _chunks, _metas, items = party
    assert len(items) >= 50  # 66 today; the gate test samples 50
    kinds = {it.kind for it in items}
    assert {"percent", "number", "code", "document", "table-body"} <= kinds


def test_sample_of_50_passes_the_gates(party) -> None:
    chunks, _metas, items = party
    by_id = {c.id: c for c in chunks}
    for item in random.Random(50).sample(items, 50):
        passage = by_id[item.chunk_id].text
        assert check_item(item, passage) == [], item
        assert len(item.question) <= 300 and len(item.explanation) <= 200
        assert len(item.options) == 4 and all(len(o) <= 100 for o in item.options)
        assert len({normalise_option(o) for o in item.options}) == 4
        assert item.source_text in passage  # verbatim
        if item.kind == "document":
            assert item.question.startswith(WHICH_DOC_QUESTION)
            assert item.code and item.code in item.answer
        elif item.kind.startswith("table"):
            # Appendix rows: the answer is the row's own cell ("Cơ quan chủ trì", deadline).
            cells = [normalise_option(value) for _, value in row_fields(item.source_text) or []]
            assert normalise_option(item.answer) in cells
        else:
            # Filling the blank gives back the source sentence, word for word.
            stem = item.question.split(": ", 1)[1]
            assert stem.replace(BLANK, item.answer) in clean_text(item.source_text)
        assert "**" not in item.question and "\\-" not in item.question
        if item.kind == "percent":
            assert all(re.fullmatch(r"[\d.,]+%", o) for o in item.options)
        if item.kind == "year":
            assert all(re.fullmatch(r"(19|20)\d\d", o) for o in item.options)


def test_deterministic_for_a_seed(party) -> None:
    chunks, metas, items = party
    again = generate_items(chunks, metas, seed=7)
    assert [(i.id, i.correct) for i in again] == [(i.id, i.correct) for i in items]
    assert len({i.id for i in items}) == len(items)


def test_distractors_are_never_values_from_the_same_passage() -> None:
    text = (
        "Đến năm 2030, kinh tế số đạt tối thiểu 30% GDP; tỷ trọng xuất khẩu sản phẩm công nghệ cao "
        "đạt tối thiểu 50% tổng giá trị hàng hóa xuất khẩu của cả nước."
    )
    others = [
        "Phấn đấu đến năm 2025, tỷ lệ người dân sử dụng dịch vụ công trực tuyến đạt khoảng 40% trở lên.",
        "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt khoảng 25% tổng số doanh nghiệp cả nước.",
        "Phấn đấu đến năm 2035, tỷ lệ hộ gia đình có kết nối cáp quang đạt khoảng 35% trở lên nhé.",
        "Kinh phí chi cho nghiên cứu phát triển đạt 2% GDP, trong đó kinh phí từ xã hội chiếm hơn 60%.",
    ]
    chunks = [Chunk(id="a#0", doc_id="a", position=0, text=text, code="57-NQ/TW")]
    chunks += [
        Chunk(id=f"b#{i}", doc_id="b", position=i, text=t, code="03-NQ/TW")
        for i, t in enumerate(others)
    ]
    metas = {"a": DocumentMeta(code="57-NQ/TW"), "b": DocumentMeta(code="03-NQ/TW")}
    items = [it for it in generate_items(chunks, metas) if it.chunk_id == "a#0"]
    assert items
    for item in items:
        wrong = {o for i, o in enumerate(item.options) if i != item.correct}
        assert not wrong & {"30%", "50%", "2030"}, item.options


def test_gates_catch_bad_items() -> None:
    good = QuizItem(
        id="x",
        question=f"Theo 57-NQ/TW: Kinh tế số đạt tối thiểu {BLANK} GDP.",
        options=("30%", "20%", "40%", "25%"),
        correct=0,
        explanation="Đáp án: 30%. Nguồn: 57-NQ/TW",
        source_text="Kinh tế số đạt tối thiểu 30% GDP.",
        kind="percent",
    )
    assert check_item(good, "Đến năm 2030: Kinh tế số đạt tối thiểu 30% GDP.") == []
    wrong_answer = QuizItem(**{**good.__dict__, "correct": 1})
    assert check_item(wrong_answer)  # 20% is not what the document says
    mixed = QuizItem(**{**good.__dict__, "options": ("30%", "2030", "40%", "25%")})
    assert any("dạng" in p for p in check_item(mixed))
    dupes = QuizItem(**{**good.__dict__, "options": ("30%", "30 %", "40%", "25%")})
    assert any("trùng" in p for p in check_item(dupes))
    long_q = QuizItem(**{**good.__dict__, "question": good.question + " x" * 200})
    assert any("câu hỏi dài" in p for p in check_item(long_q))
    assert check_item(good, "một đoạn khác") != []
