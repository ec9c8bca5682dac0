"""`nqbot run` in webhook mode: Telegram (the double) posts updates to the bot's own server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot_process import make_project, running_bot
from conftest import ROOT

from bot.devtools.botapi_double import TOKEN, BotApiDouble, parse_telegram_html

MEMBER = 602
SECRET = "nqbot-webhook-secret_1"
DOC = "57-NQ-TW_2024-12-22_BoChinhTri_dot-pha-KHCN-DMST-CDS.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_webhook_mode_answers_updates_and_refuses_forged_ones(tmp_path) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/nqbot-hook"
    with BotApiDouble() as double:
        config_path = make_project(
            tmp_path, double, [DOC], webhook_url=hook, webhook_listen="127.0.0.1", webhook_port=port
        )
        with running_bot(config_path, TELEGRAM_WEBHOOK_SECRET=SECRET):
            double.wait_for(lambda: double.webhook and double.commands, timeout=30)
            assert double.webhook == {"url": hook, "secret_token": SECRET}

            forged = {"update_id": 999, "message": {"message_id": 1, "date": 0, "text": "x"}}
            assert double.post_to_webhook(forged, secret_token="wrong") == 403

            double.send_text(
                MEMBER,
                "Nghị quyết số 57 đặt mục tiêu đến năm 2030 quy mô kinh tế số đạt "
                "tối thiểu bao nhiêu phần trăm GDP?",
            )
            replies = double.wait_for(
                lambda: [m for m in double.sent(MEMBER) if "fb:" in str(m.get("reply_markup"))],
                timeout=20,
            )
            text = parse_telegram_html(replies[0]["text"])
            assert "57-NQ/TW" in text and "30%" in text
            assert [status for _, status in double.deliveries] == [200]
            assert double.calls_of("getUpdates", ok=None) == []
        assert double.rejected == [], [(c.method, c.description) for c in double.rejected]


def _forged_admin_status(double: BotApiDouble, admin: int) -> dict:
    """What a forger posts: an admin's /trangthai, hand-made."""
    return {
        "update_id": 4242,
        "message": {
            "message_id": 77,
            "date": 0,
            "chat": {"id": admin, "type": "private", "first_name": "x"},
            "from": double.user(admin),
            "text": "/trangthai",
            "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
        },
    }


def test_without_a_configured_secret_the_bot_makes_one_and_refuses_forged_updates(
    tmp_path,
) -> None:
    admin = 501
    port = free_port()
    hook = f"http://127.0.0.1:{port}/hook"
    with BotApiDouble() as double:
        config_path = make_project(
            tmp_path, double, [DOC], admin_ids=[admin], webhook_url=hook, webhook_port=port
        )
        # No webhook_listen in the config: the default is loopback only.
        with running_bot(config_path, TELEGRAM_WEBHOOK_SECRET=""):
            double.wait_for(lambda: double.webhook and double.commands, timeout=30)
            secret = double.webhook["secret_token"]
            assert secret and len(secret) >= 32
            before = len(double.sent(admin))
            forged = _forged_admin_status(double, admin)
            assert double.post_to_webhook(forged, secret_token="") == 403
            assert double.post_to_webhook(forged, secret_token="guess-" + secret[:10]) == 403
            # The real Telegram (the double, with the registered secret) still gets through.
            double.send_text(admin, "/trangthai")
            replies = double.wait_for(double.messages_after(admin, before), timeout=20)
            assert len(replies) == 1 and "Tình trạng kho văn bản" in replies[0]["text"]
            assert [status for _, status in double.deliveries] == [200]


def test_configurations_that_would_take_unauthenticated_updates_do_not_start(tmp_path) -> None:
    port = free_port()
    cases = [
        ({"webhook_url": f"http://127.0.0.1:{port}/h"}, "x" * 8, "quá ngắn"),
        ({"webhook_url": f"http://127.0.0.1:{port}/h"}, "bad secret with spaces", "chỉ được"),
        ({"webhook_url": "http://bot.example.org/h"}, SECRET, "https://"),
    ]
    with BotApiDouble() as double:
        for i, (telegram, secret, said) in enumerate(cases):
            project = tmp_path / str(i)
            project.mkdir()
            config_path = make_project(project, double, [DOC], webhook_port=port, **telegram)
            result = subprocess.run(
                [sys.executable, "-m", "bot.cli", "--config", str(config_path), "run"],
                cwd=ROOT,
                env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": secret},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 2, result.stderr
            assert said in result.stderr
        assert double.webhook is None and double.calls == []
