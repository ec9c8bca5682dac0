"""What the library holds, document by document: metadata, codes, passages in order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.documents import Chunk, DocumentMeta
from bot.text.codes import DocCode, document_codes

KIND_LABELS = {"draft": "Dự thảo", "article": "Bài báo"}


def display_date(iso: str | None) -> str:
    """'2024-12-22' → '22/12/2024'; '' when unknown."""
    if not iso or len(iso) < 10:
        return ""
    year, month, day = iso[:10].split("-")
    return f"{day}/{month}/{year}"


@dataclass(frozen=True)
class Library:
    """The indexed documents, for questions about a document as a whole."""

    documents: Mapping[str, DocumentMeta]
    chunks_by_doc: Mapping[str, tuple[Chunk, ...]]  # each document's passages in order
    codes: Mapping[str, tuple[DocCode, ...]]

    @classmethod
    def build(cls, documents: Mapping[str, DocumentMeta], chunks: Iterable[Chunk]) -> Library:
        """The library of an index's documents and chunks."""
        by_doc: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            by_doc.setdefault(chunk.doc_id, []).append(chunk)
        ordered = {d: tuple(sorted(cs, key=lambda c: c.position)) for d, cs in by_doc.items()}
        codes: dict[str, tuple[DocCode, ...]] = {}
        for doc_id in {*documents, *ordered}:
            meta = documents.get(doc_id)
            raw = {meta.code} if meta and meta.code else set()
            raw |= {c.code for c in ordered.get(doc_id, ()) if c.code}
            parsed = tuple(code for text in sorted(raw) for code in document_codes(text))
            if parsed:
                codes[doc_id] = parsed
        return cls(documents=dict(documents), chunks_by_doc=ordered, codes=codes)

    def meta(self, doc_id: str) -> DocumentMeta:
        """A document's metadata (empty when unknown)."""
        return self.documents.get(doc_id) or DocumentMeta()

    def kind(self, doc_id: str) -> str:
        """'document', 'draft' or 'article'."""
        return self.meta(doc_id).source_kind or "document"

    def citation_kind(self, doc_id: str) -> str:
        """What a citation says of its document: 'draft', 'article', 'scan' or 'document'."""
        kind = self.kind(doc_id)
        from bot.ingest.ocr import SCANNED_KEY

        if kind == "document" and self.meta(doc_id).extra.get(SCANNED_KEY) == "1":
            return "scan"
        return kind

    def matching(self, code: DocCode) -> list[str]:
        """The documents a code names, in library order."""
        return [d for d, codes in self.codes.items() if any(code.matches(c) for c in codes)]

    def cites_a_kind(self, question: str) -> bool:
        """The question refers to a kind of document the library holds ("theo chương trình
        hành động của Chính phủ", "nghị quyết trung ương khóa XI")."""
        from bot.text import question_words as qw

        folded = qw.folded_words(question)
        kinds = {qw.folded_words(m.doc_type).strip() for m in self.documents.values() if m.doc_type}
        return any(f" {kind} " in folded for kind in kinds if kind)

    def numbered(self, number: str) -> list[str]:
        """The documents whose code carries this number ("3260" → Kế hoạch 3260-KH/ĐĐQH15)."""
        wanted = number.lstrip("0")
        return [
            d
            for d, codes in self.codes.items()
            if any(c.number.lstrip("0") == wanted for c in codes)
        ]

    def split_named(self, codes: Iterable[DocCode]) -> tuple[list[str], list[DocCode]]:
        """(documents the codes name that the library holds, codes it does not hold)."""
        present: list[str] = []
        absent: list[DocCode] = []
        for code in codes:
            docs = self.matching(code)
            if docs:
                present.extend(d for d in docs if d not in present)
            else:
                absent.append(code)
        return present, absent

    def main_document(self, doc_ids: Iterable[str]) -> str | None:
        """Of documents sharing a code (a resolution and its appendices), the one with a header."""
        ids = list(doc_ids)
        if not ids:
            return None
        return max(ids, key=lambda d: (len(self.meta(d).extra), -ids.index(d)))

    def label(self, doc_id: str, with_date: bool = True) -> str:
        """'Nghị quyết 57-NQ/TW (22/12/2024)'; an article says it is one."""
        meta = self.meta(doc_id)
        kind = self.kind(doc_id)
        name = meta.code or meta.short_title(60) or doc_id
        if meta.doc_type and meta.code and kind != "article":
            name = f"{meta.doc_type} {meta.code}"
        if kind == "article":
            name = f"Bài báo «{meta.short_title(50)}»" if meta.title else "Bài báo"
            if meta.code:
                name += f" về {meta.doc_type + ' ' if meta.doc_type else ''}{meta.code}"
        elif kind == "draft":
            name = f"Dự thảo {name}"
        date = display_date(meta.date) if with_date else ""
        return f"{name} ({date})" if date else name

    def closest(self, words: set[str], limit: int = 3) -> list[str]:
        """The promulgated documents whose title shares most of the given folded words."""
        from bot.text.normalize import fold

        scored = []
        for doc_id, meta in self.documents.items():
            if self.kind(doc_id) != "document" or not meta.code:
                continue
            title = set(fold(meta.title or "").split())
            scored.append((len(words & title), doc_id))
        scored.sort(key=lambda item: (-item[0], item[1]))
        # A resolution and its appendices share a code: name the resolution once.
        chosen: list[str] = []
        for score, doc_id in scored:
            code = self.meta(doc_id).code
            if score > 0 and all(self.meta(d).code != code for d in chosen):
                chosen.append(doc_id)
        return [self.main_document([d, *self.matching_code(d)]) or d for d in chosen][:limit]

    def matching_code(self, doc_id: str) -> list[str]:
        """The other documents sharing this document's code."""
        code = self.meta(doc_id).code
        return [d for d, m in self.documents.items() if d != doc_id and code and m.code == code]
