"""Fusion arithmetic: pure functions over (row, score) lists."""

from __future__ import annotations

import pytest

from bot.search.fusion import (
    max_normalised,
    min_max_normalised,
    reciprocal_rank_fusion,
    weighted_fusion,
)


def test_max_normalised_keeps_ratios_to_the_best() -> None:
    assert max_normalised([(3, 8.0), (1, 4.0), (2, 0.0)]) == {3: 1.0, 1: 0.5, 2: 0.0}
    assert max_normalised([]) == {}


def test_min_max_normalised_spans_zero_to_one() -> None:
    scores = min_max_normalised([(0, 0.9), (1, 0.8), (2, 0.7)])
    assert scores[0] == 1.0 and scores[2] == 0.0
    assert scores[1] == pytest.approx(0.5)
    assert min_max_normalised([(5, 0.3)]) == {5: 1.0}


def test_weighted_fusion_sums_weighted_scores_best_first() -> None:
    fused = weighted_fusion(
        {"dense": {1: 1.0, 2: 0.5}, "folded": {2: 1.0, 3: 1.0}},
        {"dense": 1.0, "folded": 0.5},
    )
    assert fused == [(1, 1.0), (2, 1.0), (3, 0.5)]  # tie broken by row
    # A zero weight switches a channel off entirely.
    assert weighted_fusion({"dense": {1: 1.0}}, {"dense": 0.0}) == []


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion({"a": [(1, 9.0), (2, 5.0)], "b": [(2, 0.9), (3, 0.8)]}, k=60)
    assert fused[0][0] == 2
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)
    weighted = reciprocal_rank_fusion(
        {"a": [(1, 9.0), (2, 5.0)], "b": [(2, 0.9), (3, 0.8)]},
        weights={"a": 1.0},  # b switched off
    )
    assert weighted[0][0] == 1
