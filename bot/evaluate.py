"""Retrieval and answer metrics over a questions JSONL (format and metrics: shared docs/EVAL.md)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.text.normalize import fold, normalize

METRIC_KEYS = (
    "R@1",
    "R@5",
    "R@10",
    "MRR@10",
    "answer_hit",
    "refusal_accuracy",
    "p50_ms",
    "p95_ms",
    "questions",
)

# Markdown emphasis (** and a lone * around words) and backslash escapes ("57\\-NQ/TW").
_MARKUP = re.compile(r"\*+|\\(?=[-.*_#\[\]()])")
_SPACE = re.compile(r"\s+")
# A full date written either way: "ngày 11 tháng 01 năm 2024", "11/01/2024", "5-5-2022".
_DATE_WORDS = re.compile(r"(?:ngày )?(\d{1,2}) tháng (\d{1,2}) năm (\d{4})")
_DATE_DIGITS = re.compile(r"(?:ngày )?\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b")


@dataclass(frozen=True)
class EvalQuestion:
    """One line of a questions JSONL."""

    id: str
    question: str
    gold_docs: tuple[str, ...] = ()
    gold_texts: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    out_of_scope: bool = False
    kind: str = ""  # the member-question set's kind (fact, list, followup, absent, …)
    all_answers: tuple[str, ...] = ()  # lists and comparisons: every one must be shown
    chat: str = ""  # lines with the same chat are one conversation, asked in file order


@dataclass(frozen=True)
class Outcome:
    """What the system did with one question."""

    question: EvalQuestion
    asked: str  # the question as sent (folded with --fold-queries)
    rank: int | None  # 1-based rank of the first relevant passage, None if not retrieved
    answer_hit: bool | None  # None when the question has no short answers
    refused: bool  # the user was told "not found"
    ms: float
    top: list[str] = field(default_factory=list)  # doc ids of the first passages, for --failures


def match_text(text: str) -> str:
    """Text as compared by EVAL.md: NFC, one tone convention, casefold, markup off, one space."""
    text = _MARKUP.sub("", text or "")
    return _SPACE.sub(" ", normalize(text).casefold()).strip()


def _dates_one_way(text: str) -> str:
    """Matched text with every full date as dd/mm/yyyy, so a header's "11/01/2024" and a
    note's "ngày 11 tháng 01 năm 2024" are the same answer."""

    def canon(m: re.Match) -> str:
        return f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}"

    return _DATE_DIGITS.sub(canon, _DATE_WORDS.sub(canon, text))


def is_relevant(doc_id: str, text: str, question: EvalQuestion) -> bool:
    """A passage is relevant when its document is gold and it holds a gold text (if any)."""
    if doc_id not in question.gold_docs:
        return False
    if not question.gold_texts:
        return True
    passage = match_text(text)
    return any(match_text(gold) in passage for gold in question.gold_texts)


def load_questions(path: Path | str) -> list[EvalQuestion]:
    """Read a questions JSONL file."""
    questions = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        questions.append(
            EvalQuestion(
                id=str(row.get("id", len(questions))),
                question=row["question"],
                gold_docs=tuple(row.get("gold_docs") or ()),
                gold_texts=tuple(row.get("gold_texts") or ()),
                answers=tuple(row.get("answers") or ()),
                out_of_scope=bool(row.get("out_of_scope")) or not row.get("gold_docs"),
                kind=str(row.get("kind") or ""),
                all_answers=tuple(row.get("all_answers") or ()),
                chat=str(row.get("chat") or ""),
            )
        )
    return questions


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def compute_metrics(outcomes: Sequence[Outcome]) -> dict:
    """The EVAL.md metrics; recall and MRR over in-scope questions, refusal over all."""
    in_scope = [o for o in outcomes if not o.question.out_of_scope]

    def recall(k: int) -> float | None:
        if not in_scope:
            return None
        return sum(1 for o in in_scope if o.rank is not None and o.rank <= k) / len(in_scope)

    mrr = (
        sum(1.0 / o.rank for o in in_scope if o.rank is not None and o.rank <= 10) / len(in_scope)
        if in_scope
        else None
    )
    with_answers = [o for o in in_scope if o.answer_hit is not None]
    answer_hit = (
        sum(1 for o in with_answers if o.answer_hit) / len(with_answers) if with_answers else None
    )
    refusal = (
        sum(1 for o in outcomes if o.refused == o.question.out_of_scope) / len(outcomes)
        if outcomes
        else None
    )
    times = [o.ms for o in outcomes]

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "R@1": rounded(recall(1)),
        "R@5": rounded(recall(5)),
        "R@10": rounded(recall(10)),
        "MRR@10": rounded(mrr),
        "answer_hit": rounded(answer_hit),
        "refusal_accuracy": rounded(refusal),
        "p50_ms": round(_percentile(times, 0.5), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
        "questions": len(outcomes),
    }


