"""A follow-up ("còn đến 2045?", "thế còn nq 20 thì sao?", "ai chịu trách nhiệm việc đó?")
rewritten as the whole question it stands for, from the previous turn of the chat."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.conversation import Conversation
from bot.text import question_words as qw
from bot.text.codes import find_question_codes
from bot.text.normalize import fold

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_WORD = re.compile(r"\w+", re.UNICODE)
FOLLOWUP_CONTENT_WORDS = 3  # a question with more words of its own stands alone


@dataclass(frozen=True)
class Turn:
    """The question as it will be answered, and the documents it is restricted to."""

    question: str
    doc_ids: tuple[str, ...] = ()  # the previous answer's documents, for a follow-up
    followup: bool = False


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
    # "nq 20 thì sao?" only: a question ending so with words of its own stands alone.
    if ending and not (opening or reference) and len(own) > 1:
        return Turn(question)
    if not (opening or reference or ending) or (not short and not reference):
        return Turn(question)
    previous = conversation.subject
    core = _strip(question, opening, ending, reference)
    codes = find_question_codes(core)
    years = _YEAR.findall(core)
    if codes:
        # "thế còn nq 20 thì sao?": the previous question about the newly named document.
        rest = _without_codes(previous)
        return Turn(f"{core} {rest}".strip(), followup=True)
    if years:
        # "còn đến 2045?": the previous question with its year replaced.
        old = _YEAR.findall(previous)
        asked = previous.replace(old[0], years[0]) if old else f"{previous} {' '.join(years)}"
        return Turn(asked, doc_ids=conversation.doc_ids, followup=True)
    # "ai chịu trách nhiệm việc đó?": the new question about the previous subject.
    subject = qw.strip_question_words(previous)
    return Turn(f"{core} {subject}".strip(), doc_ids=conversation.doc_ids, followup=True)


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
