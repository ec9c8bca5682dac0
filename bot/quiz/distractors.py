"""Distractors: other true values of the same kind and scale, from the same documents."""

from __future__ import annotations

import random
from collections import defaultdict

from bot.quiz.candidates import STOP, Candidate, tokens
from bot.quiz.items import normalise_option, number_shape

# ---------------------------------------------------------------- distractors


class Pool:
    """Answers of each kind seen across the corpus, with the chunks they occur in."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], dict[str, Candidate]] = defaultdict(dict)
        self.by_kind: dict[str, dict[str, Candidate]] = defaultdict(dict)

    def add(self, cand: Candidate) -> None:
        if cand.kind == "body-pool":
            cand = Candidate("body", cand.start, cand.end, cand.answer, cand.key)
        norm = normalise_option(cand.answer)
        self.values[(cand.kind, cand.key)].setdefault(norm, cand)
        self.by_kind[cand.kind].setdefault(norm, cand)

    def distractors(
        self, cand: Candidate, exclude: set[str], rng: random.Random, stem: str
    ) -> list[str] | None:
        """Three answers of the same kind and shape, none true in the same passage."""
        same = self.values.get((cand.kind, cand.key), {})
        pool = [c for n, c in same.items() if n not in exclude]
        if cand.kind in ("year", "body") and len(pool) < 3:
            return None
        if cand.kind == "code" and len(pool) < 3:
            pool += [
                c for n, c in self.by_kind["code"].items() if n not in exclude and c not in pool
            ]
        if cand.kind == "name":
            pool = [c for c in pool if 0.5 <= len(c.answer) / len(cand.answer) <= 2.0]
        if cand.value is not None and cand.kind in ("percent", "number", "year"):
            pool = [c for c in pool if _close(c.value, cand.value, cand.kind)]
        if cand.kind in ("percent", "number"):
            shape = number_shape(cand.answer)
            pool = [c for c in pool if number_shape(c.answer) == shape]
        stem_words = tokens(stem) - STOP
        answer_words = tokens(cand.answer)
        pool = [c for c in pool if not ((tokens(c.answer) - answer_words) & stem_words)]
        pool.sort(key=lambda c: c.answer)
        rng.shuffle(pool)
        chosen: list[str] = []
        values = [cand.value]
        for c in pool:
            # Options too close to each other (83,3% / 83,4%) read as a trick, not a question.
            if c.value is not None and any(_too_close(c.value, v) for v in values):
                continue
            if cand.kind in ("percent", "number") and _arithmetic(c.value, cand.value):
                continue  # ×2, ×½, ×1.5 of the answer: "the option whose double is offered"
            chosen.append(c.answer)
            values.append(c.value)
            if len(chosen) == 3:
                break
        return chosen[:3] if len(chosen) >= 3 else None


_PATTERNS = (2.0, 0.5, 1.5, 2 / 3, 3.0, 1 / 3)


def _arithmetic(value: float | None, answer: float | None) -> bool:
    """True when the value is a simple multiple of the answer, a pattern guessers exploit."""
    if value is None or not answer:
        return False
    return any(abs(value / answer - p) < 1e-6 for p in _PATTERNS)


def _too_close(a: float, b: float | None) -> bool:
    return b is not None and abs(a - b) < max(1.0, 0.1 * max(abs(a), abs(b)))


def _close(value: float | None, target: float, kind: str) -> bool:
    if value is None:
        return False
    if kind == "year":
        return abs(value - target) <= 25
    if target == 0:
        return value <= 10
    ratio = value / target
    if kind == "percent" and value >= 100:
        return False  # 100% beside 15% is an outlier nobody picks
    return 1 / 3 <= ratio <= 3


def _format_number(value: float, like: str) -> str:
    if "," in like:
        decimals = len(like.split(",")[1])
        text = f"{value:.{decimals}f}".replace(".", ",")
    else:
        text = str(round(value))
        if "." in like:
            text = f"{round(value):,}".replace(",", ".")
    return text
