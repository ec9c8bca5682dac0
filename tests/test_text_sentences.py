"""The one sentence splitter: verbatim pieces, abbreviations and heading numbers kept whole."""

from __future__ import annotations

import pytest

from bot.text.sentences import CLAUSE_MARKS, sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Quy mô đạt 2,5 triệu tỷ đồng. Mục 1.1 nói rõ; đây là ý hai! Ý ba?",
            ["Quy mô đạt 2,5 triệu tỷ đồng.", "Mục 1.1 nói rõ;", "đây là ý hai!", "Ý ba?"],
        ),
        (
            "Đồng chí TS. Nguyễn Văn A làm việc tại TP. Hồ Chí Minh. Theo Nghị quyết 57-NQ/TW. Hết.",
            [
                "Đồng chí TS. Nguyễn Văn A làm việc tại TP. Hồ Chí Minh.",
                "Theo Nghị quyết 57-NQ/TW.",
                "Hết.",
            ],
        ),
        (
            "Ngày 05.5.2022 ban hành.\n- Gạch đầu dòng một\n- Gạch đầu dòng hai",
            ["Ngày 05.5.2022 ban hành.", "- Gạch đầu dòng một", "- Gạch đầu dòng hai"],
        ),
    ],
)
def test_chunking_splits_clauses_too(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text, CLAUSE_MARKS)
    assert sentences == expected
    assert all(s in text for s in sentences)


def test_answers_keep_an_enumeration_with_semicolons_whole() -> None:
    text = "Mục tiêu gồm: tăng năng suất; đổi mới công nghệ; phát triển nhân lực. Câu sau đây."
    assert split_sentences(text) == [
        "Mục tiêu gồm: tăng năng suất; đổi mới công nghệ; phát triển nhân lực.",
        "Câu sau đây.",
    ]


def test_short_pieces_are_left_out_when_asked() -> None:
    text = "1.\nĐến năm 2030 đạt mức tiên tiến.\nII-"
    spans = sentence_spans(text, min_words=3)
    assert [text[s:e] for s, e in spans] == ["Đến năm 2030 đạt mức tiên tiến."]
