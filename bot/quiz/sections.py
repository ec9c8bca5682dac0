"""Which documents and sections a member must know: roles of sections, drafts, articles."""

from __future__ import annotations

import re
from typing import Any

from bot.documents import Chunk
from bot.quiz.items import meta_get
from bot.text.normalize import fold

# Section roles, most worth asking first.
VIEWPOINT, TARGET, TASK, ORGANISATION, OPENING, BACKGROUND, ANNEX = (
    "viewpoint",
    "target",
    "task",
    "organisation",
    "opening",
    "background",
    "annex",
)
ROLE_RANK = {VIEWPOINT: 0, TARGET: 1, ORGANISATION: 2, TASK: 3, OPENING: 4, ANNEX: 5, BACKGROUND: 6}

_ROLE_WORDS = (
    (ORGANISATION, re.compile(r"to chuc thuc hien")),
    (VIEWPOINT, re.compile(r"quan diem")),
    (TARGET, re.compile(r"muc tieu|muc dich|den nam 20\d\d|tam nhin")),
    (TASK, re.compile(r"nhiem vu|giai phap|phan cong")),
    (BACKGROUND, re.compile(r"tinh hinh|nguyen nhan|ket qua|danh gia|han che|ton tai|boi canh")),
)
_NUMBERED = re.compile(r"^\s*\d{1,2}\s*[.)-]")
_DRAFT = re.compile(r"\bdu thao\b")


def section_role(chunk: Chunk, meta: Any = None) -> str:
    """The role of the chunk's innermost recognised heading; appendices are ANNEX."""
    title = fold(meta_get(meta, "title") or "")
    if title.startswith("phu luc") or re.search(r"phu ?luc", fold(chunk.doc_id)):
        return ANNEX
    for heading in reversed(chunk.heading_path):
        folded = fold(heading)
        for role, pattern in _ROLE_WORDS:
            if pattern.search(folded):
                return role
    if chunk.heading_path and _NUMBERED.match(chunk.heading_path[0]):
        return TASK  # a conclusion's numbered points are its tasks ("1. Tăng cường…")
    return OPENING


def is_draft(meta: Any, first_text: str = "") -> bool:
    """A draft ("dự thảo"): from the metadata when it says so, else from the title or header."""
    if meta_get(meta, "source_kind") == "draft":
        return True
    header = f"{meta_get(meta, 'title') or ''}\n{first_text}"
    return bool(_DRAFT.search(fold(header)))


def is_article(meta: Any) -> bool:
    """News about a document, not the document itself."""
    return meta_get(meta, "source_kind") == "article"


def draft_documents(chunks: list[Chunk], documents_meta: Any) -> set[str]:
    """Ids of the documents that are drafts (no quiz item may come from them)."""
    first: dict[str, str] = {}
    for chunk in sorted(chunks, key=lambda c: c.position):
        first.setdefault(chunk.doc_id, chunk.text[:1500])
        for heading in chunk.heading_path:
            if fold(heading).startswith("du thao"):
                first[chunk.doc_id] = first[chunk.doc_id] + "\n" + heading
    return {
        doc_id
        for doc_id in {c.doc_id for c in chunks} | set(documents_meta)
        if is_draft(documents_meta.get(doc_id), first.get(doc_id, ""))
    }
