"""Appendix tables: which body leads a task or target, and by when ('Cơ quan chủ trì')."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from bot.documents import Chunk
from bot.ingest.tables import row_fields
from bot.quiz.candidates import SINGLE_BODY
from bot.quiz.checks import check_item
from bot.quiz.items import (
    QuizItem,
    clean_text,
    explanation_for,
    heading_context,
    make_item,
    meta_get,
)

TABLE_ITEMS_PER_DOCUMENT = 10  # a table is one fact pattern repeated: a few rows only
# A task's month of completion in an annex is not what a member must remember.
ASK_DEADLINES = False
_MONTH_YEAR = re.compile(r"^(?:Tháng )?(\d{1,2})/(20\d\d)$")


def _table_header(lines: list[str]) -> list[str] | None:
    """The column headers of the document's task table (its rows name 'Cơ quan chủ trì')."""
    labels: dict[str, None] = {}
    for line in lines:
        fields = row_fields(line)
        if fields and any("chủ trì" in label for label, _ in fields):
            labels.update((label, None) for label, _ in fields)
    return list(labels) if len(labels) >= 4 else None


def _row_cells(line: str, header: list[str]) -> list[str] | None:
    """A row passage's cells in header order ('' for an empty cell), or None for another line."""
    fields = row_fields(line)
    if not fields or any(label not in header for label, _ in fields):
        return None
    values = dict(fields)
    return [values.get(label, "") for label in header]


def _appendix_name(meta: Any) -> str:
    """'Phụ lục II của Nghị quyết 03/NQ-CP' from the metadata."""
    title = meta_get(meta, "title") or ""
    code = meta_get(meta, "code") or ""
    doc_type = meta_get(meta, "doc_type") or ""
    doc = f"{doc_type} {code}".strip()
    m = re.match(r"(Phụ lục [IVX\d]+)", title, re.IGNORECASE)
    return f"{m.group(1)} của {doc}" if m and doc else doc


def _quote_name(name: str, limit: int = 150) -> str:
    name = clean_text(name).rstrip(".;")
    if len(name) > limit:
        name = name[:limit].rsplit(" ", 1)[0].rstrip(",;") + "…"
    return name


def table_items(
    chunks: list[Chunk], documents_meta: Mapping[str, Any], seed: int
) -> list[QuizItem]:
    """Who leads each task or target, and by when, from appendix tables ('Cơ quan chủ trì')."""
    by_doc: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        by_doc[chunk.doc_id].append(chunk)
    items: list[QuizItem] = []
    for doc_id, doc_chunks in by_doc.items():
        header = _table_header([ln for c in doc_chunks for ln in c.text.splitlines()])
        if header is None or not any(h == "Chỉ tiêu" for h in header):
            continue  # the task list of an annex is detail; its targets are worth knowing
        lead_col = next(i for i, c in enumerate(header) if "chủ trì" in c)
        name_col = next(
            (i for i, c in enumerate(header) if "nhiệm vụ" in c.lower() or c == "Chỉ tiêu"), None
        )
        due_col = next((i for i, c in enumerate(header) if "Thời gian" in c), None)
        if name_col is None:
            continue
        rows: list[tuple[Chunk, str, list[str]]] = []
        for chunk in doc_chunks:
            for line in chunk.text.splitlines():
                cells = _row_cells(line, header)
                if cells is not None:
                    rows.append((chunk, line, cells))
        meta = documents_meta.get(doc_id)
        where = _appendix_name(meta)
        what = "nhiệm vụ" if "nhiệm vụ" in header[name_col].lower() else "chỉ tiêu"
        leads = "chủ trì theo dõi, đánh giá" if "theo dõi" in header[lead_col] else "chủ trì"
        bodies = sorted({r[2][lead_col] for r in rows if SINGLE_BODY.match(r[2][lead_col])})
        dues = sorted(
            {
                r[2][due_col]
                for r in rows
                if due_col is not None and _MONTH_YEAR.match(r[2][due_col])
            }
        )
        rng = random.Random(f"{seed}:table:{doc_id}")
        order = list(range(len(rows)))
        rng.shuffle(order)
        made = {"table-body": 0, "table-deadline": 0}
        for index in order:
            chunk, line, cells = rows[index]
            name = cells[name_col]
            if len(name.split()) < 4:
                continue
            quoted = _quote_name(name)
            context = heading_context(chunk)
            scope = f" ({context.lower()})" if context and re.search(r"\d{4}", context) else ""
            body = cells[lead_col]
            if made["table-body"] < TABLE_ITEMS_PER_DOCUMENT and SINGLE_BODY.match(body):
                others = [b for b in bodies if b != body and b not in line]
                rng.shuffle(others)
                if len(others) >= 3:
                    stem = f"Theo {where}, cơ quan nào {leads} {what} “{quoted}”{scope}?"
                    item = _table_item(stem, body, others[:3], rng, chunk, meta, line, "table-body")
                    if not check_item(item, chunk.text):
                        items.append(item)
                        made["table-body"] += 1
                        continue
            due = cells[due_col] if due_col is not None else ""
            m = _MONTH_YEAR.match(due)
            if ASK_DEADLINES and m:
                key = (int(m.group(1)), m.group(2))
                others = []
                for d in dues:
                    dm = _MONTH_YEAR.match(d)
                    if (int(dm.group(1)), dm.group(2)) != key:
                        others.append(f"{int(dm.group(1))}/{dm.group(2)}")
                others = sorted(set(others) - {due})
                rng.shuffle(others)
                if len(others) >= 3:
                    stem = f"Theo {where}, {what} “{quoted}” có thời hạn hoàn thành khi nào?"
                    answer = f"{int(m.group(1))}/{m.group(2)}"
                    item = _table_item(
                        stem, answer, others[:3], rng, chunk, meta, line, "table-deadline"
                    )
                    if not check_item(item, chunk.text):
                        items.append(item)
                        made["table-deadline"] += 1
    return items


