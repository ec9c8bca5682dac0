"""A project folder and a real `nqbot run` process for the end-to-end Telegram tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from conftest import PARTY_CORPUS, ROOT

from bot.config import load_settings
from bot.devtools.botapi_double import TOKEN, BotApiDouble
from bot.knowledge_base import KnowledgeBase


def make_project(tmp_path: Path, double: BotApiDouble, docs: list[str], **telegram: Any) -> Path:
    """knowledge/ with the named Party documents, an index of them, and config.yaml's path."""
    (tmp_path / "knowledge").mkdir()
    for name in docs:
        shutil.copy(PARTY_CORPUS / name, tmp_path / "knowledge" / name)
    config = {
        "knowledge_dir": "knowledge",
        "index_dir": "index",
        "database": "data/nqbot.sqlite3",
        "embedding": {"backend": "hashing", "model": "hashing-384"},
        "telegram": double.telegram_config(**telegram),
    }
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    KnowledgeBase(load_settings(config_path)).rebuild()  # what `nqbot index` does
    return config_path


def set_config(config_path: Path, section: str, **values: Any) -> None:
    """Change keys of one section of config.yaml (between two runs of the bot)."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config.setdefault(section, {}).update(values)
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def start_bot(config_path: Path, **env: str) -> subprocess.Popen:
    """`nqbot run` with the double's token, in the background (stderr kept)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--config", str(config_path), "run"],
        cwd=ROOT,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@contextlib.contextmanager
def running_bot(config_path: Path, **env: str) -> Iterator[subprocess.Popen]:
    """`nqbot run` with the double's token; stopped with SIGTERM, which must exit cleanly."""
    process = start_bot(config_path, **env)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    assert process.returncode == 0, stderr.decode(errors="replace")[-3000:]
