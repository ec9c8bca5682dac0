"""Readers per file format: .txt .md .html .pdf .docx .jsonl → Documents."""

from __future__ import annotations

from pathlib import Path

from bot.documents import Document

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl")


class UnusableFile(Exception):
    """A file that cannot be indexed; str(exc) is the reason, in Vietnamese, for the summary."""


def load_file(path: Path, root: Path, max_bytes: int = 20 * 1024 * 1024) -> list[Document]:
    """Read one file under root into Documents (several for .jsonl); raise UnusableFile."""
    raise NotImplementedError  # owner: ingest helper


def discover_files(root: Path) -> list[Path]:
    """Files under root that nqbot reads, sorted; hidden files and quiz banks left out."""
    raise NotImplementedError  # owner: ingest helper
