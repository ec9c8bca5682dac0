"""`nqbot run` in webhook mode: Telegram (the double) posts updates to the bot's own server."""

from __future__ import annotations

import socket

from bot_process import make_project, running_bot

from bot.devtools.botapi_double import BotApiDouble, parse_telegram_html

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