@dataclass(frozen=True)
class Reply:
    """What answer_fn returns when it knows more than the plain triple."""

    passages: list[tuple[str, str]]  # ranked passages as (doc_id, text)
    shown: str  # the text the member is shown
    found: bool
    cited: tuple[str, ...] = ()  # doc ids of the quoted passages, in the order shown
    ms: float | None = None  # the member's wait, when answer_fn times it itself


# answer_fn(question[, conversation]) -> (ranked passages as (doc_id, text), shown text, found)
# or a Reply. The conversation argument is passed only to questions with a "chat".
AnswerFn = Callable[..., "tuple[list[tuple[str, str]], str, bool] | Reply"]


def answer_hit(q: EvalQuestion, shown: str, found: bool, cited: Sequence[str] = ()) -> bool | None:
    """Whether the shown answer holds the gold: one of `answers`, or every one of `all_answers`.

    Full dates compare however they are written (a header's "11/01/2024" is the note's "ngày 11
    tháng 01 năm 2024"). A draft-vs-resolution question ("draft") also needs its first quote
    from a gold document. None when the question has no gold answers or is out of scope.
    """
    if q.out_of_scope or not (q.answers or q.all_answers):
        return None
    shown_m = match_text(shown) if found else ""
    if not shown_m:
        return False
    shown_d = _dates_one_way(shown_m)

    def holds(gold: str) -> bool:
        gold_m = match_text(gold)
        return gold_m in shown_m or _dates_one_way(gold_m) in shown_d

    hit = (all if q.all_answers else any)(holds(a) for a in q.all_answers or q.answers)
    if hit and q.kind == "draft" and cited:
        hit = cited[0] in q.gold_docs
    return hit


def run_questions(
    questions: Iterable[EvalQuestion],
    answer_fn: AnswerFn,
    fold_queries: bool = False,
    new_conversation: Callable[[], object] | None = None,
) -> list[Outcome]:
    """Ask every question, timing each, and record rank, answer hit and refusal.

    With new_conversation, the lines of one chat are asked in order through one conversation
    object made by it (answer_fn(question, conversation)); other lines stand alone.
    """
    outcomes = []
    conversations: dict[str, object] = {}
    for q in questions:
        asked = fold(q.question) if fold_queries else q.question
        args: tuple = (asked,)
        if q.chat and new_conversation is not None:
            if q.chat not in conversations:
                conversations[q.chat] = new_conversation()
            args = (asked, conversations[q.chat])
        start = time.perf_counter()
        reply = answer_fn(*args)
        ms = (time.perf_counter() - start) * 1000.0
        if not isinstance(reply, Reply):
            reply = Reply(*reply)
        if reply.ms is not None:
            ms = reply.ms
        passages = reply.passages
        rank = next(
            (i for i, (doc, text) in enumerate(passages, start=1) if is_relevant(doc, text, q)),
            None,
        )
        cited = reply.cited or tuple(doc for doc, _ in passages[:1])
        outcomes.append(
            Outcome(
                question=q,
                asked=asked,
                rank=rank,
                answer_hit=answer_hit(q, reply.shown, reply.found, cited),
                refused=not reply.found,
                ms=ms,
                top=[doc for doc, _ in passages[:3]],
            )
        )
    return outcomes


def failures(outcomes: Sequence[Outcome], k: int = 5) -> list[Outcome]:
    """Questions missed: wrong refusal, no relevant passage in the top k, or no answer hit."""
    missed = []
    for o in outcomes:
        if o.refused != o.question.out_of_scope:
            missed.append(o)
        elif not o.question.out_of_scope and (
            o.rank is None or o.rank > k or o.answer_hit is False
        ):
            missed.append(o)
    return missed


def describe_failure(o: Outcome) -> str:
    """One line for --failures."""
    if o.question.out_of_scope:
        why = "không từ chối câu ngoài phạm vi"
    elif o.refused:
        why = "từ chối nhầm"
    elif o.rank is None:
        why = "không có đoạn đúng"
    elif o.answer_hit is False:
        why = f"đoạn đúng hạng {o.rank}, câu trả lời không chứa đáp án"
    else:
        why = f"đoạn đúng hạng {o.rank}"
    kind = f"[{o.question.kind}] " if o.question.kind else ""
    return f"{o.question.id}\t{kind}{why}\t{o.asked}\t→ {', '.join(o.top)}"
