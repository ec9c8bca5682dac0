"""Pure rank fusion over per-channel (row, score) lists: weighted score fusion and RRF."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Ranked = Sequence[tuple[int, float]]


def max_normalised(ranked: Ranked) -> dict[int, float]:
    """Scores divided by the channel's best score (BM25: keeps how far below the best a row is)."""
    if not ranked:
        return {}
    best = max(score for _, score in ranked)
    if best <= 0:
        return {}
    return {row: max(score, 0.0) / best for row, score in ranked}


def min_max_normalised(ranked: Ranked, floor: float | None = None) -> dict[int, float]:
    """Scores mapped to [0, 1] between a floor (default: the worst candidate) and the best."""
    if not ranked:
        return {}
    best = max(score for _, score in ranked)
    low = min(score for _, score in ranked) if floor is None else floor
    span = best - low
    if span <= 1e-9:
        return {row: 1.0 for row, _ in ranked}
    return {row: max(0.0, (score - low) / span) for row, score in ranked}


def weighted_fusion(
    channels: Mapping[str, Mapping[int, float]], weights: Mapping[str, float]
) -> list[tuple[int, float]]:
    """Sum of weight × normalised score over channels, best first (ties broken by row)."""
    total: dict[int, float] = {}
    for name, scores in channels.items():
        weight = weights.get(name, 0.0)
        if weight == 0.0:
            continue
        for row, score in scores.items():
            total[row] = total.get(row, 0.0) + weight * score
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))


def reciprocal_rank_fusion(
    channels: Mapping[str, Ranked], weights: Mapping[str, float] | None = None, k: int = 60
) -> list[tuple[int, float]]:
    """Weighted RRF: sum of weight / (k + rank) over the channels a row appears in, best first."""
    total: dict[int, float] = {}
    for name, ranked in channels.items():
        weight = 1.0 if weights is None else weights.get(name, 0.0)
        if weight == 0.0:
            continue
        ordered = sorted(ranked, key=lambda item: (-item[1], item[0]))
        for rank, (row, _) in enumerate(ordered, start=1):
            total[row] = total.get(row, 0.0) + weight / (k + rank)
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))
