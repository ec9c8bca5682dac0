"""Quality gates: what makes an item unfit to send, and near-duplicates across the bank.

check_item: the form every item needs (four distinct options, limits; for generated items the
verbatim source and the kind's shape). guess_problems: what lets a member pick the key without
reading (the key echoes the stem, is the longest by far or the only one of its form; a renamed
body asked without "theo văn bản"). gate_bank: those checks over the whole bank, and one item
per source sentence, curated items first.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from bot.ingest.tables import row_fields
from bot.quiz.candidates import NUM, SINGLE_BODY, STOP, tokens
from bot.quiz.items import (
    BLANK,
    MAX_EXPLANATION,
    MAX_OPTION,
    MAX_QUESTION,
    QuizItem,
    clean_text,
    normalise_option,
)
from bot.text.normalize import fold

_KIND_SHAPES = {
    "percent": re.compile(rf"^(?:{NUM})%$"),
    "year": re.compile(r"^(?:19|20)\d\d$"),
    "number": re.compile(rf"^(?:{NUM})$"),
    "code": re.compile(r"^\d{1,4}-[A-Za-zĐđ]+/[A-ZĐƯ]+\d*$"),
    "table-deadline": re.compile(r"^\d{1,2}/20\d\d$"),
    "table-body": SINGLE_BODY,
}


def check_item(item: QuizItem, passage: str | None = None) -> list[str]:
    """Problems that make an item unfit to send (empty list: it passes the gates)."""
    problems: list[str] = []
    if not item.question.strip():
        problems.append("câu hỏi trống")
    if len(item.question) > MAX_QUESTION:
        problems.append(f"câu hỏi dài {len(item.question)} ký tự (tối đa {MAX_QUESTION})")
    if len(item.explanation) > MAX_EXPLANATION:
        problems.append(f"giải thích dài {len(item.explanation)} ký tự (tối đa {MAX_EXPLANATION})")
    if len(item.options) != 4:
        problems.append(f"có {len(item.options)} phương án (cần 4)")
    for option in item.options:
        if not option.strip():
            problems.append("có phương án trống")
        if len(option) > MAX_OPTION:
            problems.append(f"phương án dài {len(option)} ký tự (tối đa {MAX_OPTION})")
    if len({normalise_option(o) for o in item.options}) != len(item.options):
        problems.append("các phương án trùng nhau")
    if not 0 <= item.correct < len(item.options):
        problems.append("đáp án đúng không nằm trong các phương án")
        return problems
    if item.origin == "generated":
        problems += _check_source(item, passage)
        problems += _check_form(item)
    return problems


# Kinds whose options are statements, headings or document facts rather than a filled blank.
STRUCTURAL_KINDS = frozenset(
    {
        "viewpoint",
        "viewpoint-not",
        "task-group-not",
        "task-of",
        "fact-issuer",
        "fact-date",
        "fact-title",
    }
)


def _check_source(item: QuizItem, passage: str | None) -> list[str]:
    problems = []
    if passage is not None and item.source_text not in passage:
        problems.append("câu nguồn không có nguyên văn trong đoạn văn bản")
    clean_source = clean_text(item.source_text)
    if item.kind.startswith("table"):
        values = [value for _, value in row_fields(item.source_text) or []]
        cells = [normalise_option(c.removeprefix("Tháng ")) for c in values]
        if item.kind == "table-target":
            cells = [c.lstrip("≥>=") + "%" for c in cells]
        if normalise_option(item.answer) not in cells:
            problems.append("đáp án không có trong dòng nguồn của bảng")
        quoted = re.search(r"“([^”]+?)…?”", item.question)
        if not quoted or quoted.group(1) not in clean_source:
            problems.append("nội dung trích trong câu hỏi không khớp dòng nguồn")
        return problems
    if item.kind in STRUCTURAL_KINDS:
        return problems  # options are quoted statements or headings, not a blank
    if item.kind == "document":
        if clean_source not in item.question:
            problems.append("câu trích không khớp nguyên văn")
        return problems
    if BLANK not in item.question:
        problems.append("câu hỏi không có chỗ trống")
        return problems
    stem = item.question.split(": ", 1)[1] if item.question.startswith("Theo ") else item.question
    if stem.replace(BLANK, item.answer, 1) not in clean_source:
        problems.append("điền đáp án vào chỗ trống không ra nguyên văn câu nguồn")
    return problems


def _check_form(item: QuizItem) -> list[str]:
    problems = []
    shape = _KIND_SHAPES.get(item.kind)
    if shape and not all(shape.match(o) for o in item.options):
        problems.append("các phương án không cùng dạng")
    lengths = [len(o) for o in item.options]
    ratio = 3.5 if item.kind == "table-body" else 2.2
    if item.kind in ("name", "body", "table-body") and max(lengths) > ratio * min(lengths):
        problems.append("độ dài các phương án chênh lệch, dễ đoán")
    if item.kind == "body" and len({o.split()[0] for o in item.options}) != 1:
        problems.append("các cơ quan không cùng loại")
    stem_words = tokens(item.question.replace(BLANK, " ")) - STOP
    option_words = [tokens(o) for o in item.options]
    shared = set.intersection(*option_words)
    echoes = [bool((w - shared) & stem_words) for w in option_words]
    if item.kind != "document" and sum(echoes) == 1 and echoes[item.correct]:
        problems.append("một phương án lặp lại từ trong câu hỏi, dễ đoán")
    return problems


# Bodies renamed or merged since the documents were issued: questions say "theo văn bản".
RENAMED_BODIES = (
    "Bộ Thông tin và Truyền thông",
    "Bộ Kế hoạch và Đầu tư",
    "Ban Tuyên giáo Trung ương",
    "Ban Kinh tế Trung ương",
    "Ban Dân vận Trung ương",
    "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Tài nguyên và Môi trường",
    "Bộ Nông nghiệp và Phát triển nông thôn",
    "Bộ Giao thông vận tải",
    "Đảng đoàn Quốc hội",
    "Ban cán sự đảng Chính phủ",
    # The National Assembly's committees were merged in 2025.
    "Ủy ban Pháp luật",
    "Ủy ban Tư pháp",
    "Ủy ban Kinh tế",
    "Ủy ban Tài chính, Ngân sách",
    "Ủy ban Xã hội",
    "Ủy ban Văn hóa, Giáo dục",
    "Ủy ban Đối ngoại",
    "Ủy ban Quốc phòng và An ninh",
)
# How a question says a body is named as it was when the document was issued.
AS_ISSUED = ("theo văn bản", "tại thời điểm ban hành")
# Words of the question's frame ("Theo Nghị quyết … , nội dung nào …?"): echoing them says nothing.
_FRAME = STOP | set(
    "theo van ban nghi quyet ket luan ke hoach chuong trinh hanh dong phu luc so nao gi nhu the "
    "bao nhieu la duoc co mot nhung cac khi nay do o dau ai nam den muc sau day khong phai".split()
)
KEY_LENGTH_RATIO = 1.3  # the key may be at most this much longer than the longest other option
KEY_LENGTH_SLACK = 6  # characters: "Tổng Bí thư" beside "Chủ tịch nước" is not a giveaway


def _content(text: str) -> set[str]:
    """Two-syllable runs within a phrase ("khoa học", "dữ liệu"), frame words dropped: Vietnamese
    words are mostly two syllables, and single syllables recur by chance (tự do / tư vấn)."""
    pairs = set()
    for phrase in re.split(r"[^\w\s]+", fold(text)):
        words = [w for w in phrase.split() if w]
        for a, b in itertools.pairwise(words):
            if not (a in _FRAME and b in _FRAME) and not (a.isdigit() or b.isdigit()):
                pairs.add(f"{a} {b}")
    return pairs


def _form(option: str) -> tuple[bool, bool, bool]:
    """What a glance sees: a number, a quotation, a percentage."""
    return (bool(re.search(r"\d", option)), bool(re.search(r"[“”\"]", option)), "%" in option)


def guess_problems(item: QuizItem) -> list[str]:
    """What lets a member who has not read the document pick the key (empty: none found)."""
    if len(item.options) != 4 or not 0 <= item.correct < 4:
        return []
    problems = []
    key = item.options[item.correct]
    others = [o for i, o in enumerate(item.options) if i != item.correct]
    question = item.question.replace(BLANK, " ")
    # The citation ("… ngày 09/01/2025 của Chính phủ") names the issuer, not the subject asked.
    question = re.sub(r"ngày \d{1,2}/\d{1,2}/\d{4} của (?:Chính phủ|Bộ Chính trị)", " ", question)
    if item.kind in ("document", "which-document"):
        question = re.sub(r"“[^”]*”", " ", question)  # the quotation is not the question's frame
    stem = _content(question)
    shared_by_all = set.intersection(*(_content(o) for o in item.options))
    echo = (_content(key) - shared_by_all) & stem
    if echo and not any((_content(o) - shared_by_all) & stem for o in others):
        problems.append(f"chỉ đáp án lặp từ của câu hỏi ({', '.join(sorted(echo))}), dễ đoán")
    longest = max(len(o) for o in others)
    if len(key) > KEY_LENGTH_RATIO * longest and len(key) - longest > KEY_LENGTH_SLACK:
        problems.append("đáp án dài hơn hẳn các phương án khác, dễ đoán")
    forms = [_form(o) for o in item.options]
    if forms.count(forms[item.correct]) == 1:
        problems.append("đáp án là phương án duy nhất khác dạng (số, trích dẫn, phần trăm)")
    unquoted = re.sub(r"“[^”]*”", "", item.question)
    named = any(body in unquoted + " " + " ".join(item.options) for body in RENAMED_BODIES)
    said = any(phrase in item.question.lower() for phrase in AS_ISSUED)
    if named and not said and item.kind != "document":
        problems.append("nêu cơ quan đã đổi tên mà câu hỏi không nói “theo văn bản”")
    return problems


def gate_bank(items: list[QuizItem]) -> tuple[list[QuizItem], list[str]]:
    """The items fit to serve, in order, and why the others were left out (in Vietnamese).

    One item per source sentence across the whole bank (curated first, so a generated item never
    repeats what a curated one asks): a sentence asked twice gives one item's answer away.
    """
    kept: list[QuizItem] = []
    problems: list[str] = []
    for item in items:
        issues = guess_problems(item)
        # Generated document facts quote the metadata, not a sentence: they share it by design.
        if not issues and item.source_text and not item.kind.startswith("fact-"):
            twin = next((k for k in kept if _same_source(k, item)), None)
            if twin is not None:
                issues = [f"cùng câu nguồn với câu “{twin.question[:60]}…”"]
        if issues:
            problems.append(f"Loại câu “{item.question[:70]}…”: " + "; ".join(issues))
        else:
            kept.append(item)
    return kept, problems


def _same_source(a: QuizItem, b: QuizItem) -> bool:
    """True when two items quote the same sentence or clause (also across documents: a plan
    repeats its resolution word for word), judged by their 4-word runs in common."""
    if not a.source_text or a.kind.startswith("fact-"):
        return False
    sa, sb = _shingles(a.source_text), _shingles(b.source_text)
    if not sa or not sb:
        return _folded(a.source_text) == _folded(b.source_text)
    shared = len(sa & sb)
    # Half the shorter one, and a quarter of the longer: a long sentence that merely names the
    # same target in passing is another sentence.
    return shared >= 0.5 * min(len(sa), len(sb)) and shared >= 0.25 * max(len(sa), len(sb))


@lru_cache(maxsize=20000)
def _shingles(text: str, n: int = 4) -> frozenset[str]:
    words = re.findall(r"\w+", _folded(text))
    return frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))


@lru_cache(maxsize=20000)
def _words(text: str) -> frozenset[str]:
    return frozenset(_folded(text).split())


@lru_cache(maxsize=20000)
def _folded(text: str) -> str:
    return fold(clean_text(text))


def drop_near_duplicates(items: list[QuizItem]) -> list[QuizItem]:
    """One item per fact: reports restate a figure in summary and in detail."""
    kept: list[QuizItem] = []
    for item in items:
        words = _words(item.source_text)
        duplicate = any(
            k.doc_id == item.doc_id
            and k.answer == item.answer
            and len(words & _words(k.source_text)) > 0.35 * len(words | _words(k.source_text))
            for k in kept
        )
        if not duplicate:
            kept.append(item)
    return kept


def overlaps(a: str, b: str, share: float = 0.5) -> bool:
    """True when two sentences say the same thing: one holds the other, or most words agree."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    short, long_ = sorted((_folded(a), _folded(b)), key=len)
    if len(short) >= 30 and short in long_:
        return True
    return len(wa & wb) > share * min(len(wa), len(wb))
