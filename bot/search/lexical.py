"""BM25 over term lists (bm25s): build, search, save, load."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

_META = "lexical.json"
# bm25s logs and draws progress bars by default; an index build must stay quiet.
logging.getLogger("bm25s").setLevel(logging.WARNING)
# Measured on the even-numbered questions of alqac2024 and xquad_vi (benchmarks/bench_answers.py),
# confirmed on the odd ones: saturating term frequency early and normalising length half as
# much as the usual 1.5/0.75 keeps long law articles from being pushed down for their length.
K1 = 0.9
B = 0.5


class LexicalIndex:
    """A BM25 index (Lucene variant, k1=K1, b=B unless built otherwise) over term lists."""

    def __init__(self, bm25: bm25s.BM25 | None, vocab: dict[str, int], size: int) -> None:
        self._bm25 = bm25
        self._vocab = vocab
        self.size = size

    def __len__(self) -> int:
        return self.size

    @classmethod
    def build(
        cls, term_lists: Sequence[Sequence[str]], k1: float = K1, b: float = B
    ) -> LexicalIndex:
        """Index one term list per row; empty rows are allowed and never match."""
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(term, len(vocab)) for term in terms] for terms in term_lists]
        if not vocab:
            # Nothing can ever match: skip bm25s, which needs at least one term.
            return cls(None, {}, len(ids))
        bm25 = bm25s.BM25(method="lucene", k1=k1, b=b)
        bm25.index((ids, vocab), create_empty_token=True, show_progress=False)
        return cls(bm25, bm25.vocab_dict, len(ids))

    def search(
        self, terms: Sequence[str], k: int, include: Sequence[int] = ()
    ) -> list[tuple[int, float]]:
        """Rows with a positive BM25 score for the terms, best first, at most k; then the
        rows of include that are not among them and score above 0, in the order given."""
        if self._bm25 is None or k <= 0:
            return []
        ids = [self._vocab[t] for t in terms if t in self._vocab and t != ""]
        if not ids:
            return []
        scores = self._bm25.get_scores_from_ids(ids)
        positive = np.flatnonzero(scores > 0)
        if positive.size > k:
            top = np.argpartition(-scores[positive], k - 1)[:k]
            positive = positive[top]
        # Ties broken by row so results are stable across runs and save/load.
        order = np.lexsort((positive, -scores[positive]))
        ranked = [(int(positive[i]), float(scores[positive[i]])) for i in order]
        have = {row for row, _ in ranked}
        extra = [(int(r), float(scores[r])) for r in include if r not in have and scores[r] > 0]
        return ranked + extra

    def save(self, folder: Path | str) -> None:
        """Write the index as plain files (numpy arrays and JSON; no pickle) into folder."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"size": self.size, "empty": self._bm25 is None}
        if self._bm25 is not None:
            self._bm25.save(str(folder), allow_pickle=False, show_progress=False)
        (folder / _META).write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path | str) -> LexicalIndex:
        """Read an index written by save()."""
        folder = Path(folder)
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
        if meta["empty"]:
            return cls(None, {}, int(meta["size"]))
        bm25 = bm25s.BM25.load(str(folder), allow_pickle=False, show_progress=False, verbosity=0)
        vocab = {str(term): int(i) for term, i in bm25.vocab_dict.items()}
        return cls(bm25, vocab, int(meta["size"]))
