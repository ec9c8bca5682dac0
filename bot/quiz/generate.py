"""Quiz items generated from the library: each kind of question, the gates, the balance.

Pure: takes chunks and document metadata, returns QuizItems that passed the quality gates.
Drafts give no items; a news article at most a couple; the sections members must know
(viewpoints, targets, tasks, organisation) come before background and annexes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from bot.documents import Chunk
from bot.quiz.checks import AS_ISSUED, RENAMED_BODIES, drop_near_duplicates, overlaps
from bot.quiz.items import QuizItem
from bot.quiz.kinds.cloze import cloze_items
from bot.quiz.kinds.document_facts import document_fact_items
from bot.quiz.kinds.structure import task_items, viewpoint_items
from bot.quiz.kinds.tables import table_items, target_table_items
from bot.quiz.kinds.which_document import which_document_items
from bot.quiz.sections import ANNEX, BACKGROUND, OPENING, draft_documents, is_article, section_role

# Generated kinds served to members: none. Cloze, viewpoint, task-group, which-document and
# appendix-table items pass the form gates, but blind reads found them guessable from the options
# or asking where a sentence sits; the date, issuer and title of a document are metadata, not
# what a member must know. The curated banks ask the main ideas instead.
SERVED_KINDS: frozenset[str] = frozenset()
# A document no written item asks about (one an admin just added) still gets these, so that
# /quiz has something to ask about it until someone writes its questions.
FALLBACK_KINDS = frozenset({"fact-issuer", "fact-date", "fact-title"})
MAX_PER_DOCUMENT = 45  # no single document crowds out the others
MAX_PER_ARTICLE = 0  # news about a programme is not the programme: no items from it


def generate_items(
    chunks: Iterable[Chunk],
    documents_meta: Mapping[str, Any],
    seed: int = 0,
    avoid: Sequence[str] = (),
) -> list[QuizItem]:
    """Every kind of generated item over the chunks, deterministic for a seed.

    avoid: source sentences already asked by curated items; no generated item reuses them.
    """
    chunks = list(chunks)
    drafts = draft_documents(chunks, documents_meta)
    chunks = [c for c in chunks if c.doc_id not in drafts]
    asked = [
        c
        for c in chunks
        if section_role(c, documents_meta.get(c.doc_id)) not in (OPENING, BACKGROUND, ANNEX)
        or is_article(documents_meta.get(c.doc_id))
    ]
    kinds = (
        document_fact_items(chunks, documents_meta, seed, drafts),
        viewpoint_items(chunks, documents_meta, seed, avoid),
        task_items(chunks, documents_meta, seed, avoid),
        cloze_items(asked, documents_meta, seed),
        which_document_items(asked, documents_meta, seed),
        table_items(chunks, documents_meta, seed),
        target_table_items(chunks, documents_meta, seed),
    )
    items: list[QuizItem] = []
    used_ids: set[str] = set()
    used_stems: set[str] = set()
    for kind_items in kinds:
        for item in kind_items:
            if item.id in used_ids or item.question in used_stems:
                continue
            if item.kind not in ("fact-issuer", "fact-date", "fact-title") and any(
                overlaps(item.source_text, a) for a in avoid
            ):
                continue  # one sentence, one item: a curated item already asks it
            items.append(_theo_van_ban(item))
            used_ids.add(item.id)
            used_stems.add(item.question)
    return _balance(_one_item_per_sentence(drop_near_duplicates(items)), documents_meta)


def _theo_van_ban(item: QuizItem) -> QuizItem:
    """'Theo Nghị quyết … (tại thời điểm ban hành), …' when a body named in the item has since
    been renamed or merged."""
    unquoted = re.sub(r"“[^”]*”", "", item.question)
    text = unquoted + " " + " ".join(item.options)
    said = any(phrase in item.question.lower() for phrase in AS_ISSUED)
    if item.kind == "document" or item.kind.startswith("fact-") or said:
        return item
    if not any(body in text for body in RENAMED_BODIES):
        return item
    question = re.sub(
        r"^(Theo [^,:]+)([,:])", r"\1 (tại thời điểm ban hành)\2", item.question, count=1
    )
    if question == item.question:
        question = (
            f"Theo văn bản (tại thời điểm ban hành), {item.question[0].lower()}{item.question[1:]}"
        )
    return replace(item, question=question)


def _one_item_per_sentence(items: list[QuizItem]) -> list[QuizItem]:
    """A sentence asked twice gives one item's answer away in the other: keep the first."""
    kept: list[QuizItem] = []
    for item in items:
        if item.kind.startswith(("fact-", "task-group", "viewpoint")) or not any(
            k.doc_id == item.doc_id
            and not k.kind.startswith(("fact-", "task-group", "viewpoint"))
            and overlaps(item.source_text, k.source_text, 0.6)
            for k in kept
        ):
            kept.append(item)
    return kept


def _balance(items: list[QuizItem], documents_meta: Mapping[str, Any]) -> list[QuizItem]:
    """At most MAX_PER_DOCUMENT items per document, MAX_PER_ARTICLE for news articles."""
    count: dict[str | None, int] = defaultdict(int)
    kept = []
    for item in items:
        article = is_article(documents_meta.get(item.doc_id or ""))
        cap = MAX_PER_ARTICLE if article else MAX_PER_DOCUMENT
        if count[item.doc_id] < cap:
            count[item.doc_id] += 1
            kept.append(item)
    return kept
