"""What a number question counts, and whether a quoted sentence states that count."""

from __future__ import annotations

import pytest

from bot.answer.support import counted_phrase, states_count


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("Hà Nội có bao nhiêu trường đại học công lập?", "truong dai hoc cong lap"),
        ("muc luong co so cua can bo, cong chuc nam 2025 la bao nhieu?", "muc luong co so"),
        ("Hà Nội có bao nhiêu đảng viên?", "dang vien"),  # folded "đảng" is not "đang"
        ("Tỷ lệ lạm phát năm 2024 là bao nhiêu?", "lam phat"),
        ("nhân lực nghiên cứu đạt bao nhiêu người trên một vạn dân", "nguoi"),
        ("Nghị quyết 57 ban hành ngày nào?", ""),
    ],
)
def test_the_counted_phrase(question, phrase):
    assert " ".join(counted_phrase(question)) == phrase


def test_a_count_needs_a_number_beside_the_whole_phrase():
    question = "Hà Nội có bao nhiêu trường đại học công lập?"
    scattered = "Lựa chọn tối thiểu 03 cơ sở nghiên cứu (tại một số trường đại học trọng điểm)."
    assert not states_count(question, [scattered])
    assert states_count(question, ["Hà Nội có 23 trường đại học công lập."])
    assert not states_count(question, ["Các trường đại học công lập được tự chủ."])  # no number


def test_a_percentage_is_stated_by_its_sign():
    question = "kinh phí chi cho nghiên cứu đạt bao nhiêu phần trăm"
    assert states_count(question, ["Kinh phí chi cho nghiên cứu đạt 2% GDP."])
