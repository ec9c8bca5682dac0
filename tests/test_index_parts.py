"""BM25 and FAISS parts of the index: edges (k > n, empty), save → load → same results."""

from __future__ import annotations

import numpy as np

from bot.documents import Chunk, DocumentMeta
from bot.search.dense import DenseIndex
from bot.search.embedders import HashingEmbedder
from bot.search.index import build_memory_index
from bot.search.lexical import LexicalIndex

DOCS = [
    ["nghị", "quyết", "khoa", "học", "công", "nghệ"],
    [],
    ["chương", "trình", "hà", "nội", "khoa"],
    ["đại", "hội", "đảng"],
]


def test_lexical_ranks_matching_rows_and_handles_edges():
    index = LexicalIndex.build(DOCS)
    hits = index.search(["khoa", "học"], k=100)
    assert [row for row, _ in hits] == [0, 2]
    assert hits[0][1] > hits[1][1] > 0
    assert index.search(["khoa"], k=1) == index.search(["khoa"], k=10)[:1]
    assert index.search([], k=5) == []
    assert index.search(["không-có"], k=5) == []
    assert index.search(["đảng", "không-có"], k=5)[0][0] == 3


def test_lexical_empty_index_and_save_load(tmp_path):
    empty = LexicalIndex.build([])
    assert empty.search(["khoa"], 3) == []
    empty.save(tmp_path / "empty")
    assert LexicalIndex.load(tmp_path / "empty").search(["khoa"], 3) == []

    index = LexicalIndex.build(DOCS)
    index.save(tmp_path / "lex")
    assert not list((tmp_path / "lex").glob("*.pkl"))
    loaded = LexicalIndex.load(tmp_path / "lex")
    for query in (["khoa"], ["đại", "hội"], ["hà", "nội", "khoa", "học"]):
        assert loaded.search(query, 10) == index.search(query, 10)


def test_dense_search_edges_and_save_load(tmp_path):
    vectors = np.eye(4, dtype=np.float32)
    index = DenseIndex.build(vectors)
    hits = index.search(vectors[2], k=10)
    assert hits[0] == (2, 1.0) and len(hits) == 4
    assert DenseIndex.build(np.zeros((0, 4), np.float32), dim=4).search(vectors[0], 5) == []
    index.save(tmp_path / "dense.faiss")
    assert DenseIndex.load(tmp_path / "dense.faiss").search(vectors[1], 2) == index.search(
        vectors[1], 2
    )


def test_search_also_scores_the_rows_asked_for(tmp_path):
    lexical = LexicalIndex.build(DOCS)
    ranked = dict(lexical.search(["khoa", "học"], k=100))
    # Row 0 is the best; rows 2 and 1 are added in the order given, row 1 (empty) left out.
    got = lexical.search(["khoa", "học"], k=1, include=[2, 1, 0])
    assert got == [(0, ranked[0]), (2, ranked[2])]
    assert lexical.search(["không-có"], k=1, include=[0, 1]) == []
    assert lexical.search(["khoa"], k=1, include=[]) == lexical.search(["khoa"], k=1)
    assert LexicalIndex.build([]).search(["khoa"], k=1, include=[0]) == []

    vectors = np.random.default_rng(0).normal(size=(5, 8)).astype(np.float32)
    dense = DenseIndex.build(vectors)
    query = vectors[3]
    by_row = dict(dense.search(query, k=5))
    got = dense.search(query, k=1, include=[4, 0, 3])
    assert [row for row, _ in got] == [3, 4, 0]
    for row, score in got:
        assert abs(score - by_row[row]) < 1e-4
    assert dense.search(query, k=1, include=[]) == dense.search(query, k=1)


def test_memory_index_finds_the_passage_by_words_and_by_meaning():
    texts = ["Phát triển khoa học, công nghệ", "Xây dựng Đảng", "Chuyển đổi số quốc gia"]
    chunks = [
        Chunk(id=f"57#{i}", doc_id="57", position=i, text=t, code="57-NQ/TW")
        for i, t in enumerate(texts)
    ]
    embedder = HashingEmbedder(dim=128)
    index = build_memory_index(chunks, {"57": DocumentMeta(code="57-NQ/TW")}, embedder)
    assert index.vectors.shape == (3, 128)
    assert index.dense.search(embedder.embed_query("chuyen doi so"), 1)[0][0] == 2
    assert index.lexical_folded.search(["xay", "dung"], 3)[0][0] == 1
    assert index.manifest["backend"] == "hashing" and index.manifest["dimensions"] == 128
