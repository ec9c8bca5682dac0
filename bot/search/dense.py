"""FAISS inner-product search over L2-normalised vectors: build, search, save, load."""

from __future__ import annotations


class DenseIndex:
    """STUB (owner: index helper). build(vectors); search(query_vec, k) -> list[(row, score)]."""
