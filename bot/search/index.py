"""The index folder: build it (incrementally, atomically) and load it back."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.documents import Chunk, DocumentMeta
from bot.search import analysis
from bot.search.dense import DenseIndex
from bot.search.lexical import LexicalIndex


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
    chunks: list[Chunk]
    documents: dict[str, DocumentMeta]  # doc_id -> DocumentMeta
    vectors: np.ndarray  # (n, dim) float32, L2-normalised
    dense: DenseIndex
    lexical: LexicalIndex  # over analysis.passage_terms(folded=False)
    lexical_folded: LexicalIndex  # the same over analysis.passage_terms(folded=True)


def _lexical_indexes(chunks: list[Chunk]) -> tuple[LexicalIndex, LexicalIndex]:
    """The normalised and the folded BM25 indexes over the chunks' index_text."""
    plain = LexicalIndex.build([analysis.passage_terms(c.index_text, False) for c in chunks])
    folded = LexicalIndex.build([analysis.passage_terms(c.index_text, True) for c in chunks])
    return plain, folded


def build_memory_index(
    chunks: list[Chunk], documents: dict[str, DocumentMeta], embedder: object
) -> LoadedIndex:
    """A LoadedIndex built in memory from chunks (tests, benchmarks)."""
    chunks = list(chunks)
    vectors = embedder.embed_passages([c.index_text for c in chunks])
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(chunks), embedder.dim)
    lexical, lexical_folded = _lexical_indexes(chunks)
    manifest = _identity(embedder) | {"chunks": len(chunks), "documents": len(documents)}
    return LoadedIndex(
        manifest=manifest,
        chunks=chunks,
        documents=dict(documents),
        vectors=vectors,
        dense=DenseIndex.build(vectors, dim=embedder.dim),
        lexical=lexical,
        lexical_folded=lexical_folded,
    )


def _identity(embedder: object) -> dict:
    """What an index must share with the running code and embedder to be usable."""
    from bot.text import NORMALIZER_VERSION

    return {
        "backend": embedder.backend,
        "model": embedder.model,
        "dimensions": int(embedder.dim),
        "normalizer_version": NORMALIZER_VERSION,
        "analyzer_version": analysis.ANALYZER_VERSION,
    }


def build_index(settings: object, embedder: object, progress: bool = True) -> BuildSummary:
    """Index settings.knowledge_dir into settings.index_dir incrementally and atomically."""
    raise NotImplementedError  # owner: index helper


def load_index(index_dir: object, embedder: object) -> LoadedIndex:
    """Load the live index; IndexMissing if none, IndexMismatch if built with other settings."""
    raise NotImplementedError  # owner: index helper
