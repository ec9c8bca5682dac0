"""The index folder: build it (incrementally, atomically) and load it back."""

from __future__ import annotations

from dataclasses import dataclass, field


class IndexMismatch(Exception):
    """The index on disk was built with another backend, model, dimensions or normaliser."""


class IndexMissing(Exception):
    """There is no index yet (run `nqbot index`)."""


@dataclass
class BuildSummary:
    """What one `nqbot index` run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"path", "reason"}
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """The --json form."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": list(self.skipped),
            "chunks": self.chunks,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class LoadedIndex:
    """Everything the retriever needs, in memory. Row i of every part is chunks[i]."""

    manifest: dict
    chunks: list  # list[Chunk]
    documents: dict  # doc_id -> DocumentMeta
    vectors: object  # np.ndarray (n, dim) float32, L2-normalised
    dense: object  # bot.search.dense.DenseIndex
    lexical: object  # bot.search.lexical.LexicalIndex over analysis.passage_terms(folded=False)
    lexical_folded: object  # the same over analysis.passage_terms(folded=True)


def build_memory_index(chunks: list, documents: dict, embedder: object) -> LoadedIndex:
    """A LoadedIndex built in memory from chunks (tests, benchmarks). STUB: index helper."""
    raise NotImplementedError


def build_index(settings: object, embedder: object, progress: bool = True) -> BuildSummary:
    """Index settings.knowledge_dir into settings.index_dir incrementally and atomically."""
    raise NotImplementedError  # owner: index helper


def load_index(index_dir: object, embedder: object) -> LoadedIndex:
    """Load the live index; IndexMissing if none, IndexMismatch if built with other settings."""
    raise NotImplementedError  # owner: index helper