def _table_item(
    stem: str,
    answer: str,
    distractors: list[str],
    rng: random.Random,
    chunk: Chunk,
    meta: Any,
    line: str,
    kind: str,
) -> QuizItem:
    return make_item(
        stem=stem,
        answer=answer,
        distractors=distractors,
        rng=rng,
        explanation=explanation_for(answer, chunk, meta),
        chunk=chunk,
        code=chunk.code or meta_get(meta, "code"),
        source_text=line,
        kind=kind,
    )


_RESULT = re.compile(r"^(?:≥|>=|>)?\s*(\d{1,3}(?:,\d+)?)\s*%?$")
_PATTERN_RATIOS = (2.0, 0.5, 1.5, 2 / 3, 3.0, 1 / 3)


def _plain_percent(cell: str) -> float | None:
    m = _RESULT.match(cell.strip())
    return float(m.group(1).replace(",", ".")) if m else None


def target_table_items(
    chunks: list[Chunk], documents_meta: Mapping[str, Any], seed: int
) -> list[QuizItem]:
    """The level set for each percentage target of an appendix table ('Chỉ tiêu | Đơn vị |
    Kết quả'), with the table's other targets of the same unit as options."""
    by_doc: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        by_doc[chunk.doc_id].append(chunk)
    items: list[QuizItem] = []
    for doc_id, doc_chunks in by_doc.items():
        lines = [(c, ln) for c in doc_chunks for ln in c.text.splitlines()]
        header = _table_header([ln for _c, ln in lines])
        if header is None or not {"Chỉ tiêu", "Đơn vị", "Kết quả"} <= set(header):
            continue
        name_col, unit_col, result_col = (
            header.index(h) for h in ("Chỉ tiêu", "Đơn vị", "Kết quả")
        )
        rows = []
        for chunk, line in lines:
            cells = _row_cells(line, header)
            if cells is None or cells[unit_col] != "%":
                continue
            value = _plain_percent(cells[result_col])
            if value is not None and 0 < value < 100:
                raw = cells[result_col].strip()
                rows.append((chunk, line, clean_text(cells[name_col]), value, raw))
        values = sorted({r[3] for r in rows})
        meta = documents_meta.get(doc_id)
        where = _appendix_name(meta)
        rng = random.Random(f"{seed}:targets:{doc_id}")
        for chunk, line, name, value, raw in rows:
            others = [
                v
                for v in values
                if v != value
                and 1 / 3 <= v / value <= 3
                and not any(abs(v / value - p) < 1e-6 for p in _PATTERN_RATIOS)
            ]
            rng.shuffle(others)
            spread: list[float] = []
            for v in others:  # options at least 10 points apart: a reader has to know, not squint
                if all(abs(v - w) >= 10 for w in [value, *spread]):
                    spread.append(v)
            others = spread
            if len(others) < 3 or not 4 <= len(name.split()) <= 14:
                continue  # a headline target a member can hold in mind, not a table row
            fmt = lambda v: f"{v:g}%".replace(".", ",")  # noqa: E731
            context = heading_context(chunk)
            scope = f" ({context.lower()})" if context and re.search(r"\d{4}", context) else ""
            stem = f"Theo {where}, chỉ tiêu “{_quote_name(name)}”{scope} được đặt ở mức nào?"
            answer = fmt(value)
            item = make_item(
                stem=stem,
                answer=answer,
                distractors=[fmt(v) for v in others[:3]],
                rng=rng,
                explanation=f"Đáp án: {raw}%. Nguồn: {where}"[:200],
                chunk=chunk,
                code=chunk.code or meta_get(meta, "code"),
                source_text=line,
                kind="table-target",
            )
            if not check_item(item, chunk.text):
                items.append(item)
    return items
