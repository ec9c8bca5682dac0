"""`nqbot ask` and `nqbot chat` through bot.cli.main, on an index of real Party documents."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import PARTY_CORPUS

from bot.cli import main
from bot.knowledge_base import KnowledgeBase
from bot.render import render_plain

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
    assert "nqbot index" in captured.err and "chỉ mục" not in captured.err


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


class RecordingKB(KnowledgeBase):
    """The real knowledge base, noting the conversation each question was asked in."""

    asked: ClassVar[list[tuple[str, object]]] = []

    def ask(self, question, k=None, offset=0, filters=None, conversation=None):
        """Record (question, conversation), then answer as usual."""
        subject = conversation.subject if conversation is not None else None
        RecordingKB.asked.append((question, conversation, subject))
        return super().ask(question, k, offset, filters, conversation)


@pytest.fixture
def recording(monkeypatch):
    RecordingKB.asked = []
    monkeypatch.setattr("bot.commands.ask.KnowledgeBase", RecordingKB)
    return RecordingKB.asked


def test_ask_stdin_json_lines_of_one_chat_share_a_conversation(
    indexed, capsys, monkeypatch, recording
):
    lines = [
        json.dumps({"question": Q_GDP, "chat": "c1"}, ensure_ascii=False),
        json.dumps({"question": "còn đến năm 2045?", "chat": "c1"}, ensure_ascii=False),
        json.dumps({"question": "kl 69 giao ai?", "chat": 2}, ensure_ascii=False),
        "nq 57 ban hành ngày nào?",
        json.dumps({"chat": "c1"}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    capsys.readouterr()
    assert main(["--config", str(indexed), "ask", "--json", "-"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o.get("chat") for o in out] == ["c1", "c1", "2", None, None]
    assert "30% GDP" in out[0]["answer"]
    assert "question" in out[4]["error"] and "Dòng 5" in out[4]["error"]
    conversations = [conv for _, conv, _ in recording]
    assert conversations[0] is conversations[1] is not None
    subjects = [subject for _, _, subject in recording]
    assert subjects[:3] == ["", Q_GDP, ""]  # the follow-up was read after its chat's first line
    assert conversations[2] is not None and conversations[2] is not conversations[0]
    assert conversations[3] is None  # a plain line stands alone


def test_chat_help_moi_and_questions_logged_for_the_unanswered_report(
    indexed, capsys, monkeypatch, recording
):
    from bot import storage

    script = f"/help\n{Q_GDP}\ncòn đến năm 2045?\n/moi\ngiá vàng hôm nay bao nhiêu?\nthoát\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    capsys.readouterr()
    assert main(["--config", str(indexed), "chat"]) == 0
    out = capsys.readouterr().out
    assert "Hướng dẫn" in out and "/moi" in out
    assert "30% GDP" in out and "Đã bắt đầu cuộc trò chuyện mới" in out
    assert "\033[" not in out  # piped: plain text, no terminal codes
    [(_, c1, s1), (_, c2, s2), (q3, c3, s3)] = recording
    assert c1 is c2 is c3  # one conversation for the session…
    assert (s1, s2) == ("", Q_GDP)  # …the follow-up read after the first question…
    assert (q3, s3) == ("giá vàng hôm nay bao nhiêu?", "")  # …and cleared by /moi
    db = storage.connect(indexed.parent / "data" / "nqbot.sqlite3")
    unanswered = [row["question"] for row in storage.recent_unanswered(db, 20)]
    assert "giá vàng hôm nay bao nhiêu?" in unanswered and Q_GDP not in unanswered
    assert db.execute("SELECT count(*) FROM questions WHERE chat_type = 'cli'").fetchone()[0] >= 3


def test_chat_answers_are_bold_and_dim_on_a_terminal():
    from bot.answer import Answer
    from bot.commands.chat import styled

    answer = Answer(question="x", found=False, suggestions=["Hỏi về nghị quyết 57"])
    assert styled(answer, style=False) == render_plain(answer)
    assert "\033[1m" in styled(answer, style=True)


@pytest.mark.parametrize("chatter", ["👍", "...", ">>>", "&" * 4096, "cảm ơn", "Chào bot", "ok"])
def test_chatter_gets_a_friendly_word_never_a_quote(indexed, capsys, chatter):
    capsys.readouterr()
    assert main(["--config", str(indexed), "ask", "--json", chatter]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is False
    assert data["answer"] == "Chào đồng chí! Mời đồng chí gõ câu hỏi về văn bản."
    assert data["quotes"] == [] and data["citations"] == []


@pytest.mark.parametrize(
    ("question", "shown"),
    [
        ("nghi quyet 18 ve tinh gon bo may noi gi", "chưa có Nghị quyết số 18-NQ"),
        ("ai ký nghị quyết 57?", "không có phần chữ ký"),
    ],
)
def test_every_refusal_is_found_false_with_the_text_shown(indexed, capsys, question, shown):
    capsys.readouterr()
    assert main(["--config", str(indexed), "ask", "--json", question]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is False and data["quotes"] == []
    assert shown in data["answer"]


def test_a_two_turn_conversation_on_stdin_resolves_the_second_turn(indexed, capsys, monkeypatch):
    lines = [
        json.dumps({"question": "nq 57 mục tiêu đến 2030 là gì", "chat": "c1"}, ensure_ascii=False),
        json.dumps({"question": "còn đến 2045?", "chat": "c1"}, ensure_ascii=False),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    capsys.readouterr()
    assert main(["--config", str(indexed), "ask", "--json", "-"]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert "Đến năm 2030" in first["answer"]
    assert "Hiểu là: nq 57 mục tiêu đến 2045 là gì" in second["answer"]
    assert "Tầm nhìn đến năm 2045" in second["answer"] and second["found"] is True
