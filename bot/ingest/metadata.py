"""Document metadata (code, type, issuer, date, title) from the header block or the text."""

from __future__ import annotations

from bot.documents import DocumentMeta


def extract_metadata(text: str, doc_id: str) -> DocumentMeta:
    """Metadata read from a document's header block, else guessed from its text and id."""
    raise NotImplementedError  # owner: ingest helper
