"""Pure Vietnamese text functions: normalisation, folding, tokens, document codes."""

from bot.text.abbreviations import abbreviation_terms, expand_abbreviations
from bot.text.codes import DocCode, find_codes, find_question_codes, find_state_codes
from bot.text.normalize import NORMALIZER_VERSION, fold, has_diacritics, normalize
from bot.text.tokens import lexical_tokens, syllables

__all__ = [
    "NORMALIZER_VERSION",
    "DocCode",
    "abbreviation_terms",
    "expand_abbreviations",
    "find_codes",
    "find_question_codes",
    "find_state_codes",
    "fold",
    "has_diacritics",
    "lexical_tokens",
    "normalize",
    "syllables",
]
