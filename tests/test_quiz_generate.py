"""Generated quiz items over the real Party corpus pass the quality gates a member would notice."""

from __future__ import annotations

import random
import re

import pytest
from conftest import PARTY_CORPUS

from bot.documents import Chunk, DocumentMeta
from bot.ingest.tables import row_fields
from bot.quiz.checks import check_item
from bot.quiz.generate import generate_items
from bot.quiz.items import BLANK, QuizItem, clean_text, normalise_option
from bot.quiz.kinds.which_document import WHICH_DOC_QUESTION
from bot.quiz.pool import passages_from_folder


@pytest.fixture(scope="module")
def party() -> tuple[list[Chunk], dict[str, DocumentMeta], list[QuizItem]]:
    chunks, metas = passages_from_folder(PARTY_CORPUS)
    return chunks, metas, generate_items(chunks, metas, seed=7)


def test_items_from_the_documents_members_must_know(party) -> None:
    _chunks, metas, items = party
    assert len(items) >= 30
    kinds = {it.kind for it in items}
    assert {"fact-date", "fact-title", "fact-issuer", "document", "table-body"} <= kinds
    # "Nội dung … thuộc nhóm nhiệm vụ nào?" asked where a sentence sits, not what it says.
    assert "task-of" not in kinds
    # Nothing from the draft report 402-CV, at most two items from the news article.
    assert not [it for it in items if it.code and it.code.startswith("402-")]
    assert not [it for it in items if "dự thảo" in it.question.lower()]
    assert len([it for it in items if metas[it.doc_id].source_kind == "article"]) <= 2


def test_sample_passes_the_gates(party) -> None:
    chunks, _metas, items = party
    by_id = {c.id: c for c in chunks}
    for item in random.Random(50).sample(items, 30):
        passage = by_id[item.chunk_id].text
        whole = item.kind.startswith(("fact-", "task-group"))  # about the document, not a passage
        problems = check_item(item, None if whole else passage)
        assert problems == [], (item, problems)
        assert len(item.question) <= 300 and len(item.explanation) <= 200
        assert len(item.options) == 4 and all(len(o) <= 100 for o in item.options)
        assert len({normalise_option(o) for o in item.options}) == 4
        if not item.kind.startswith(("fact-", "task-group")):
            assert item.source_text in passage  # verbatim
        if item.kind == "document":
            assert item.question.startswith(WHICH_DOC_QUESTION)
            assert item.code and item.code in item.answer
        elif item.kind.startswith("table"):
            # Appendix rows: the answer is the row's own cell ("Cơ quan chủ trì").
            values = [value for _, value in row_fields(item.source_text) or []]
            cells = [normalise_option(c).lstrip("≥>=") for c in values]
            assert normalise_option(item.answer).rstrip("%") in [c.rstrip("%") for c in cells]
        elif BLANK in item.question:
            # Filling the blank gives back the source sentence, word for word.
            stem = item.question.split(": ", 1)[1]
            assert stem.replace(BLANK, item.answer) in clean_text(item.source_text)
        assert "**" not in item.question and "\\-" not in item.question
        if item.kind == "percent":
            assert all(re.fullmatch(r"[\d.,]+%", o) for o in item.options)


def test_no_arithmetic_pattern_in_number_options(party) -> None:
    _chunks, _metas, items = party
    for item in items:
        if item.kind not in ("percent", "number"):
            continue
        value = float(normalise_option(item.answer).rstrip("%").replace(",", ".") or 0)
        others = [
            float(normalise_option(o).rstrip("%").replace(",", ".") or 0)
            for i, o in enumerate(item.options)
            if i != item.correct
        ]
        for other in others:
            assert other not in (value * 2, value / 2, value * 1.5), item.options


def test_renamed_bodies_are_asked_as_the_document_names_them(party) -> None:
    _chunks, _metas, items = party
    renamed = [it for it in items if "Bộ Thông tin và Truyền thông" in " ".join(it.options)]
    assert renamed
    assert all("tại thời điểm ban hành" in it.question.lower() for it in renamed)


def test_task_groups_are_quoted_from_the_document(party) -> None:
    chunks, _metas, items = party
    asked = [it for it in items if it.kind == "task-group-not"]
    assert asked
    for item in asked:
        # The three true options start one of the document's own task headings; the key not.
        doc_headings = {
            clean_text(h) for c in chunks if c.doc_id == item.doc_id for h in c.heading_path
        }
        for i, option in enumerate(item.options):
            start = option.rstrip("…")
            assert any(start in h for h in doc_headings) == (i != item.correct), option


def test_document_dates_are_never_the_odd_one_out(party) -> None:
    _chunks, _metas, items = party
    dated = [it for it in items if it.kind == "fact-date"]
    assert len(dated) >= 4
    for item in dated:
        day, month, year = item.answer.split("/")
        others = [o.split("/") for i, o in enumerate(item.options) if i != item.correct]
        # "22/12/2024" among three January dates would be picked without reading.
        assert any(o[0] == day for o in others) and any(o[1] == month for o in others)
        assert all(o[2] == year for o in others)
        assert "ban hành ngày nào" in item.question and " của " not in item.question


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
    goal = ("II- MỤC TIÊU",)
    chunks = [
        Chunk(id="a#0", doc_id="a", position=0, text=text, code="57-NQ/TW", heading_path=goal)
    ]
    chunks += [
        Chunk(id=f"b#{i}", doc_id="b", position=i, text=t, code="03-NQ/TW", heading_path=goal)
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
