"""Hits → Answer: verbatim sentences with their citations, or a plain 'not found'."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from, and the passage itself."""

    chunk_id: str
    doc_id: str
    code: str | None
    title: str | None
    heading: str  # "II- MỤC TIÊU › 1. Đến năm 2030"
    date: str | None
    score: float
    text: str  # the full passage


@dataclass(frozen=True)
class Quote:
    """A sentence copied verbatim from a cited passage."""

    text: str
    doc_id: str
    code: str | None
    heading: str
    chunk_id: str = ""


@dataclass(frozen=True)
class Answer:
    """What a member is shown for one question."""

    question: str
    found: bool
    quotes: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)  # top passages in rank order
    suggestions: list[str] = field(default_factory=list)  # when not found: what to try
