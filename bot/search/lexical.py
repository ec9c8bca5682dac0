"""BM25 over term lists (bm25s): build, search, save, load."""

from __future__ import annotations


class LexicalIndex:
    """A BM25 index over pre-tokenised documents. STUB (owner: index helper).

    build(term_lists) -> LexicalIndex; search(terms, k) -> list[(row, score)] best first;
    save(folder) / load(folder).
    """
