"""Facts about each document from its metadata: who issued it, when, and what it is about."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.documents import Chunk
from bot.quiz.checks import check_item
from bot.quiz.items import QuizItem, make_item, meta_get
from bot.quiz.kinds.which_document import doc_label
from bot.quiz.sections import is_article

# The bodies that issue the Party's and the State's central documents: a fair set of options.
CENTRAL_ISSUERS = ("Bộ Chính trị", "Ban Chấp hành Trung ương", "Ban Bí thư", "Chính phủ")
TITLE_LIMIT = 150


def _documents(
    chunks: Sequence[Chunk], documents_meta: Mapping[str, Any], drafts: set[str]
) -> dict[str, tuple[Any, Chunk]]:
    """One entry per document code (appendices share their resolution's code): meta, 1st chunk."""
    first: dict[str, Chunk] = {}
    for chunk in sorted(chunks, key=lambda c: c.position):
        first.setdefault(chunk.doc_id, chunk)
    out: dict[str, tuple[Any, Chunk]] = {}
    for doc_id, meta in sorted(documents_meta.items()):
        code = meta_get(meta, "code")
        if not code or doc_id in drafts or is_article(meta) or doc_id not in first:
            continue
        if not meta_get(meta, "date") or not doc_label(meta):
            continue  # an appendix: its facts are its resolution's
        out.setdefault(code, (meta, first[doc_id]))
    return out


def _title(meta: Any) -> str:
    title = re.sub(r"\s+", " ", meta_get(meta, "title") or "").strip(" .")
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;") + "…"
    return title


def _vn_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _item(
    stem: str,
    answer: str,
    others: list[str],
    rng: random.Random,
    chunk: Chunk,
    meta: Any,
    kind: str,
    fact: str,
) -> QuizItem:
    code = meta_get(meta, "code")
    return make_item(
        stem=stem,
        answer=answer,
        distractors=others,
        rng=rng,
        explanation=f"Đáp án: {answer}. {fact} Nguồn: {code}, phần đầu văn bản."[:200],
        chunk=chunk,
        code=code,
        source_text=fact,
        kind=kind,
    )


def document_fact_items(
    chunks: Sequence[Chunk],
    documents_meta: Mapping[str, Any],
    seed: int = 0,
    drafts: set[str] | frozenset[str] = frozenset(),
) -> list[QuizItem]:
    """Issuer (for Party codes, where the code does not name it), date and title items."""
    documents = _documents(chunks, documents_meta, set(drafts))
    items: list[QuizItem] = []
    for code, (meta, chunk) in documents.items():
        rng = random.Random(f"{seed}:facts:{code}")
        label = doc_label(meta)
        title = _title(meta)
        issuer = meta_get(meta, "issuer") or ""
        when = _vn_date(meta_get(meta, "date"))
        fact = f"{label} {title}, do {issuer} ban hành ngày {when}."
        # Issuer: only where the code does not say it ("/NQ-CP" names the Government).
        others = [i for i in CENTRAL_ISSUERS if i != issuer]
        if (
            code.endswith("/TW")
            and issuer in CENTRAL_ISSUERS
            and not any(o in title for o in others)
        ):
            stem = f"{label} {title} do cơ quan nào ban hành?"
            items.append(_item(stem, issuer, others, rng, chunk, meta, "fact-issuer", fact))
        # Date: other documents' days and months in this document's year, none of them true,
        # with the key's own day and month among them so that it is never the odd one out.
        year = when[-4:]
        days = sorted({_vn_date(meta_get(m, "date"))[:2] for m, _c in documents.values()})
        months = sorted({_vn_date(meta_get(m, "date"))[3:5] for m, _c in documents.values()})
        pool = [f"{d}/{m}/{year}" for d in days for m in months if f"{d}/{m}/{year}" != when]
        rng.shuffle(pool)
        same_day = [o for o in pool if o[:2] == when[:2]][:1]
        same_month = [o for o in pool if o[3:5] == when[3:5]][:1]
        others = same_day + same_month
        others += [o for o in pool if o not in others][: 3 - len(others)]
        if len(others) == 3:
            # The stem names no issuer: the issuer is asked on its own.
            stem = f"{label} được ban hành ngày nào?"
            items.append(_item(stem, when, others, rng, chunk, meta, "fact-date", fact))
        # Title: which document is about this? Options never named in the title itself.
        labels = [
            doc_label(m)
            for c, (m, _c) in documents.items()
            if c != code and c not in title and code not in (meta_get(m, "title") or "")
        ]  # never a plan carrying out this document: its title repeats this one
        # A title naming another document ("thực hiện Nghị quyết 57…") fits every plan for it.
        names_other = any(c in title for c in documents if c != code)
        if len(labels) >= 3 and not names_other:
            rng.shuffle(labels)
            stem = f"Văn bản nào có trích yếu “{title}”?"
            items.append(_item(stem, label, labels[:3], rng, chunk, meta, "fact-title", fact))
    return [it for it in items if not check_item(it)]
