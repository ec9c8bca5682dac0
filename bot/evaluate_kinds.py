"""Figures by question kind for the member-question set (scripts/data/member_questions.jsonl).

A kind's answer hit is over its in-scope questions (lists and comparisons: every item shown);
its refusal accuracy over its out-of-scope ones (absent documents, off-topic, facts the library
does not hold); "wrongly refused" is the share of its in-scope questions told "not found".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.evaluate import Outcome

KINDS = (
    "fact",
    "number",
    "date",
    "signer",
    "doc_number",
    "list",
    "comparison",
    "followup",
    "absent",
    "off_topic",
    "draft",
)
OUT_OF_SCOPE_KINDS = ("absent", "off_topic")  # every question of these kinds is out of scope


def _share(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


@dataclass(frozen=True)
class KindFigures:
    """One row of the table."""

    kind: str
    n: int
    answer_hit: float | None  # over in-scope questions with gold answers
    refusal: float | None  # out-of-scope questions refused
    wrongly_refused: float | None  # in-scope questions refused

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "answer_hit": self.answer_hit,
            "refusal": self.refusal,
            "wrongly_refused": self.wrongly_refused,
        }


def figures(kind: str, outcomes: Sequence[Outcome]) -> KindFigures:
    """The figures of a group of outcomes."""
    scored = [o for o in outcomes if o.answer_hit is not None]
    out = [o for o in outcomes if o.question.out_of_scope]
    inside = [o for o in outcomes if not o.question.out_of_scope]
    return KindFigures(
        kind=kind,
        n=len(outcomes),
        answer_hit=_share(sum(1 for o in scored if o.answer_hit), len(scored)),
        refusal=_share(sum(1 for o in out if o.refused), len(out)),
        wrongly_refused=_share(sum(1 for o in inside if o.refused), len(inside)),
    )


def by_kind(outcomes: Sequence[Outcome]) -> list[KindFigures]:
    """One row per kind present, in KINDS order (unknown kinds after, unkinded as "—")."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.question.kind or "—", []).append(o)
    order = [k for k in KINDS if k in groups] + sorted(k for k in groups if k not in KINDS)
    return [figures(k, groups[k]) for k in order]


def summary(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    """The totals the issue's targets name."""

    def of(kinds: Sequence[str]) -> list[Outcome]:
        return [o for o in outcomes if o.question.kind in kinds]

    in_scope = [o for o in outcomes if not o.question.out_of_scope]
    return {
        "in_scope_answer_hit": figures("", in_scope).answer_hit,
        "lists_comparisons_hit": figures("", of(("list", "comparison"))).answer_hit,
        "followup_hit": figures("", of(("followup",))).answer_hit,
        "absent_refused": figures("", of(("absent",))).refusal,
        "off_topic_refused": figures("", of(("off_topic",))).refusal,
        "wrongly_refused": figures("", in_scope).wrongly_refused,
        "R@5": _share(
            sum(1 for o in in_scope if o.rank is not None and o.rank <= 5), len(in_scope)
        ),
    }


# (summary key, Vietnamese label, comparison, target)
TARGETS = (
    ("in_scope_answer_hit", "trả lời trúng, câu trong phạm vi", ">=", 0.85),
    ("lists_comparisons_hit", "danh sách và so sánh (đủ mọi ý)", ">=", 0.7),
    ("followup_hit", "câu hỏi nối tiếp", ">=", 0.8),
    ("absent_refused", "văn bản không có: từ chối", ">=", 1.0),
    ("off_topic_refused", "ngoài chủ đề: từ chối", ">=", 0.9),
    ("wrongly_refused", "câu trong phạm vi bị từ chối nhầm", "<=", 0.05),
)


def targets(totals: dict[str, float | None]) -> list[tuple[str, float | None, str, bool]]:
    """(label, measured, 'target', met) for each target; a missing figure is not met."""
    rows = []
    for key, label, op, goal in TARGETS:
        value = totals.get(key)
        met = value is not None and (value >= goal if op == ">=" else value <= goal)
        rows.append((label, value, f"{'≥' if op == '>=' else '≤'} {goal:g}", met))
    return rows


def fmt(value: float | None) -> str:
    """A share as 0.857, or — when there is nothing to measure."""
    return "—" if value is None else f"{value:.3f}"


def kind_table(runs: Sequence[Sequence[KindFigures]]) -> list[str]:
    """A Markdown table, one row per kind; with several runs (as written, folded) each cell
    reads "written → folded"."""
    lines = [
        "| loại | số câu | trả lời trúng | từ chối đúng | từ chối nhầm |",
        "|---|---|---|---|---|",
    ]
    first = runs[0]
    for i, row in enumerate(first):
        cells = []
        for attr in ("answer_hit", "refusal", "wrongly_refused"):
            values = [getattr(run[i], attr) for run in runs]
            cells.append(
                " → ".join(fmt(v) for v in values) if any(v is not None for v in values) else "—"
            )
        lines.append(f"| {row.kind} | {row.n} | " + " | ".join(cells) + " |")
    return lines


def target_lines(totals_runs: Sequence[dict[str, float | None]]) -> list[str]:
    """The targets, measured in each run, with 'đạt' when every run meets it."""
    lines = ["| mục tiêu | ngưỡng | đo được | |", "|---|---|---|---|"]
    checked = [targets(t) for t in totals_runs]
    for i, (label, _, goal, _) in enumerate(checked[0]):
        measured = " → ".join(fmt(run[i][1]) for run in checked)
        met = all(run[i][3] for run in checked)
        lines.append(f"| {label} | {goal} | {measured} | {'đạt' if met else 'chưa đạt'} |")
    return lines
