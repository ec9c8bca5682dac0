"""Question → ranked passages: dense + BM25 (normalised and folded) fused, codes boosted."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.documents import Chunk


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its fused score (higher is better)."""

    chunk: Chunk
    score: float
    channels: dict[str, float] = field(default_factory=dict)  # per-channel scores, for debugging
