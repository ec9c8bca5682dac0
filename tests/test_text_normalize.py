"""Normalisation, folding and tokens: the VIETNAMESE.md lists as tests."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot.text import NORMALIZER_VERSION, fold, has_diacritics, lexical_tokens, normalize, syllables

MUST_STAY = ["hoàng", "Quý", "quỳnh", "khuỷu", "ngoài", "thuở", "người", "giữ", "giếng", "gìn"]
MUST_FIX = [
    ("qúa", "quá"),
    ("gìa", "già"),
    ("muà", "mùa"),
    ("HUYỆN UỶ ĐỊNH HOÁ", "HUYỆN ỦY ĐỊNH HÓA"),
    ("hoà", "hòa"),
    ("thuỷ", "thủy"),
    ("khoẻ", "khỏe"),
    ("Thành uỷ", "Thành ủy"),
    ("công nghiệp hoá, hiện đại hoá", "công nghiệp hóa, hiện đại hóa"),
    ("Uỷ ban", "Ủy ban"),
    ("QÚA", "QUÁ"),
]
CLEANUP = [
    ("Ðảng ðoàn", "Đảng đoàn"),  # Latin eth look-alikes
    ("Nghị\u200b quyết\ufeff", "Nghị quyết"),
    ("chuyển\u00adđổi", "chuyểnđổi"),
    ("Nghị\u00a0quyết", "Nghị quyết"),
    ("15\u2011NQ/TW", "15-NQ/TW"),
    ("15\u2013NQ/TW", "15-NQ/TW"),
    ("15\u2212NQ/TW", "15-NQ/TW"),
    ("57-NQ\uff0fTW", "57-NQ/TW"),
    ("Số 57\\-NQ/TW", "Số 57-NQ/TW"),
    ("**1\\.** Phát triển", "**1.** Phát triển"),
    ("kinh tế \\- xã hội", "kinh tế - xã hội"),
    ("giai đoạn 2025\u20132030", "giai đoạn 2025-2030"),
]


@pytest.mark.parametrize("word", MUST_STAY)
def test_correct_tone_placement_is_left_alone(word: str) -> None:
    assert normalize(word) == word


@pytest.mark.parametrize(("raw", "expected"), MUST_FIX)
def test_new_style_tone_placement_moves_to_old_style(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), MUST_FIX)
def test_decomposed_input_gives_the_same_result(raw: str, expected: str) -> None:
    assert normalize(unicodedata.normalize("NFD", raw)) == expected


@pytest.mark.parametrize(("raw", "expected"), CLEANUP)
def test_lookalikes_invisibles_dashes_and_escapes(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_spaced_en_dash_between_words_stays() -> None:
    text = "kỷ nguyên mới – kỷ nguyên vươn mình"
    assert normalize(text) == text


def test_foreign_words_with_accents_are_untouched() -> None:
    assert normalize("José café naïve") == "José café naïve"


def test_line_structure_is_kept() -> None:
    text = "I- QUAN ĐIỂM\n\n1. Thành uỷ\r\nhoà\u2028bình\n"
    out = normalize(text)
    assert out.count("\n") == 5
    assert out.split("\n")[2] == "1. Thành ủy"


@pytest.mark.parametrize(
    "text",
    [
        "HUYỆN UỶ ĐỊNH HOÁ \\\\- 57\\-NQ/TW\u00a0\u200b",
        unicodedata.normalize("NFD", "Thành uỷ Hà Nội – hoà bình 15\u2011NQ/TW"),
        "a\\\\\\*b Ðảng qúa gìa",
    ],
)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_normalizer_version_is_set() -> None:
    assert NORMALIZER_VERSION == "1"


def test_fold_strips_marks_and_maps_d_bar() -> None:
    assert fold("Đảng đoàn") == "dang doan"
    assert fold("NGHỊ QUYẾT Thành uỷ") == "nghi quyet thanh uy"
    assert fold(unicodedata.normalize("NFD", "Người giữ")) == "nguoi giu"
    assert fold("Ðảng") == "dang"


def test_has_diacritics() -> None:
    assert has_diacritics("nghị quyết")
    assert has_diacritics("dang đoan")
    assert has_diacritics(unicodedata.normalize("NFD", "hoà"))
    assert not has_diacritics("nghi quyet 57 muc tieu 2030")


def test_syllables_plain_and_folded() -> None:
    assert syllables("Nghị quyết 57-NQ/TW") == ["nghị", "quyết", "57", "nq", "tw"]
    assert syllables("Nghị quyết số31", folded=True) == ["nghi", "quyet", "so", "31"]
    assert syllables("tăng 30%") == ["tăng", "30", "%"]


def test_lexical_tokens_have_bigrams_within_sentences_only() -> None:
    toks = lexical_tokens("Chuyển đổi số. Khoa học\ncông nghệ", folded=True)
    assert {"chuyen", "doi", "so", "khoa", "hoc", "cong", "nghe"} <= set(toks)
    assert {"chuyen_doi", "doi_so", "khoa_hoc", "cong_nghe"} <= set(toks)
    assert "so_khoa" not in toks
    assert "hoc_cong" not in toks


def test_tokens_agree_across_tone_conventions_and_forms() -> None:
    a = lexical_tokens("Thành uỷ Hà Nội")
    b = lexical_tokens(unicodedata.normalize("NFD", "Thành ủy Hà Nội"))
    assert a == b
    assert "thành_ủy" in a


def test_eth_lookalike_counts_as_a_diacritic() -> None:
    assert has_diacritics("Ðảng") and has_diacritics("ðang")


def _party_texts() -> list[str]:
    from conftest import PARTY_CORPUS

    return [p.read_text(encoding="utf-8") for p in sorted(PARTY_CORPUS.glob("*.*"))]


def test_party_corpus_normalises_idempotently_keeping_lines() -> None:
    texts = _party_texts()
    assert texts
    for text in texts:
        once = normalize(text)
        assert normalize(once) == once
        assert once.count("\n") == text.count("\n")
        assert "\\-" not in once
        assert not re.search(r"\b(?:uỷ|hoá|Uỷ|hoà|khoá)\b", once)
