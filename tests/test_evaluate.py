"""Metric arithmetic on a tiny hand-made set, and the `nqbot eval --json` shape."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.evaluate import (
    METRIC_KEYS,
    EvalQuestion,
    Outcome,
    compute_metrics,
    is_relevant,
    match_text,
    run_questions,
)


def outcome(rank, hit=None, refused=False, oos=False, ms=10.0) -> Outcome:
    q = EvalQuestion(id="q", question="?", gold_docs=() if oos else ("d",), out_of_scope=oos)
    return Outcome(question=q, asked="?", rank=rank, answer_hit=hit, refused=refused, ms=ms)


def test_metrics_on_a_hand_made_set() -> None:
    outcomes = [
        outcome(1, hit=True, ms=10),
        outcome(3, hit=False, ms=20),
        outcome(7, hit=True, ms=30),
        outcome(None, hit=False, refused=True, ms=40),  # wrongly refused
        outcome(None, refused=True, oos=True, ms=50),  # rightly refused
    ]
    m = compute_metrics(outcomes)
    assert list(m) == list(METRIC_KEYS)
    assert m["R@1"] == 0.25
    assert m["R@5"] == 0.5
    assert m["R@10"] == 0.75
    assert m["MRR@10"] == round((1 + 1 / 3 + 1 / 7) / 4, 4)
    assert m["answer_hit"] == 0.5
    assert m["refusal_accuracy"] == 0.8
    assert m["p50_ms"] == 30.0
    assert m["p95_ms"] == 48.0
    assert m["questions"] == 5


def test_relevance_normalises_both_sides() -> None:
    q = EvalQuestion(
        id="x", question="?", gold_docs=("57",), gold_texts=("Quy mô kinh tế số đạt 30% GDP",)
    )
    nfd_old_tones = "**QUY MÔ** kinh tế  số\nđạt 30% GDP"
    assert is_relevant("57", nfd_old_tones, q)
    assert not is_relevant("20", nfd_old_tones, q)
    assert not is_relevant("57", "Quy mô kinh tế số đạt 20% GDP", q)
    assert match_text("Thành uỷ 57\\-NQ/TW") == match_text("thành ủy 57-nq/tw")


def test_fold_queries_strips_diacritics_before_asking() -> None:
    asked = []
    q = EvalQuestion(id="1", question="Đảng ủy nói gì?", gold_docs=("d",), answers=("ủy",))

    def answer_fn(question):
        asked.append(question)
        return [("d", "x")], "Đảng ủy", True

    [o] = run_questions([q], answer_fn, fold_queries=True)
    assert asked == ["dang uy noi gi?"]
    assert o.rank == 1 and o.answer_hit is True and not o.refused


@pytest.mark.usefixtures("make_settings")
def test_eval_json_prints_exactly_the_metric_keys(make_settings, tmp_path, capsys) -> None:
    settings = make_settings()
    (settings.knowledge_dir / "nghi-quyet.md").write_text(
        "Số 57-NQ/TW\n\nNGHỊ QUYẾT\n\nĐến năm 2030, quy mô kinh tế số đạt tối thiểu 30% GDP.\n",
        encoding="utf-8",
    )
    config = tmp_path / "config.yaml"
    config.write_text(
        "knowledge_dir: knowledge\nindex_dir: index\ndatabase: data/nqbot.sqlite3\n"
        "embedding:\n  backend: hashing\n  model: hashing-384\n",
        encoding="utf-8",
    )
    assert main(["--config", str(config), "index"]) == 0
    questions = tmp_path / "q.jsonl"
    rows = [
        {
            "id": "1",
            "question": "quy mô kinh tế số năm 2030 đạt bao nhiêu?",
            "gold_docs": ["nghi-quyet"],
            "answers": ["30% GDP"],
        },
        {"id": "2", "question": "giá vàng hôm nay", "gold_docs": [], "out_of_scope": True},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    capsys.readouterr()
    assert main(["--config", str(config), "eval", str(questions), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert set(metrics) == set(METRIC_KEYS)
    assert metrics["questions"] == 2
    assert metrics["R@1"] == 1.0
    assert metrics["refusal_accuracy"] == 1.0
