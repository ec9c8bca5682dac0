"""One normalisation for documents and questions alike, and diacritic folding."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Bump when normalize() or tokens change: an index built with another version is refused.
NORMALIZER_VERSION = "1"

# --- character-level clean-up -------------------------------------------------------------

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_NEWLINES = "\u2028\u2029\u000b\u000c\u0085"
# Characters that are always a plain hyphen / slash whatever surrounds them.
_HYPHENS = "\u2010\u2011\u2012\u2212\ufe63\uff0d"
_SLASHES = "\uff0f\u2044\u2215"

_CHAR_MAP: dict[int, str | None] = {ord(c): None for c in _INVISIBLE}
_CHAR_MAP.update({ord(c): " " for c in _SPACES})
_CHAR_MAP.update({ord(c): "\n" for c in _NEWLINES})
_CHAR_MAP.update({ord(c): "-" for c in _HYPHENS})
_CHAR_MAP.update({ord(c): "/" for c in _SLASHES})
# Latin eth looks exactly like Vietnamese Đ/đ but is another letter; NFKC keeps it.
_CHAR_MAP.update({0x00D0: "\u0110", 0x00F0: "\u0111"})

_NEEDS_CHAR_MAP = re.compile("[" + re.escape("".join(chr(c) for c in _CHAR_MAP)) + "\r]")

# En/em dash glued between two word characters ("15–NQ", "2025–2030") is a hyphen; a spaced
# dash between words ("kỷ nguyên mới – kỷ nguyên") is punctuation and stays.
_GLUED_DASH = re.compile(r"(?<=\w)[\u2013\u2014](?=\w)")
# Markdown escapes ("57\-NQ/TW", "1\."): drop every backslash run before ASCII punctuation so a
# second pass finds nothing more to drop (idempotence).
_MD_ESCAPE = re.compile(r"\\+(?=[!-/:-@\[\]-`{-~])")

# --- tone marks ---------------------------------------------------------------------------

_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền, sắc, ngã, hỏi, nặng
_BASE_VOWELS = "aăâeêioôơuưy"
_QUALITY_VOWELS = frozenset("ăâêôơư")
_VOWELS = frozenset(_BASE_VOWELS)

# toned char -> (untoned char, tone); (untoned char, tone) -> toned char. Both cases.
_SPLIT: dict[str, tuple[str, str]] = {}
_JOIN: dict[tuple[str, str], str] = {}
for _base in _BASE_VOWELS + _BASE_VOWELS.upper():
    for _tone in _TONES:
        _toned = unicodedata.normalize("NFC", _base + _tone)
        _SPLIT[_toned] = (_base, _tone)
        _JOIN[(_base, _tone)] = _toned
_ALL_VOWELS = _BASE_VOWELS + _BASE_VOWELS.upper() + "".join(_SPLIT)
_TONED_CHARS = "".join(_SPLIT)

# A misplaced mark sits in a vowel cluster of 2-3 vowels holding a toned plain vowel (a e i o u
# y) or a toned ư ("ừơ"): a mark on ơ ô ê â ă, the vast majority, is already where it belongs.
_PLAIN_TONED = "".join(c for c, (b, _) in _SPLIT.items() if b.lower() in "aeiouyư")
_CANDIDATE = re.compile(
    rf"(?<![{_ALL_VOWELS}])(?:[{_PLAIN_TONED}][{_ALL_VOWELS}]{{1,2}}|[{_ALL_VOWELS}][{_PLAIN_TONED}][{_ALL_VOWELS}]?"
    rf"|[{_ALL_VOWELS}]{{2}}[{_PLAIN_TONED}])(?![{_ALL_VOWELS}])"
)


def _tone_target(lower: list[str]) -> int | None:
    """Index of the vowel that carries the tone in the old convention, None if not a syllable."""
    n = len(lower)
    i = 0
    while i < n and lower[i] not in _VOWELS:
        i += 1
    if i == n:
        return None
    j = i
    while j < n and lower[j] in _VOWELS:
        j += 1
    if any(ch in _VOWELS for ch in lower[j:]):
        return None  # vowels after a consonant: not one Vietnamese syllable (e.g. "José")
    start = i
    onset = "".join(lower[:i])
    # qu- and gi- onsets: their u / i belongs to the consonant, not to the rhyme.
    if j - i >= 2 and ((onset == "q" and lower[i] == "u") or (onset == "g" and lower[i] == "i")):
        start += 1
    nucleus = range(start, j)
    marked = [k for k in nucleus if lower[k] in _QUALITY_VOWELS]
    if marked:
        return marked[-1]
    if j < n:  # final consonant: the last vowel
        return j - 1
    if len(nucleus) >= 3:
        return start + 1
    return start


@lru_cache(maxsize=16384)
def _fix_word(word: str) -> str:
    """The word with its single tone mark moved to the conventional vowel (old style: hòa)."""
    bases: list[str] = []
    tone = None
    where = -1
    for k, ch in enumerate(word):
        split = _SPLIT.get(ch)
        if split is None:
            bases.append(ch)
        else:
            if tone is not None:
                return word  # two tone marks: not something we can fix by rule
            bases.append(split[0])
            tone = split[1]
            where = k
    if tone is None:
        return word
    target = _tone_target([b.lower() for b in bases])
    if target is None or target == where:
        return word
    bases[target] = _JOIN[(bases[target], tone)]
    return "".join(bases)


def _fix_match(match: re.Match[str]) -> str:
    """The vowel cluster with its tone mark in place, judged from the cluster's neighbours."""
    cluster = match.group()
    text = match.string
    start, end = match.span()
    prev = text[start - 1] if start else ""
    # Only the q/g onsets and the presence of a final consonant change the rule: try a stand-in
    # syllable first (cached), and look at the whole word only when something would move.
    onset = prev.lower() if prev in "qQgG" else ""
    if onset == "g" and start >= 2 and text[start - 2] in "nN":
        onset = "ng"  # "ng" + i is not the gi- onset
    final = "n" if end < len(text) and text[end].isalpha() else ""
    moved = _fix_word(onset + cluster + final)
    if moved[len(onset) : len(onset) + len(cluster)] == cluster:
        return cluster
    word_start, word_end = start, end
    while word_start and text[word_start - 1].isalpha():
        word_start -= 1
    while word_end < len(text) and text[word_end].isalpha():
        word_end += 1
    fixed = _fix_word(text[word_start:word_end])
    return fixed[start - word_start : end - word_start]


