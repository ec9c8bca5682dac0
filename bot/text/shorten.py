"""The one way text is shortened for display: cut at a word boundary, then '…'."""

from __future__ import annotations


def cut_at_word(text: str, limit: int, tail: str = "…") -> str:
    """text itself when it fits in limit characters; else its words up to limit, then tail."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return head.rstrip(",;:–- ") + tail
