"""Building the index: knowledge/ read, chunked and embedded into a new build, incrementally.

Unchanged files keep their passages and vectors, identical passages keep their vectors; the
build is written beside the live one and switched in atomically (bot.search.index).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bot.documents import Chunk, Document
from bot.ingest.chunking import chunk_document
from bot.ingest.limits import too_many_passages
from bot.ingest.loaders import UnusableFile, discover_files, load_file
from bot.search.index import (
    FORMAT_VERSION,
    as_matrix,
    build_lock,
    clean_stale_builds,
    identity,
    previous_build,
    write_build,
)

log = logging.getLogger(__name__)

EMBED_BATCH = 32  # passages per embed call: the embedders' own batch, so progress moves often


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
    with build_lock(index_dir):
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
    clean_stale_builds(index_dir)
    fingerprint = _pipeline_fingerprint(settings)
    previous = previous_build(index_dir, embedder, fingerprint)
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
        vectors[batch] = as_matrix(embedded, len(batch), dim)
        summary.embedded += len(batch)
        _report(progress, "embed", summary.embedded, len(to_embed))
    summary.chunks = len(chunks)

    manifest = identity(embedder) | {
        "format": FORMAT_VERSION,
        "pipeline": fingerprint,
        "chunking": dataclasses.asdict(settings.chunking),
        "nqbot_version": _nqbot_version(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "counts": {"sources": len(sources), "documents": len(documents), "chunks": len(chunks)},
        "sources": sources,
    }
    write_build(index_dir, manifest, chunks, documents, vectors, dim)
    return summary


def _nqbot_version() -> str:
    import bot

    return getattr(bot, "__version__", "0")
