"""Diacritic restoration for unaccented questions: a syllable bigram model of the indexed corpus.

The e5 model is weak on text typed without diacritics; restoring the marks with the corpus's
own syllable statistics ("nghi quyet" → "nghị quyết") lets the dense and normalised channels
see the question the way the documents are written.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from bot.text.normalize import fold, normalize

_SYLLABLE = re.compile(r"\w+", re.UNICODE)
_START = "<s>"
# Documents rarely ask questions: without these phrases "bao nhieu" would come back as "bao
# nhiều". Question words only, one phrase a line (a line is a sentence to the model).
QUESTION_PHRASES = """bao nhiêu
là gì
là bao nhiêu
như thế nào
thế nào
khi nào
lúc nào
bao giờ
ở đâu
tại sao
vì sao
có phải
đúng hay sai
những gì
cái gì
ai là người
nói về gì
có hiệu lực từ khi nào
được ban hành ngày nào
do ai chủ trì"""


class DiacriticRestorer:
    """Viterbi over accented candidates of each folded syllable, scored by an interpolated bigram."""

    def __init__(self, max_candidates: int = 12) -> None:
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        self.candidates: dict[str, list[str]] = {}
        self.total = 0
        self.max_candidates = max_candidates

    @classmethod
    def train(cls, texts: Iterable[str], max_candidates: int = 12) -> DiacriticRestorer:
        """A restorer trained on the syllables of texts (lower-cased, normalised)."""
        model = cls(max_candidates=max_candidates)
        for text in [*texts, QUESTION_PHRASES]:
            for line in normalize(text).lower().splitlines():
                sylls = _SYLLABLE.findall(line)
                if not sylls:
                    continue
                model.unigrams.update(sylls)
                model.bigrams.update(zip([_START, *sylls], sylls, strict=False))
        model.total = sum(model.unigrams.values())
        by_fold: dict[str, list[str]] = {}
        for syll in model.unigrams:
            by_fold.setdefault(fold(syll), []).append(syll)
        for key, options in by_fold.items():
            options.sort(key=lambda s: -model.unigrams[s])
            model.candidates[key] = options[:max_candidates]
        return model

    def _log_prob(self, prev: str, word: str) -> float:
        uni = (self.unigrams.get(word, 0) + 0.1) / (self.total + 1.0)
        prev_count = self.unigrams.get(prev, 0) if prev != _START else 0
        big = self.bigrams.get((prev, word), 0)
        cond = big / prev_count if prev_count else 0.0
        return math.log(0.8 * cond + 0.2 * uni)

    def restore_syllables(self, folded: list[str]) -> list[str]:
        """The most probable accented syllables for a list of folded (lower-case) syllables."""
        if not folded:
            return []
        # Each state: candidate -> (log prob, back-pointer path)
        lattice: dict[str, tuple[float, list[str]]] = {_START: (0.0, [])}
        for syll in folded:
            options = self.candidates.get(syll) or [syll]
            nxt: dict[str, tuple[float, list[str]]] = {}
            for option in options:
                best_score = -math.inf
                best_path: list[str] = []
                for prev, (score, path) in lattice.items():
                    value = score + self._log_prob(prev, option)
                    if value > best_score:
                        best_score, best_path = value, path
                nxt[option] = (best_score, [*best_path, option])
            lattice = nxt
        return max(lattice.values(), key=lambda item: item[0])[1]

    def restore(self, question: str) -> str:
        """The question with diacritics restored word by word, keeping punctuation and spacing."""
        text = normalize(question)
        matches = list(_SYLLABLE.finditer(text))
        if not matches:
            return text
        restored = self.restore_syllables([fold(m.group()) for m in matches])
        out: list[str] = []
        last = 0
        for match, new in zip(matches, restored, strict=True):
            out.append(text[last : match.start()])
            original = match.group()
            if fold(original) != fold(new):  # unknown syllable: keep it as typed
                new = original
            elif original[:1].isupper():
                new = new[:1].upper() + new[1:]
            out.append(new)
            last = match.end()
        out.append(text[last:])
        return "".join(out)
