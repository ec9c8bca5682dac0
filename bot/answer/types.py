"""What an answer is made of: the passages cited, the verbatim quotes, and the answer itself."""

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
    source_kind: str = "document"  # "document" | "draft" | "article" | "scan"


@dataclass(frozen=True)
class Quote:
    """A sentence copied verbatim from a cited passage (or from a document's header lines)."""

    text: str
    doc_id: str
    code: str | None
    heading: str
    chunk_id: str = ""
    cut_before: bool = False  # the sentence goes on before this text (render "…" outside)
    cut_after: bool = False  # the sentence goes on after this text
    label: str = ""  # a list item's number as the document writes it ("1.", "a)"), if any


@dataclass(frozen=True)
class Answer:
    """What a member is shown for one question.

    kind: "quote" (sentences that answer), "list" (a section's items, in the document's
    order), "comparison" (quotes grouped by document), "metadata" (header or signature
    lines), "absent" (the library has no such document), "not_found", "chatter".
    """

    question: str
    found: bool
    quotes: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)  # top passages in rank order
    suggestions: list[str] = field(default_factory=list)  # when not found: what to try
    notes: list[str] = field(default_factory=list)  # facts from document metadata (issue date)
    kind: str = "quote"
    lead: str = ""  # one line before the quotes: what the list or comparison is
    reply: str = ""  # the whole reply when no document is quoted (chatter, absent document)
    asked: str = ""  # the question as read, after a follow-up was resolved against context

    def citation_for(self, quote: Quote) -> Citation | None:
        """The citation a quote was cut from."""
        return next((c for c in self.citations if c.chunk_id == quote.chunk_id), None)

    @property
    def doc_ids(self) -> tuple[str, ...]:
        """The documents the answer quotes, in order (what a follow-up refers back to)."""
        ids = [q.doc_id for q in self.quotes] or [c.doc_id for c in self.citations[:1]]
        return tuple(dict.fromkeys(ids))
