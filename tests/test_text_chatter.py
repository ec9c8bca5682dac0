"""Chatter: what has nothing to look up, and the real questions that only look like it."""

from __future__ import annotations

import pytest

from bot.text.chatter import is_chatter

CHATTER = [
    "👍",
    "👍👍",
    ".",
    "...",
    "-",
    "<",
    ">>>",
    "&" * 4096,
    "ok",
    "OK!",
    "cảm ơn",
    "cam on",
    "Cảm ơn bot nhiều nhé",
    "Chào bot",
    "chào đồng chí",
    "hi",
    "vâng",
    "dạ",
    "được rồi",
    "ok, cảm ơn ạ 🙏",
    "\u200b",
]
QUESTIONS = [
    "chào cờ là gì",
    "Chào bot, nghị quyết 57 đặt mục tiêu gì?",
    "cảm ơn, cho hỏi kết luận 69 giao ai?",
    "2030",
    "nq 57",
    "ok thế còn chuyển đổi số thì sao",
]


@pytest.mark.parametrize("text", CHATTER)
def test_chatter_is_recognised(text):
    assert is_chatter(text)


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions_are_not_chatter(text):
    assert not is_chatter(text)
