"""Whether the quoted sentences themselves hold the question's content words: a question in
the documents' vocabulary about something they do not treat ("Luật Đất đai 2024 có hiệu lực
từ ngày nào?") finds sentences that share its frame ("có hiệu lực … kể từ ngày") but not
its subject. Measured on scripts/data/member_questions.jsonl and the off-topic lists with
benchmarks/bench_members.py."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable

from bot.answer.quotes import mentions_number
from bot.text import question_words as qw
from bot.text.codes import find_question_codes
from bot.text.normalize import fold, has_diacritics

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = qw.FUNCTION_WORDS | qw.QUESTION_WORDS | qw.FRAME_WORDS


def sentence_support(
    question: str,
    texts: Iterable[str],
    document_frequency: Callable[[str, bool], int],
    passages: int,
) -> float:
    """IDF-weighted share of the question's content words found in the quoted texts; a word
    typed with its marks must match with them, one typed without, folded."""
    accented = has_diacritics(question)
    codes = find_question_codes(question)
    code_words = {w for c in codes for w in _WORD.findall(fold(str(c)))}
    code_words |= {c.number.lstrip("0") for c in codes}
    words = [
        w
        for w in _WORD.findall(qw.strip_question_words(question).lower())
        if fold(w) not in _STOP and fold(w) not in code_words
    ]
    if not words:
        return 1.0
    joined = " ".join(texts)
    have = set(_WORD.findall(joined.lower())) if accented else set(_WORD.findall(fold(joined)))
    total = covered = 0.0
    for word in words:
        key = word if accented else fold(word)
        idf = math.log(1.0 + passages / (1.0 + document_frequency(key, accented)))
        total += idf
        if key in have:
            covered += idf
    return covered / total if total else 1.0


# Words that ask about today's world, which the documents cannot know.
_NOW = ("hien nay", "nam nay", "hom nay", "moi nhat", "bay gio", "hien tai", "gan day")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def asks_outside(question: str, texts: Iterable[str]) -> bool:
    """True for 'hiện nay', 'năm nay' questions, and for a year the passages never mention
    ("lạm phát năm 2024"): facts of the world, not of these documents."""
    folded = qw.folded_words(question)
    if any(f" {w} " in folded for w in _NOW):
        return True
    years = set(_YEAR.findall(question))
    if not years:
        return False
    joined = " ".join(texts)
    return not years & set(_YEAR.findall(joined))


# A number question names what it counts: "có bao nhiêu trường đại học công lập", "mức lương
# cơ sở … là bao nhiêu". The answer is a sentence with a number and that phrase, not one with
# a number and the phrase's words scattered ("03 cơ sở nghiên cứu … trường đại học trọng điểm").
_COUNTED = re.compile(r"\b(bao nhieu|may)\b")
_PHRASE_ENDS = frozenset(
    """cua cho trong nam tai o la dat chiem duoc theo va voi ve co thi tu den khi nhu moi mot
    cac nay do kia hay hoac""".split()
)
# Folded, these are also content words ("đảng", "nhũng", "cơ sở", "lạm phát", "đầu tư",
# "đề án", "tài chính", "cụ thể", "trình độ", "Đà Nẵng"): they do not end a phrase.
_AMBIGUOUS = frozenset("dang nhung co so lam tu de tai the do da ve ma dau".split())
_UNITS = frozenset("phan tram nguoi lan ty trieu nghin ngan dong tien nam thang ngay".split())
_PERCENT = re.compile(r"%|phần trăm|phan tram", re.I)


def _ends_phrase(word: str) -> bool:
    if word in _AMBIGUOUS:
        return False
    return word in _PHRASE_ENDS or word in qw.FUNCTION_WORDS or word in qw.QUESTION_WORDS


def counted_phrase(question: str) -> list[str]:
    """The folded words a number question counts or measures: those after "bao nhiêu / mấy",
    else the question's first run of content words ("mức lương cơ sở"); [] for other questions."""
    words = _WORD.findall(fold(question))
    joined = " ".join(words)
    match = _COUNTED.search(joined)
    if not match:
        return []
    at = joined[: match.start()].count(" ") + len(match.group(1).split())
    after: list[str] = []
    for word in words[at:]:
        if _ends_phrase(word) or word.isdigit():
            break
        after.append(word)
    counted = [w for w in after if w not in _UNITS]
    if counted:
        return counted
    if after:
        return after  # "bao nhiêu người", "bao nhiêu phần trăm": the unit itself
    before = words[: at - len(match.group(1).split())]
    rate = next(
        (i for i, w in enumerate(before[:-1]) if w in ("ty", "ti") and before[i + 1] == "le"), None
    )
    if rate is not None:
        before = before[rate + 2 :]  # "tỉ lệ cán bộ có chuyên môn …": what the rate is of
    run: list[str] = []
    for word in before:
        frame = not run and word in qw.FRAME_WORDS  # "Nghị quyết 57 …" opens, "cán bộ" runs on
        if _ends_phrase(word) or word.isdigit() or frame:
            if run:
                break
            continue
        run.append(word)
    return run


def states_count(question: str, texts: Iterable[str]) -> bool:
    """False when no quoted sentence holds a number beside the phrase the question counts: the
    whole phrase for up to three words, else its first pair and most of its pairs."""
    phrase = counted_phrase(question)
    if not phrase:
        return True
    pairs = list(itertools.pairwise(phrase))
    for text in texts:
        if not mentions_number(text):
            continue
        if phrase == ["phan", "tram"]:
            if _PERCENT.search(text):
                return True
            continue
        words = _WORD.findall(fold(text))
        if len(phrase) == 1:
            if phrase[0] in words:
                return True
            continue
        have = set(itertools.pairwise(words))
        held = [p in have for p in pairs]
        if all(held) or (len(phrase) > 3 and held[0] and sum(held) >= 0.6 * len(held)):
            return True
    return False
