"""The items members are quizzed on: curated banks first, then items generated from passages."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.documents import Chunk, DocumentMeta
from bot.quiz.bank import load_banks, load_rejected, merge_items
from bot.quiz.checks import gate_bank
from bot.quiz.generate import FALLBACK_KINDS, SERVED_KINDS, generate_items
from bot.quiz.items import QuizItem

log = logging.getLogger(__name__)


def passages_from_knowledge_base(kb: Any) -> tuple[list[Chunk], dict[str, DocumentMeta]]:
    """Chunks and document metadata of a loaded KnowledgeBase."""
    chunks = kb.chunks()
    metas: dict[str, DocumentMeta] = {}
    for doc_id in {c.doc_id for c in chunks}:
        meta = kb.meta(doc_id) if hasattr(kb, "meta") else None
        if meta is not None:
            metas[doc_id] = meta
    return chunks, metas


def passages_from_folder(
    knowledge_dir: Path, max_tokens: int = 300, overlap_sentences: int = 1
) -> tuple[list[Chunk], dict[str, DocumentMeta]]:
    """Load and chunk the documents of a folder directly (no index needed)."""
    from bot.ingest.chunking import chunk_document
    from bot.ingest.loaders import UnusableFile, discover_files, load_file

    chunks: list[Chunk] = []
    metas: dict[str, DocumentMeta] = {}
    for path in discover_files(knowledge_dir):
        try:
            documents = load_file(path, knowledge_dir)
        except UnusableFile as exc:
            log.warning("quiz: skipping %s: %s", path, exc)
            continue
        for doc in documents:
            metas[doc.id] = doc.meta
            chunks.extend(chunk_document(doc, max_tokens, overlap_sentences))
    return chunks, metas


def load_passages(
    settings: Settings, kb: Any = None
) -> tuple[list[Chunk], dict[str, DocumentMeta]]:
    """Passages from the live index when there is one, else straight from knowledge/."""
    if kb is None:
        try:
            from bot.knowledge_base import KnowledgeBase

            kb = KnowledgeBase(settings)
            if not kb.load():
                kb = None
        except Exception:
            log.info("quiz: no usable index, reading %s", settings.knowledge_dir, exc_info=True)
            kb = None
    if kb is not None and getattr(kb, "ready", False):
        chunks, metas = passages_from_knowledge_base(kb)
        if chunks:
            return chunks, metas
    chunking = settings.chunking
    return passages_from_folder(
        settings.knowledge_dir, chunking.max_tokens, chunking.overlap_sentences
    )


def quiz_items(
    settings: Settings, kb: Any = None, seed: int = 0
) -> tuple[list[QuizItem], list[str]]:
    """Curated items then generated ones through the gates, and the problems found: a curated
    bank's errors and the items the gates left out (so that an admin can mend them)."""
    quiz_dir = settings.knowledge_dir / settings.quiz.quiz_dir
    curated, problems = load_banks(quiz_dir)
    chunks, metas = load_passages(settings, kb)
    avoid = [it.source_text for it in curated if it.source_text]
    written = {it.code for it in curated}
    generated = [
        it
        for it in generate_items(chunks, metas, seed, avoid)
        if it.kind in SERVED_KINDS or (it.kind in FALLBACK_KINDS and it.code not in written)
    ]
    rejected = load_rejected(quiz_dir)
    items = [it for it in merge_items(curated, generated) if it.id not in rejected]
    items, left_out = gate_bank(items)
    return items, problems + left_out
