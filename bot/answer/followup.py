"""A follow-up ("còn đến 2045?", "thế còn nq 20 thì sao?", "ai chịu trách nhiệm việc đó?")
rewritten as the whole question it stands for, from the previous turn of the chat."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer.reading import header_ask
from bot.conversation import Conversation
from bot.text import question_words as qw
from bot.text.codes import find_question_codes
from bot.text.normalize import fold

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_WORD = re.compile(r"\w+", re.UNICODE)
_ORDINAL = re.compile(
    r"(?i)\b(?:thứ|thu)\s+(?:\d{1,2}|nhất|nhat|hai|ba|tư|tu|bốn|bon|năm|nam|sáu|sau|bảy|bay)\b"
)
FOLLOWUP_CONTENT_WORDS = 3  # a question with more words of its own stands alone


@dataclass(frozen=True)
class Turn:
    """The question as it will be answered, and the documents it is restricted to."""

    question: str
    doc_ids: tuple[str, ...] = ()  # the previous answer's documents, for a follow-up
    followup: bool = False
    implicit: bool = False  # no follow-up word: kept only if the previous documents answer it
    typed: str = ""  # the question as typed, when it was rewritten
    # The follow-up's own words when they were only joined to the previous subject
    # ("đã kỷ luật bao nhiêu người" + the previous question): the search uses the whole, the
    # quotes are chosen by these words, and the chat keeps the previous subject.
    focus: str = ""


def resolve(question: str, conversation: Conversation | None) -> Turn:
    """The whole question a follow-up stands for; any other question as it is."""
    if conversation is None or not conversation.active():
        return Turn(question)
    folded = qw.folded_words(question)
    words = folded.split()
    opening = next((o for o in qw.FOLLOWUP_OPENINGS if folded.startswith(f" {o} ")), "")
    reference = next((r for r in qw.FOLLOWUP_REFERENCES if f" {r} " in folded), "")
    ending = next((e for e in qw.FOLLOWUP_ENDINGS if folded.endswith(f" {e} ")), "")
    marker_words = set(opening.split()) | set(ending.split()) | set(reference.split())
    own = [
        w
        for w in words
        if w not in marker_words
        and not w.isdigit()
        and w not in qw.FUNCTION_WORDS
        and w not in qw.QUESTION_WORDS
        and w not in qw.FRAME_WORDS
    ]
    short = len(own) <= FOLLOWUP_CONTENT_WORDS
    previous = conversation.subject
    # "nq 20 thì sao?" only: a question ending so with words of its own stands alone.
    if ending and not (opening or reference) and len(own) > 1:
        return Turn(question)
    subject = qw.strip_question_words(previous)
    if not (opening or reference or ending):
        if short and not find_question_codes(question):
            # "ban hành ngày nào?", "thời hạn khi nào": short, no document named.
            if _asks_header(question):
                return Turn(question, conversation.doc_ids, True, implicit=True)
            asked = f"{question.strip().rstrip('?')} {subject}".strip()
            return Turn(
                asked, conversation.doc_ids, True, implicit=True, typed=question, focus=question
            )
        return Turn(question)
    if not short and not reference and not opening:
        return Turn(question)
    core = _strip(question, opening, ending, reference)
    codes = find_question_codes(core)
    if codes:
        # "thế còn nq 20 thì sao?": the previous question about the newly named document.
        rest = _without_codes(previous)
        return Turn(f"{core} {rest}".strip(), followup=True)
    if not short and not reference:
        # "còn đơn đăng ký sáng chế?": the previous question's frame for a new subject.
        return Turn(f"{core} {subject}", conversation.doc_ids, True, focus=core)
    if _asks_header(core):
        # "ai viết bài đó?", "ký ngày nào?": the previous answer's document's header.
        return Turn(question, doc_ids=conversation.doc_ids, followup=True)
    years = _YEAR.findall(core)
    old_years = _YEAR.findall(previous)
    if years and old_years:
        # "còn đến 2045?", "còn tầm nhìn 2045?": the previous question with its year replaced.
        asked = previous.replace(old_years[0], years[0])
        return Turn(asked, doc_ids=conversation.doc_ids, followup=True)
    if any(f" {w} " in qw.folded_words(core) for w in qw.SECTION_WORDS):
        # "còn mục tiêu cụ thể đến 2020?": another part of the same document.
        return Turn(core, doc_ids=conversation.doc_ids, followup=True)
    ordinal = _ORDINAL.search(core)
    if ordinal and _ORDINAL.search(previous):
        # "còn quan điểm thứ 3?": the previous question with its ordinal replaced.
        asked = _ORDINAL.sub(ordinal.group(0), previous, count=1)
        return Turn(asked, doc_ids=conversation.doc_ids, followup=True)
    if years:
        # "còn đến 2045?" after a question without a year: the year added to it.
        return Turn(f"{previous} {' '.join(years)}", doc_ids=conversation.doc_ids, followup=True)
    swapped = _swap_body(previous, core)
    if swapped:
        # "còn Ủy ban Kinh tế?": the previous question asked of another body.
        return Turn(swapped, doc_ids=conversation.doc_ids, followup=True)
    # "ai chịu trách nhiệm việc đó?": the new question about the previous subject.
    return Turn(f"{core} {subject}".strip(), doc_ids=conversation.doc_ids, followup=True)


def _asks_header(question: str) -> bool:
    """Who signed or wrote it, its number, dates, recipients, issuer: a fact of the header."""
    return bool(header_ask(qw.folded_words(question)))


def remember(conversation: Conversation | None, turn: Turn, doc_ids: tuple[str, ...]) -> None:
    """Record the answered turn as the context of the next one (forget on a miss)."""
    if conversation is None:
        return
    import time

    if not doc_ids:
        if not turn.followup:
            conversation.clear()
        return
    conversation.turns = conversation.turns + 1 if turn.followup else 0
    if not turn.focus:  # a follow-up that joined its words to the subject keeps the subject
        conversation.subject = turn.question
    conversation.doc_ids = doc_ids
    conversation.updated = time.time()


def _strip(question: str, opening: str, ending: str, reference: str) -> str:
    """The question without its follow-up words, as typed."""
    words = question.strip().rstrip("?!. ").split()
    folded = [" ".join(_WORD.findall(fold(w))) for w in words]
    for phrase, where in ((opening, "start"), (ending, "end"), (reference, "any")):
        if not phrase:
            continue
        target = phrase.split()
        n = len(target)
        starts = {"start": [0], "end": [len(words) - n]}.get(where, range(len(words) - n + 1))
        for i in starts:
            if i >= 0 and folded[i : i + n] == target:
                words, folded = words[:i] + words[i + n :], folded[:i] + folded[i + n :]
                break
    return " ".join(words).strip(" ,")


def _swap_body(previous: str, core: str) -> str:
    """previous with the body it names replaced by the body core names, or ''."""
    core_folded = qw.folded_words(core)
    opening = next((b for b in qw.BODY_OPENINGS if core_folded.startswith(f" {b} ")), "")
    if not opening:
        return ""
    words = previous.split()
    folded = [" ".join(_WORD.findall(fold(w))) for w in words]
    # The same kind of body first ("Ủy ban Tài chính" → "Ủy ban Kinh tế"), else any body
    # ("Ban cán sự đảng Chính phủ" → "Đảng đoàn Quốc hội").
    for candidate in (opening, *(b for b in qw.BODY_OPENINGS if " " in b)):
        swapped = _replace_body(words, folded, candidate.split(), core)
        if swapped:
            return swapped
    return ""


def _replace_body(words: list[str], folded: list[str], opening: list[str], core: str) -> str:
    n = len(opening)
    for i in range(len(words) - n + 1):
        if folded[i : i + n] == opening:
            end = i + n
            # The body's name runs on to the next word that is not part of a name.
            while end < len(words) and folded[end] and folded[end] not in _NAME_STOPS:
                end += 1
            return " ".join([*words[:i], core, *words[end:]])
    return ""


# Words that end a body's name in a question ("… Ủy ban Tài chính, Ngân sách rà soát …").
_NAME_STOPS = frozenset(
    """ra soat lam giao chu tri phoi hop thuc hien xay dung nhung cac gi nao ve de la co duoc
    the thi sao nhu voi va cua trong cho phai can""".split()
)


def _without_codes(question: str) -> str:
    """The question without the document it named ("nq 57 mục tiêu…" → "mục tiêu…")."""
    text = question
    for code in find_question_codes(question):
        number = re.escape(code.number)
        text = re.sub(
            rf"(?i)\b(?:(?:nghị quyết|nghi quyet|kết luận|ket luan|chỉ thị|chi thi|kế hoạch|"
            rf"ke hoach|chương trình|chuong trinh|nq|kl|ct|kh|ctr)\s+(?:số\s+|so\s+)?)?"
            rf"{number}(?:[-/][\wĐđ/-]+)?\b",
            "",
            text,
        )
    return " ".join(text.split())
