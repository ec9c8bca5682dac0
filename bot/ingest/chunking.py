"""Cutting a Document into Chunks that keep their heading path."""

from __future__ import annotations

from bot.documents import Chunk, Document


def chunk_document(doc: Document, max_tokens: int = 300, overlap_sentences: int = 1) -> list[Chunk]:
    """Chunks under their headings, within max_tokens syllables, never across a top heading."""
    raise NotImplementedError  # owner: ingest helper


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage, each a verbatim substring of it (quotes are cut from these)."""
    raise NotImplementedError  # owner: ingest helper
