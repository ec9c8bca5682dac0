"""Shared fixtures: the repository's own test data and settings for a throw-away project folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, settings_from_dict

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The default library's documents plus the draft 402-CV, frozen for the tests.
PARTY_CORPUS = FIXTURES / "party"
PARTY_QUESTIONS = FIXTURES / "party-questions.jsonl"
DEFAULT_LIBRARY = ROOT / "knowledge"


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
