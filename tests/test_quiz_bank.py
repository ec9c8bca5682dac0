"""Curated banks: admins' mistakes are reported with the file and item; good banks are used first."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from conftest import DEFAULT_LIBRARY, PARTY_CORPUS

from bot.quiz.bank import BankError, dump_bank, load_banks, merge_items, parse_bank
from bot.quiz.items import QuizItem, clean_text
from bot.text.normalize import fold

GOOD = """
- question: "Nghị quyết 57-NQ/TW do cơ quan nào ban hành?"
  options: ["Bộ Chính trị", "Ban Bí thư", "Quốc hội", "Chính phủ"]
  correct: "Bộ Chính trị"
  explanation: "57-NQ/TW là Nghị quyết của Bộ Chính trị."
  source: 57-NQ/TW
"""

BAD = """
- question: "Câu đúng"
  options: ["a", "b", "c", "d"]
  correct: 0
  source: 57-NQ/TW
- question: "Thiếu phương án"
  options: ["a", "b", "c"]
  correct: 0
  source: 57-NQ/TW
- question: "Đáp án lạ"
  options: ["a", "b", "c", "d"]
  correct: "e"
  source: 57-NQ/TW
- question: "Trùng phương án"
  options: ["Bộ Chính trị", "bộ chính trị", "c", "d"]
  correct: 0
  source: 57-NQ/TW
- options: ["a", "b", "c", "d"]
  correct: 9
"""


def test_good_bank_parses_with_correct_answer_by_text() -> None:
    [item] = parse_bank(GOOD, "tot.yaml")
    assert item.answer == "Bộ Chính trị"
    assert set(item.options) == {"Bộ Chính trị", "Ban Bí thư", "Quốc hội", "Chính phủ"}
    assert item.origin == "curated" and item.code == "57-NQ/TW"


def test_the_right_answer_is_not_always_first() -> None:
    # Authors write the right answer first; the poll order must not give it away.
    bank = "\n".join(
        f'- {{question: "Câu hỏi số {n}?", options: [a, b, c, d], correct: 0, source: 57-NQ/TW}}'
        for n in range(40)
    )
    items = parse_bank(bank, "x.yaml")
    positions = [item.correct for item in items]
    # each letter is the answer equally often (a guesser's "always A" wins a quarter), …
    assert [positions.count(p) for p in range(4)] == [10, 10, 10, 10]
    # … not in a cycle a member could follow through a series, and the answer stays right
    assert positions[:8] not in ([0, 1, 2, 3] * 2, [3, 2, 1, 0] * 2)
    assert all(item.answer == "a" for item in items)


def test_errors_name_file_and_item_in_vietnamese() -> None:
    with pytest.raises(BankError) as caught:
        parse_bank(BAD, "loi.yaml")
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0].startswith("loi.yaml, câu 2:") and "4 phương án" in problems[0]
    assert problems[1].startswith("loi.yaml, câu 3:") and "“e”" in problems[1]
    assert problems[2].startswith("loi.yaml, câu 4:") and "trùng" in problems[2]
    assert problems[3].startswith("loi.yaml, câu 5:") and "thiếu question" in problems[3]


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(BankError, match=r"hong\.yaml: không đọc được YAML \(dòng \d+\)"):
        parse_bank("- question: [a\n  options: x", "hong.yaml")


def test_a_bad_item_costs_only_itself_and_is_reported(tmp_path: Path) -> None:
    (tmp_path / "tot.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "loi.yml").write_text(BAD, encoding="utf-8")
    (tmp_path / "hong.yaml").write_text("- question: [a\n  options: x", encoding="utf-8")
    items, problems = load_banks(tmp_path)
    # loi.yml's one good item stays; its four bad ones and the unreadable file are listed
    assert sorted(i.question for i in items) == [
        "Câu đúng",
        "Nghị quyết 57-NQ/TW do cơ quan nào ban hành?",
    ]
    assert len([p for p in problems if p.startswith("loi.yml, câu")]) == 4
    assert [p for p in problems if p.startswith("hong.yaml")] != []


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\\-", "-"))
    text = re.sub(r"[“”\"]", '"', clean_text(text))
    return re.sub(r"\s+", " ", fold(text))


def test_curated_bank_in_the_repository_quotes_its_documents() -> None:
    items, problems = load_banks(DEFAULT_LIBRARY / "quiz")
    assert problems == []
    assert len(items) >= 180
    docs = {p.stem: _folded(p.read_text(encoding="utf-8")) for p in PARTY_CORPUS.iterdir()}
    for item in items:
        # Each curated item names a document of the library and quotes it word for word.
        assert item.doc_id in docs, item.question
        assert _folded(item.source_text) in docs[item.doc_id], item.question
        if item.kind == "which-document":
            # "Văn bản nào nêu…?": the document is the answer, never named in the question.
            assert item.code and item.code in item.answer and item.code not in item.question
        else:
            assert item.code and item.code in item.question, item.question
        answer = re.escape(item.answer.lower().strip("“”"))
        assert not re.search(rf"(?<!\w){answer}(?!\w)", item.question.lower()), item.question
    # No trivia from the news article: the bank is about the resolutions themselves.
    assert not [i for i in items if i.code == "01-CTr/TU"]


def test_curated_items_come_first_and_export_round_trips() -> None:
    [curated] = parse_bank(GOOD, "tot.yaml")
    generated = QuizItem(
        id="g1",
        question="Theo 57-NQ/TW: ___ là đột phá quan trọng hàng đầu.",
        options=("a", "b", "c", "d"),
        correct=2,
        explanation="Đáp án: c.",
        code="57-NQ/TW",
        source_text="c là đột phá quan trọng hàng đầu.",
    )
    merged = merge_items([curated], [generated])
    assert merged[0].origin == "curated"
    [back] = parse_bank(dump_bank([generated]), "xuat.yaml")
    assert (back.question, back.options, back.correct) == (
        generated.question,
        generated.options,
        generated.correct,
    )


def test_rejected_items_never_come_back(make_settings, capsys) -> None:
    import shutil

    from bot.commands.quiz import export_json, reject_items
    from bot.quiz.pool import quiz_items

    settings = make_settings()
    shutil.copy(next(PARTY_CORPUS.glob("57-NQ-TW_*.md")), settings.knowledge_dir)
    (settings.knowledge_dir / "quiz").mkdir(exist_ok=True)
    shutil.copy(DEFAULT_LIBRARY / "quiz" / "1_57-NQ-TW.yaml", settings.knowledge_dir / "quiz")
    items, _ = quiz_items(settings)
    target = items[3]
    assert reject_items(settings, [target.id]) == 0
    assert "Đã loại câu" in capsys.readouterr().out
    again, _ = quiz_items(settings)  # a re-index regenerates everything: it stays out
    assert target.id not in {it.id for it in again} and len(again) == len(items) - 1
    exported = export_json(again)
    assert target.id not in exported and '"kind"' in exported and '"source_text"' in exported
