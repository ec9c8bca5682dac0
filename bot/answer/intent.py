"""What a question asks for, read from its question words (bot.text.question_words)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.text import question_words as qw


@dataclass(frozen=True)
class Intent:
    """What kind of fact the question asks for."""

    number: bool = False
    percent: bool = False
    date: bool = False
    body: bool = False


def read_intent(question: str) -> Intent:
    """The kinds of fact a question's words ask for ("bao nhiêu", "khi nào", "ai"...)."""
    folded = qw.folded_words(question)
    return Intent(
        number=qw.asks(folded, qw.ASKS_NUMBER),
        percent="%" in question or qw.asks(folded, qw.ASKS_PERCENT),
        date=qw.asks(folded, qw.ASKS_DATE),
        body=qw.asks(folded, qw.ASKS_BODY),
    )
