"""SIGKILL while an upload is being indexed: after a restart the admin is told it is ready.

The real `nqbot run` process against the Bot API double. The build is made slow by the
hashing embedder's test-only pause (embedding.test_delay_seconds), so the kill always lands
mid-build: the upload was acknowledged ("Đã nhận") and recorded, its build started, and the
process dies before the build can end.
"""

from __future__ import annotations

import signal
import sqlite3
import time

from bot_process import make_project, running_bot, set_config, start_bot
from conftest import PARTY_CORPUS

from bot.devtools.botapi_double import BotApiDouble, parse_telegram_html

ADMIN, MEMBER = 501, 602
DOC = "57-NQ-TW_2024-12-22_BoChinhTri_dot-pha-KHCN-DMST-CDS.md"
UPLOAD = "01-CTr-TU_2023-04-18_bao-Ha-Noi-Moi_tu-quyet-tam-doi-moi.txt"
QUESTION = "Thanh uy Ha Noi la don vi dau tien thanh lap ban chi dao gi?"
READY = "Đảng viên đã có thể hỏi."


def shown(messages: list[dict]) -> str:
    return "\n".join(parse_telegram_html(m["text"]) for m in messages if "text" in m)


def builds_started(database, name: str) -> int:
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT attempts FROM admin_jobs WHERE name = ?", (name,)).fetchone()
    return row[0] if row else 0


def kill_mid_build(double: BotApiDouble, config_path, database, attempts: int) -> None:
    """Start the bot, wait until the upload's build number `attempts` runs, SIGKILL it."""
    process = start_bot(config_path)
    try:
        double.wait_for(lambda: builds_started(database, UPLOAD) >= attempts, timeout=60)
        time.sleep(0.5)  # inside the build: the embedder pauses 60 s per batch
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=20)
    assert process.returncode == -signal.SIGKILL


def ask(double: BotApiDouble, question: str) -> str:
    before = len(double.sent(MEMBER))
    double.send_text(MEMBER, question)

    def answered() -> list[dict]:
        new = double.sent(MEMBER)[before:]
        return new if any("fb:" in str(m.get("reply_markup")) for m in new) else []

    return shown(double.wait_for(answered, timeout=30))


def test_an_upload_killed_mid_indexing_is_finished_and_reported_after_restart(tmp_path) -> None:
    with BotApiDouble() as double:
        config_path = make_project(tmp_path, double, [DOC], admin_ids=[ADMIN])
        database = tmp_path / "data" / "nqbot.sqlite3"
        set_config(config_path, "embedding", test_delay_seconds=60.0)
        process = start_bot(config_path)
        try:
            double.wait_for(lambda: double.commands, timeout=30)
            data = (PARTY_CORPUS / UPLOAD).read_bytes()
            double.send_document(ADMIN, UPLOAD, data, "text/plain")
            double.wait_for(lambda: "Đã nhận" in shown(double.sent(ADMIN)), timeout=30)
            double.wait_for(lambda: builds_started(database, UPLOAD) == 1, timeout=30)
            time.sleep(0.5)
        finally:
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=20)
        assert process.returncode == -signal.SIGKILL
        assert READY not in shown(double.sent(ADMIN))

        set_config(config_path, "embedding", test_delay_seconds=0.0)
        with running_bot(config_path):
            report = double.wait_for(
                lambda: [m for m in double.sent(ADMIN) if READY in shown([m])], timeout=60
            )
            assert UPLOAD in shown(report) and "khởi động lại" in shown(report)
            text = ask(double, QUESTION)
            assert "01-CTr/TU" in text and "phòng, chống tham nhũng" in text
        assert len([m for m in double.sent(ADMIN) if READY in shown([m])]) == 1
        assert double.rejected == [], [(c.method, c.description) for c in double.rejected]


def test_a_file_whose_build_dies_twice_is_given_up_not_retried_forever(tmp_path) -> None:
    with BotApiDouble() as double:
        config_path = make_project(tmp_path, double, [DOC], admin_ids=[ADMIN])
        database = tmp_path / "data" / "nqbot.sqlite3"
        set_config(config_path, "embedding", test_delay_seconds=60.0)
        process = start_bot(config_path)
        try:
            double.wait_for(lambda: double.commands, timeout=30)
            double.send_document(ADMIN, UPLOAD, (PARTY_CORPUS / UPLOAD).read_bytes(), "text/plain")
            double.wait_for(lambda: builds_started(database, UPLOAD) == 1, timeout=30)
            time.sleep(0.5)
        finally:
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=20)
        kill_mid_build(double, config_path, database, attempts=2)  # the resumed build dies too

        set_config(config_path, "embedding", test_delay_seconds=0.0)
        with running_bot(config_path):
            double.wait_for(lambda: "bị gỡ" in shown(double.sent(ADMIN)), timeout=60)
            assert "57-NQ/TW" in ask(
                double,
                "Nghị quyết số 57 đặt mục tiêu đến năm 2030 quy mô kinh tế số đạt tối thiểu "
                "bao nhiêu phần trăm GDP?",
            )
        assert not (tmp_path / "knowledge" / UPLOAD).exists()
        assert builds_started(database, UPLOAD) == 2
        assert READY not in shown(double.sent(ADMIN))
