"""The live knowledge base: the loaded index and the engine that answers from it.

The Telegram bot and the CLI use only this object. A rebuild indexes knowledge/
incrementally beside the live index and swaps it in atomically, so answers keep
coming while it runs.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.answer import Answer
from bot.answer.library import Library
from bot.answer.respond import respond
from bot.build import BuildSummary, build_index
from bot.catalog import DocumentInfo, document_infos
from bot.config import Settings
from bot.conversation import Conversation
from bot.documents import Chunk, DocumentMeta
from bot.search.embedders import Embedder
from bot.search.index import IndexMissing, LoadedIndex, load_index
from bot.text.chatter import REPLY as CHATTER_REPLY
from bot.text.chatter import is_chatter

NOT_READY = "Kho văn bản đang được chuẩn bị, đồng chí vui lòng hỏi lại sau ít phút."


@dataclass(frozen=True)
class _Live:
    """One loaded index and its retriever: replaced whole, never mutated."""

    index: LoadedIndex
    retriever: Any  # bot.search.retriever.Retriever
    by_id: dict[str, Chunk]
    library: Library


class KnowledgeBase:
    """Thread-safe facade over the current index: ask, list, rebuild, stats."""

    def __init__(
        self, settings: Settings, embedder: Embedder | None = None, isolate_builds: bool = False
    ) -> None:
        self.settings = settings
        self.isolate_builds = isolate_builds
        self._embedder = embedder
        self._embedder_given = embedder is not None
        self._embedder_lock = threading.Lock()
        self._swap_lock = threading.Lock()
        self._rebuild_lock = threading.Lock()
        self._live: _Live | None = None

    @property
    def embedder(self) -> Embedder:
        """The embedder, made from the settings on first use (heavy models load lazily)."""
        if self._embedder is None:
            with self._embedder_lock:
                if self._embedder is None:
                    from bot.search.embedders import make_embedder

                    self._embedder = make_embedder(self.settings.embedding)
        return self._embedder

    @property
    def ready(self) -> bool:
        """True once an index is loaded."""
        return self._live is not None

    def install(self, index: LoadedIndex) -> None:
        """Make index the live one; readers see either the old or the new one, whole."""
        from bot.search.retriever import Retriever

        retriever = Retriever(index, self.embedder, self.settings.retrieval)
        retriever.warm_up()  # before the swap: no member waits for it
        live = _Live(
            index=index,
            retriever=retriever,
            by_id={c.id: c for c in index.chunks},
            library=Library.build(index.documents, index.chunks),
        )
        with self._swap_lock:
            self._live = live

    def load(self) -> bool:
        """Load the index from disk if there is one; False when there is none yet."""
        try:
            index = load_index(self.settings.index_dir, self.embedder)
        except IndexMissing:
            return False
        self.install(index)
        return True

    def ask(
        self,
        question: str,
        k: int | None = None,
        offset: int = 0,
        filters: Mapping[str, Any] | None = None,
        conversation: Conversation | None = None,
    ) -> Answer:
        """The composed answer; offset skips the first results ('Thêm kết quả').

        filters: {"doc_id", "doc_type", "year"} as the retriever takes them (None = all).
        conversation: the chat's previous turn; a follow-up is read against it, and it is
        updated with this turn.
        """
        if is_chatter(question):  # "👍", "...", "cảm ơn": nothing to look up
            return Answer(question=question, found=False, kind="chatter", reply=CHATTER_REPLY)
        live = self._live  # one read: a concurrent swap cannot mix two indexes
        if live is None:
            return Answer(question=question, found=False, suggestions=[NOT_READY])
        return respond(
            question,
            live.retriever,
            live.library,
            k=k or self.settings.retrieval.top_k,
            offset=offset,
            filters=filters,
            conversation=conversation,
        )

    def documents(self) -> list[DocumentInfo]:
        """Indexed documents, sorted by date (newest first)."""
        live = self._live
        if live is None:
            return []
        return document_infos(live.index.documents, live.index.chunks)

    def passage(self, chunk_id: str) -> Chunk | None:
        """One passage by id, for 'Xem nguyên văn' and quiz sources."""
        live = self._live
        return live.by_id.get(chunk_id) if live else None

    def meta(self, doc_id: str) -> DocumentMeta | None:
        """A document's metadata (for rendering a passage with its title and date)."""
        live = self._live
        return live.index.documents.get(doc_id) if live else None

    def chunks(self) -> list[Chunk]:
        """All indexed passages (quiz generation)."""
        live = self._live
        return list(live.index.chunks) if live else []

    def rebuild(self) -> BuildSummary:
        """Re-index knowledge/ incrementally and swap the new index in; serialised by a lock.

        With isolate_builds (the bot), files are read and embedded in a child process, so
        whatever a hostile file makes the reader allocate goes back to the system with it.
        """
        with self._rebuild_lock:
            # Any failure here leaves the old index live and reaches the caller.
            if self.isolate_builds and not self._embedder_given:
                from bot.child import run_in_child

                summary = run_in_child(_build_from_settings, self.settings)
            else:
                summary = build_index(self.settings, self.embedder, progress=False)
            index = load_index(self.settings.index_dir, self.embedder)
            self.install(index)
            return summary

    def stats(self) -> dict[str, Any]:
        """documents, chunks, backend, model, built_at (ISO), for /trangthai."""
        live = self._live
        embedding = self.settings.embedding
        if live is None:
            return {
                "documents": 0,
                "chunks": 0,
                "backend": embedding.backend,
                "model": embedding.model,
                "built_at": None,
            }
        manifest = live.index.manifest
        doc_ids = set(live.index.documents) | {c.doc_id for c in live.index.chunks}
        return {
            "documents": len(doc_ids),
            "chunks": len(live.index.chunks),
            "backend": manifest.get("backend", embedding.backend),
            "model": manifest.get("model", embedding.model),
            "built_at": manifest.get("built_at"),
        }


def _build_from_settings(settings: Settings) -> BuildSummary:
    """build_index with an embedder made from the settings (what a child process runs)."""
    from bot.search.embedders import make_embedder

    return build_index(settings, make_embedder(settings.embedding), progress=False)
