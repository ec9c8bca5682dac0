"""The values that flow through the pipeline: a Document, its metadata, and its Chunks."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.text.shorten import cut_at_word


@dataclass(frozen=True)
class DocumentMeta:
    """What a member needs to know to cite a document."""

    code: str | None = None  # "57-NQ/TW", canonical form from bot.text.codes
    doc_type: str | None = None  # "Nghị quyết", "Chương trình", ...
    issuer: str | None = None  # "Bộ Chính trị", "Thành ủy Hà Nội"
    date: str | None = None  # ISO "2024-12-22"
    title: str | None = None  # trích yếu: "về đột phá phát triển khoa học, công nghệ..."
    source_kind: str = "document"  # "document" (the text) | "draft" | "article" (news about it)
    extra: dict[str, str] = field(default_factory=dict)  # front matter keys we do not model

    def short_title(self, limit: int = 80) -> str:
        """The title cut at a word boundary for citations."""
        return cut_at_word(self.title or "", limit)


@dataclass(frozen=True)
class Document:
    """One source document: its id (path in knowledge/ without extension), text and metadata."""

    id: str
    text: str  # normalised body text, markup removed, headings on their own lines
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    source_path: str = ""  # path relative to the knowledge folder
    content_hash: str = ""  # sha256 of the source bytes (a JSONL record: of its line)


@dataclass(frozen=True)
class Chunk:
    """A passage of a document with the headings it sits under."""

    id: str  # f"{doc_id}#{position}"
    doc_id: str
    position: int  # 0-based order within the document
    text: str  # verbatim passage text (normalised), what quotes are cut from
    heading_path: tuple[str, ...] = ()  # ("II- MỤC TIÊU", "1. Đến năm 2030")
    code: str | None = None
    title: str | None = None
    date: str | None = None

    @property
    def prefix(self) -> str:
        """Short context prepended when indexing: code, title, heading path."""
        parts = [p for p in (self.code, self.title) if p]
        parts.extend(self.heading_path)
        return " › ".join(parts)

    @property
    def index_text(self) -> str:
        """What the embedder and the lexical index see."""
        return f"{self.prefix}\n{self.text}" if self.prefix else self.text

    @property
    def heading(self) -> str:
        """The heading path as members read it: 'II- MỤC TIÊU › 1. Đến năm 2030'."""
        return " › ".join(self.heading_path)
