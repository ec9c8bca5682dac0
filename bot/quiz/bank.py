"""Curated question banks: knowledge/quiz/*.yaml written by admins, validated in Vietnamese."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.quiz.candidates import CODE_RE, canonical_code
from bot.quiz.checks import check_item
from bot.quiz.items import MAX_EXPLANATION, QuizItem, item_id

BANK_SUFFIXES = (".yaml", ".yml")
REJECTED_FILE = "rejected.txt"  # ids an admin rejected, one a line; "#" starts a comment


class BankError(Exception):
    """A curated bank that cannot be used; str(exc) lists the problems in Vietnamese."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def _source_fields(source: Any) -> dict[str, str]:
    if source is None:
        return {}
    if isinstance(source, str):
        m = CODE_RE.search(source)
        fields = {"text": source}
        if m:
            fields["code"] = canonical_code(m.group(0))
        return fields
    if isinstance(source, dict):
        return {str(k): str(v) for k, v in source.items() if v is not None}
    raise ValueError("nguồn (source) phải là chuỗi hoặc bảng code/doc/heading/text")


def parse_bank(text: str, name: str) -> list[QuizItem]:
    """Items of one bank file; raise BankError naming the file and each bad item."""
    items, problems = read_bank(text, name)
    if problems:
        raise BankError(problems)
    return items


def read_bank(text: str, name: str) -> tuple[list[QuizItem], list[str]]:
    """The good items of one bank file and the problems of the others (each names the file and
    the item): a bad item costs only itself. A file that is not valid YAML raises BankError."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark else ""
        raise BankError([f"{name}: không đọc được YAML{where}: {exc}"]) from exc
    defaults: dict[str, str] = {}
    if isinstance(data, dict) and "items" in data:
        try:
            defaults = _source_fields(data.get("source"))
        except ValueError as exc:
            raise BankError([f"{name}: {exc}"]) from exc
        data = data["items"]
    if data is None:
        return [], []
    if not isinstance(data, list):
        raise BankError([f"{name}: tệp phải là một danh sách câu hỏi (mỗi câu bắt đầu bằng '- ')"])
    items: list[QuizItem] = []
    problems: list[str] = []
    positions = key_positions(len(data), name)
    for number, entry in enumerate(data, start=1):
        where = f"{name}, câu {number}"
        try:
            item = _entry_to_item(entry, defaults, positions[number - 1])
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        issues = check_item(item)
        if issues:
            problems.append(f"{where}: " + "; ".join(issues))
            continue
        items.append(item)
    return items, problems


def key_positions(count: int, name: str) -> list[int]:
    """Where each of a file's count items puts its right answer: each of A–D as often as the
    others (within one), in an order fixed by the file's name but with no pattern to follow."""
    positions = [i % 4 for i in range(count)]
    random.Random(name).shuffle(positions)
    return positions


def _entry_to_item(
    entry: Any, defaults: dict[str, str] | None = None, position: int | None = None
) -> QuizItem:
    if not isinstance(entry, dict):
        raise ValueError("mỗi câu phải có các khóa question, options, correct, explanation")
    missing = [k for k in ("question", "options", "correct") if entry.get(k) in (None, "")]
    if missing:
        raise ValueError("thiếu " + ", ".join(missing))
    question = str(entry["question"]).strip()
    options = entry["options"]
    if not isinstance(options, list) or not all(isinstance(o, str | int | float) for o in options):
        raise ValueError("options phải là danh sách các phương án")
    options = [str(o).strip() for o in options]
    if len(options) != 4:
        raise ValueError(f"cần đúng 4 phương án, có {len(options)}")
    correct = entry["correct"]
    if isinstance(correct, bool):
        raise ValueError("correct phải là số thứ tự (0-3) hoặc nội dung phương án đúng")
    if isinstance(correct, int):
        if not 0 <= correct < len(options):
            raise ValueError(f"correct = {correct} ngoài khoảng 0-{len(options) - 1}")
        index = correct
    else:
        text = str(correct).strip()
        if text not in options:
            raise ValueError(f"đáp án đúng “{text}” không có trong options")
        index = options.index(text)
    # A file may name its document once ("source:" beside "items:"); an item adds heading, text.
    source = {**(defaults or {}), **_source_fields(entry.get("source"))}
    explanation = str(entry.get("explanation") or "").strip()
    if not explanation:
        explanation = _explanation(options[index], source)
    if not (source.get("code") or source.get("doc") or source.get("text")):
        raise ValueError("thiếu nguồn (source): mã văn bản, tên tệp hoặc câu trích")
    if entry.get("shuffle", True):
        # Authors tend to write the right answer first: the poll must not always say "A", nor
        # say one letter more often than the others (position: key_positions).
        answer = options.pop(index)
        random.Random(question).shuffle(options)
        index = random.Random(question).randrange(4) if position is None else position
        options.insert(index, answer)
    return QuizItem(
        id=item_id(question, options),
        question=question,
        options=tuple(options),
        correct=index,
        explanation=explanation,
        doc_id=source.get("doc"),
        code=source.get("code"),
        source_text=source.get("text", ""),
        kind=str(entry.get("kind") or "curated"),
        origin="curated",
        heading=source.get("heading", ""),
    )


