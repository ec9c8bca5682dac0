"""The live knowledge base: the loaded index and the engine that answers from it.

The Telegram bot and the CLI use only this object. A rebuild indexes knowledge/
incrementally beside the live index and swaps it in atomically, so answers keep
coming while it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.answer import Answer
from bot.config import Settings
from bot.documents import Chunk
from bot.search.embedders import Embedder
from bot.search.index import BuildSummary


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed document as the /vanban list shows it."""

    doc_id: str
    code: str | None
    title: str | None
    date: str | None
    issuer: str | None
    doc_type: str | None
    chunks: int
    summary: str  # the opening passage (trích yếu / first paragraph)


class KnowledgeBase:
    """Thread-safe facade over the current index: ask, list, rebuild, stats."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        raise NotImplementedError  # owner: answers helper

    @property
    def ready(self) -> bool:
        """True once an index is loaded."""
        raise NotImplementedError

    def load(self) -> bool:
        """Load the index from disk if there is one; False when there is none yet."""
        raise NotImplementedError

    def ask(self, question: str, k: int | None = None, offset: int = 0) -> Answer:
        """The composed answer; offset skips the first results ('Thêm kết quả')."""
        raise NotImplementedError

    def documents(self) -> list[DocumentInfo]:
        """Indexed documents, sorted by date (newest first)."""
        raise NotImplementedError

    def passage(self, chunk_id: str) -> Chunk | None:
        """One passage by id, for 'Xem nguyên văn' and quiz sources."""
        raise NotImplementedError

    def chunks(self) -> list[Chunk]:
        """All indexed passages (quiz generation)."""
        raise NotImplementedError

    def rebuild(self) -> BuildSummary:
        """Re-index knowledge/ incrementally and swap the new index in; serialised by a lock."""
        raise NotImplementedError

    def stats(self) -> dict[str, Any]:
        """documents, chunks, backend, model, built_at (ISO), for /trangthai."""
        raise NotImplementedError