def normalize(text: str) -> str:
    """NFC, one tone-mark convention (hòa, thủy), look-alikes, invisibles, dashes, escapes."""
    if not text:
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _NEEDS_CHAR_MAP.search(text):
        text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CHAR_MAP)
        # Eth → Đ may now compose differently with following marks; re-run NFC only if needed.
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub("", text)
    if "\u2013" in text or "\u2014" in text:
        text = _GLUED_DASH.sub("-", text)
    return _CANDIDATE.sub(_fix_match, text)


# --- folding ------------------------------------------------------------------------------


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        stripped = "".join(
            c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)
        )
        if stripped != ch and len(stripped) == 1 and stripped.isascii():
            table[cp] = stripped
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    return table


_FOLD_TABLE = _build_fold_table()
_COMBINING = re.compile("[\u0300-\u036f]")
_DIACRITIC = re.compile("[đĐðÐ\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower-case text with diacritics removed and đ→d: 'Đảng đoàn' → 'dang doan'."""
    if len(text) > _FOLD_CACHED_CHARS:
        return fold_normalized(normalize(text))
    return _fold_cached(text)


# Short texts (words, question phrases, sentences) are folded again and again for every
# question; long ones (whole documents at ingest) would only crowd the cache.
_FOLD_CACHED_CHARS = 2000


@lru_cache(maxsize=65536)
def _fold_cached(text: str) -> str:
    return fold_normalized(normalize(text))


def fold_normalized(text: str) -> str:
    """fold() for text already normalised (passages from ingest): skips the normalising pass."""
    folded = text.lower().translate(_FOLD_TABLE)
    if _COMBINING.search(folded):  # a mark NFC could not attach to a letter
        folded = _COMBINING.sub("", unicodedata.normalize("NFD", folded))
    return folded


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (đ or a combining mark after NFD)."""
    return _DIACRITIC.search(unicodedata.normalize("NFD", text)) is not None