def _explanation(answer: str, source: dict[str, str]) -> str:
    """'Đáp án: … Nguồn: 57-NQ/TW, mục I, điểm 3.' within the explanation limit."""
    cite = ", ".join(
        x for x in (source.get("code") or source.get("doc"), source.get("heading")) if x
    )
    text = f"Đáp án: {answer}." + (f" Nguồn: {cite}." if cite else "")
    if len(text) > MAX_EXPLANATION:
        text = text[: MAX_EXPLANATION - 1].rsplit(" ", 1)[0].rstrip(",;") + "…"
    return text


def bank_files(quiz_dir: Path) -> list[Path]:
    """The bank files in quiz_dir, sorted."""
    if not quiz_dir.is_dir():
        return []
    return sorted(p for p in quiz_dir.iterdir() if p.suffix in BANK_SUFFIXES and p.is_file())


def load_banks(quiz_dir: Path) -> tuple[list[QuizItem], list[str]]:
    """The good items of every bank, and the problems of the bad items and unreadable files
    (those are skipped, and listed for the admin by `nqbot quiz export`)."""
    items: list[QuizItem] = []
    problems: list[str] = []
    for path in bank_files(quiz_dir):
        try:
            good, bad = read_bank(path.read_text(encoding="utf-8"), path.name)
            items.extend(good)
            problems.extend(bad)
        except BankError as exc:
            problems.extend(exc.problems)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: không đọc được tệp ({exc})")
    return items, problems


def merge_items(curated: Iterable[QuizItem], generated: Iterable[QuizItem]) -> list[QuizItem]:
    """Curated items first; a generated item asking the same question is dropped."""
    out = list(curated)
    asked = {it.question.strip().lower() for it in out}
    ids = {it.id for it in out}
    for item in generated:
        if item.id not in ids and item.question.strip().lower() not in asked:
            out.append(item)
            ids.add(item.id)
    return out


def to_bank_entry(item: QuizItem) -> dict[str, Any]:
    """An item in the curated-bank format, for admins to edit and promote."""
    source = {"code": item.code, "doc": item.doc_id, "heading": item.heading or None}
    source["text"] = item.source_text
    return {
        "question": item.question,
        "options": list(item.options),
        "correct": item.correct,
        "explanation": item.explanation,
        "shuffle": False,  # keep the order shown in the export
        "source": {k: v for k, v in source.items() if v},
    }


def dump_bank(items: Iterable[QuizItem]) -> str:
    """YAML text of items in the curated-bank format."""
    return yaml.safe_dump(
        [to_bank_entry(it) for it in items], allow_unicode=True, sort_keys=False, width=100
    )


def load_rejected(quiz_dir: Path) -> set[str]:
    """Ids of the items an admin rejected (they never come back, whatever is re-indexed)."""
    path = quiz_dir / REJECTED_FILE
    if not path.is_file():
        return set()
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        item = line.split("#", 1)[0].strip()
        if item:
            ids.add(item)
    return ids


def reject(quiz_dir: Path, item_id: str, note: str = "") -> bool:
    """Add an id to the rejected list; False when it was there already."""
    if item_id in load_rejected(quiz_dir):
        return False
    quiz_dir.mkdir(parents=True, exist_ok=True)
    line = item_id + (f"  # {note[:120]}" if note else "")
    with (quiz_dir / REJECTED_FILE).open("a", encoding="utf-8") as handle:
        handle.write(line.replace("\n", " ") + "\n")
    return True
