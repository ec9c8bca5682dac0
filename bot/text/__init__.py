"""Pure Vietnamese text functions: normalisation, folding, tokens, document codes."""

from bot.text.normalize import NORMALIZER_VERSION, fold, has_diacritics, normalize
from bot.text.tokens import lexical_tokens, syllables

__all__ = [
    "NORMALIZER_VERSION",
    "fold",
    "has_diacritics",
    "lexical_tokens",
    "normalize",
    "syllables",
]
