"""`nqbot ask` and `nqbot chat` through bot.cli.main, on an index of real Party documents."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import PARTY_CORPUS

from bot.cli import main

FILES = (
    "57-NQ-TW_2024-12-22_BoChinhTri_dot-pha-KHCN-DMST-CDS.md",
    "69-KL-TW_2024-01-11_BoChinhTri_tiep-tuc-thuc-hien-NQ20.md",
)
Q_GDP = "Nghị quyết số 57 đặt mục tiêu đến năm 2030 quy mô kinh tế số đạt tối thiểu bao nhiêu phần trăm GDP?"


def _config(folder: Path, backend: str = "hashing", model: str = "hashing-384") -> Path:
    (folder / "knowledge").mkdir(exist_ok=True)
    config = folder / "config.yaml"
    config.write_text(
        "knowledge_dir: knowledge\nindex_dir: index\ndatabase: data/nqbot.sqlite3\n"
        f"embedding:\n  backend: {backend}\n  model: {model}\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> Path:
    """A project folder whose index holds 57-NQ/TW and 69-KL/TW (built once for the module)."""
    folder = tmp_path_factory.mktemp("project")
    config = _config(folder)
    for name in FILES:
        shutil.copy(PARTY_CORPUS / name, folder / "knowledge" / name)
    assert main(["--config", str(config), "index", "--json"]) == 0
    return config


def test_ask_json_has_the_agreed_shape(indexed, capsys):
    capsys.readouterr()
    assert main(["--config", str(indexed), "ask", "--json", "-k", "4", Q_GDP]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert set(data) == {"found", "answer", "quotes", "citations"}
    assert data["found"] is True
    assert "30% GDP" in data["answer"]
    assert 1 <= len(data["quotes"]) <= 3
    for quote in data["quotes"]:
        assert set(quote) == {"text", "doc_id", "code", "heading"}
    assert len(data["citations"]) == 4
    for citation in data["citations"]:
        assert set(citation) == {"doc_id", "code", "title", "heading", "date", "score", "text"}
        assert isinstance(citation["score"], float)
    scores = [c["score"] for c in data["citations"]]
    assert scores == sorted(scores, reverse=True)  # rank order
    first = data["quotes"][0]
    assert first["code"] == "57-NQ/TW" and "30% GDP" in first["text"]
    # Each quote is a verbatim piece of a cited passage's full text.
    texts = [c["text"] for c in data["citations"]]
    assert all(any(q["text"] in t for t in texts) for q in data["quotes"])


def test_ask_plain_prints_what_a_member_reads(indexed, capsys):
    capsys.readouterr()
    assert main(["--config", str(indexed), "ask", Q_GDP]) == 0
    out = capsys.readouterr().out
    assert "30% GDP" in out and "57-NQ/TW" in out and "22/12/2024" in out


def test_ask_out_of_scope_says_not_found(indexed, capsys):
    capsys.readouterr()
    assert main(["--config", str(indexed), "ask", "--json", "giá vàng hôm nay bao nhiêu?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is False and data["quotes"] == []
    assert "không tìm thấy" in data["answer"]


def test_ask_stdin_answers_one_json_object_a_line(indexed, capsys, monkeypatch):
    questions = [
        Q_GDP,
        "",
        "kl 69 gan voi nq nao cua hoi nghi tw 8 khoa xiii?",
        "thời tiết mai thế nào?",
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    capsys.readouterr()
    assert main(["--config", str(indexed), "ask", "--json", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3  # the blank line is skipped
    answers = [json.loads(line) for line in lines]
    assert [a["found"] for a in answers] == [True, True, False]
    assert "30% GDP" in answers[0]["answer"]
    assert answers[1]["citations"][0]["code"] == "69-KL/TW"


def test_ask_without_an_index_says_to_run_nqbot_index(tmp_path, capsys):
    config = _config(tmp_path)
    assert main(["--config", str(config), "ask", "--json", Q_GDP]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nqbot index" in captured.err and "chỉ mục" in captured.err


def test_ask_with_an_index_of_another_model_is_refused(indexed, tmp_path, capsys):
    other = _config(tmp_path, model="hashing-other", backend="hashing")
    shutil.copytree(indexed.parent / "index", tmp_path / "index")
    capsys.readouterr()
    assert main(["--config", str(other), "ask", Q_GDP]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip()


def test_chat_answers_until_thoat(indexed, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{Q_GDP}\nthoát\nkhông được hỏi câu này\n"))
    capsys.readouterr()
    assert main(["--config", str(indexed), "chat"]) == 0
    out = capsys.readouterr().out
    assert "30% GDP" in out
    assert out.count("Trích nguyên văn") == 1  # stopped at "thoát"


@pytest.mark.parametrize("chatter", ["👍", "...", ">>>", "&" * 4096, "cảm ơn", "Chào bot", "ok"])
def test_chatter_gets_a_friendly_word_never_a_quote(indexed, capsys, chatter):
    capsys.readouterr()
    assert main(["--config", str(indexed), "ask", "--json", chatter]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is False
    assert data["answer"] == "Chào đồng chí! Mời đồng chí gõ câu hỏi về văn bản."
    assert data["quotes"] == [] and data["citations"] == []
