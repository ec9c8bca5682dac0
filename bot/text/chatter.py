"""Chatter: a message with nothing to look up (👍, "...", "cảm ơn", "Chào bot").

The one place that decides it; the knowledge base answers chatter with REPLY instead of a
quote, and it is never logged as an unanswered question.
"""

from __future__ import annotations

import re
import unicodedata

REPLY = "Chào đồng chí! Mời đồng chí gõ câu hỏi về văn bản."
MAX_WORDS = 8  # longer messages are questions, whatever their words

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Greetings, thanks, acknowledgements and forms of address, written with and without
# diacritics. A message made only of these (and punctuation or emoji) asks nothing.
_CHATTER_WORDS = frozenset(
    """
    ok oke okie okay okela okla ok ka k kk ừ ừm ờ uh uhm um hm hmm ừa
    hi hello helo hey alo a lô chào chao xin kính kinh gửi gui
    bot nqbot bạn ban anh chị chi em cô co chú chu bác bac đồng dong chí
    mọi moi người nguoi các cac ad admin
    cảm cám cam ơn on thanks thank thx tks tk you cảmơn camon
    rất rat nhiều nhieu lắm lam quá qua
    vâng vang dạ da ạ à nhé nhe nha nhá
    được duoc rồi roi đã tốt tot hay lắm tuyệt tuyet vời voi good great nice
    biết biet hiểu hieu rõ ro
    tạm tam biệt biet bye bai goodbye hẹn hen gặp gap lại lai
    haha hihi hehe hì hi ha
    """.split()
)


def is_chatter(text: str) -> bool:
    """True when text has no letter or digit, or only greetings, thanks and acknowledgements."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    words = _WORD.findall(text)
    if not words:
        return True  # "👍", "...", "-", "<", "&&&&"
    if len(words) > MAX_WORDS:
        return False
    return all(word in _CHATTER_WORDS for word in words)
