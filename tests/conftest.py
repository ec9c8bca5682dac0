"""Shared fixtures: paths to ../shared data and settings for a throw-away project folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, settings_from_dict

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PARTY_CORPUS = SHARED / "corpus" / "party"
PARTY_QUESTIONS = SHARED / "eval" / "party" / "questions.jsonl"


@pytest.fixture
def make_settings(tmp_path: Path):
    """Settings for a project in tmp_path (hashing embedder unless overridden)."""

    def _make(**overrides) -> Settings:
        raw = {
            "knowledge_dir": "knowledge",
            "index_dir": "index",
            "database": "data/nqbot.sqlite3",
            "embedding": {"backend": "hashing", "model": "hashing-384"},
        }
        raw.update(overrides)
        (tmp_path / "knowledge").mkdir(exist_ok=True)
        return settings_from_dict(raw, base_dir=tmp_path)

    return _make
