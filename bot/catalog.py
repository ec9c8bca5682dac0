"""The document list an admin reads: each indexed document's kind, name, passages and problems.

`nqbot documents`, `/vanban`, the summary after `nqbot index` and the upload confirmation all
describe documents with the functions here, so they say the same thing the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.documents import Chunk, DocumentMeta
from bot.ingest.metadata import title_cut_at_start
from bot.render import format_date
from bot.text.normalize import fold
from bot.text.shorten import cut_at_word

SUMMARY_CHARS = 500

# source_kind → what a clerk calls it.
KINDS = {"document": "văn bản", "draft": "dự thảo", "article": "bài báo"}
NO_CODE = "chưa có số hiệu"
NO_DATE = "chưa có ngày ban hành"
NO_TITLE = "chưa có tên (trích yếu)"
TITLE_CUT = "tên có vẻ bị cắt"
ARTICLE = "Bài báo"
ARTICLE_ABOUT = "về"
DRAFT = "Dự thảo"
NUMBER = "số"
ON_DATE = "ngày"

# A title ending on one of these words (or a comma) stops mid-phrase.
_DANGLING = {"va", "cua", "ve", "cho", "cac", "trong", "voi", "so", "ngay", "den", "de", "tai"}
_PLACE_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed document as the lists show it."""

    doc_id: str
    code: str | None
    title: str | None
    date: str | None
    issuer: str | None
    doc_type: str | None
    chunks: int
    summary: str  # the opening of the body (header lines left out)
    source_kind: str = "document"  # "document" | "draft" | "article"
    publisher: str | None = None  # an article's newspaper, from front matter or a sidecar
    problems: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """'văn bản', 'dự thảo' or 'bài báo'."""
        return KINDS.get(self.source_kind, KINDS["document"])

    def as_dict(self) -> dict:
        """The `nqbot documents --json` form."""
        return {
            "id": self.doc_id,
            "code": self.code,
            "type": self.doc_type,
            "issuer": self.issuer,
            "date": self.date,
            "title": self.title,
            "kind": self.kind,
            "passages": self.chunks,
            "problems": list(self.problems),
            "label": document_label(self),
        }


def title_looks_cut(title: str | None) -> bool:
    """True when the title starts or stops mid-phrase ('khai thực hiện…', '… khoa học,')."""
    if not title:
        return False
    title = title.strip()
    if title_cut_at_start(title) or title.endswith((",", ";", "-", "–", "(", "…")):
        return True
    words = fold(title).split()
    return bool(words) and words[-1] in _DANGLING


def find_problems(meta: DocumentMeta) -> tuple[str, ...]:
    """What an admin should check in a document's header: no code, no date, a cut title."""
    found = []
    if not meta.code:
        found.append(NO_CODE)
    if not meta.date:
        found.append(NO_DATE)
    if not meta.title:
        found.append(NO_TITLE)
    elif title_looks_cut(meta.title):
        found.append(TITLE_CUT)
    return tuple(found)


def document_label(doc: DocumentInfo) -> str:
    """How a document is named in one line.

    'Kế hoạch số 12-KH/ĐU ngày 15/03/2025, Đảng ủy phường Kim Mã'; an article never passes for
    the document it discusses: 'Bài báo Hà Nội Mới (18/04/2023) về Chương trình 01-CTr/TU'.
    """
    date = format_date(doc.date)
    if doc.source_kind == "article":
        head = f"{ARTICLE} {doc.publisher}" if doc.publisher else ARTICLE
        if date:
            head += f" ({date})"
        about = " ".join(p for p in (doc.doc_type, doc.code) if p)
        return f"{head} {ARTICLE_ABOUT} {about}" if about else head
    name = doc.code or doc.doc_id
    if doc.doc_type and doc.code:
        name = f"{doc.doc_type} {NUMBER} {doc.code}"
    if date:
        name += f" {ON_DATE} {date}"
    if doc.issuer:
        name += f", {doc.issuer}"
    return f"{DRAFT}: {name}" if doc.source_kind == "draft" else name


def _is_header_line(line: str, meta: DocumentMeta) -> bool:
    """A header line (committee, code, motto, place and date, the title itself), not the body."""
    letters = [ch for ch in line if ch.isalpha()]
    if not letters or all(ch.isupper() for ch in letters):
        return True
    if "|" in line or line.startswith(("*", "Số", "V/v")) or len(line.split()) < 4:
        return True
    if meta.code and meta.code in line and len(line.split()) < 8:
        return True
    if _PLACE_DATE.search(line) and len(line.split()) < 15:
        return True
    folded, title = fold(line), fold(meta.title or "")
    return bool(title) and (folded in title or title in folded)


def summary_text(chunks: Iterable[Chunk], meta: DocumentMeta) -> str:
    """The body's opening, header lines left out, cut at a word boundary."""
    kept: list[str] = []
    size = 0
    for chunk in chunks:
        for line in chunk.text.split("\n"):
            line = " ".join(line.split())
            if not line or (not kept and _is_header_line(line, meta)):
                continue
            kept.append(line)
            size += len(line) + 1
            if size > SUMMARY_CHARS:
                break
        if size > SUMMARY_CHARS:
            break
    return cut_at_word(" ".join(kept), SUMMARY_CHARS)


def document_infos(
    documents: Mapping[str, DocumentMeta], chunks: Iterable[Chunk]
) -> list[DocumentInfo]:
    """Every indexed document, newest first (undated ones last)."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    infos = []
    for doc_id in dict.fromkeys([*documents, *by_doc]):
        meta = documents.get(doc_id) or DocumentMeta()
        own = sorted(by_doc.get(doc_id, []), key=lambda c: c.position)
        first = own[0] if own else None
        infos.append(
            DocumentInfo(
                doc_id=doc_id,
                code=meta.code or (first.code if first else None),
                title=meta.title or (first.title if first else None),
                date=meta.date or (first.date if first else None),
                issuer=meta.issuer,
                doc_type=meta.doc_type,
                chunks=len(own),
                summary=summary_text(own[:3], meta),
                source_kind=meta.source_kind or "document",
                publisher=meta.extra.get("publisher") or None,
                problems=find_problems(meta),
            )
        )
    infos.sort(key=lambda d: d.doc_id)
    infos.sort(key=lambda d: d.date or "", reverse=True)
    return infos
