"""FAISS inner-product search over L2-normalised vectors: build, search, save, load."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np


class DenseIndex:
    """Exact inner-product (cosine on unit vectors) search with faiss.IndexFlatIP."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @classmethod
    def build(cls, vectors: np.ndarray, dim: int | None = None) -> DenseIndex:
        """Index (n, dim) float32 vectors; dim is needed only when there are no rows."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        d = int(vectors.shape[1]) if vectors.ndim == 2 and vectors.shape[0] else dim
        if d is None:
            d = int(vectors.shape[1]) if vectors.ndim == 2 else 1
        index = faiss.IndexFlatIP(d)
        if len(vectors):
            index.add(vectors.reshape(-1, d))
        return cls(index)

    def search(
        self, query_vec: np.ndarray, k: int, include: Sequence[int] = ()
    ) -> list[tuple[int, float]]:
        """Nearest rows by inner product, best first, at most k; then the rows of include
        that are not among them, with their inner products, in the order given."""
        k = min(int(k), len(self))
        if k <= 0:
            return []
        query = np.ascontiguousarray(query_vec, dtype=np.float32).reshape(1, -1)
        scores, rows = self._index.search(query, k)
        ranked = [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
        have = {row for row, _ in ranked}
        missing = [int(row) for row in include if row not in have]
        if missing:
            vectors = self._index.reconstruct_batch(np.asarray(missing, dtype=np.int64))
            ranked += [(r, float(v)) for r, v in zip(missing, vectors @ query[0], strict=True)]
        return ranked

    def save(self, path: Path | str) -> None:
        """Write the FAISS index to one file."""
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path | str) -> DenseIndex:
        """Read an index written by save()."""
        return cls(faiss.read_index(str(path)))
