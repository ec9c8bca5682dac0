"""One normalisation for documents and questions alike, and diacritic folding."""

from __future__ import annotations

import unicodedata

# Bump when normalize() or tokens change: an index built with another version is refused.
NORMALIZER_VERSION = "0"


def normalize(text: str) -> str:
    """NFC, one tone-mark convention (hòa, thủy), look-alikes, invisibles, dashes, escapes."""
    # STUB (owner: text helper): only NFC for now.
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case text with diacritics removed and đ→d: 'Đảng đoàn' → 'dang doan'."""
    decomposed = unicodedata.normalize("NFD", normalize(text).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (đ or a combining mark after NFD)."""
    decomposed = unicodedata.normalize("NFD", text)
    return any(ch in "đĐ" or unicodedata.combining(ch) for ch in decomposed)
