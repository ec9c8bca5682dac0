"""The real `nqbot run` process, driven from outside through the Bot API double on loopback."""

from __future__ import annotations

from bot_process import make_project, running_bot
from conftest import PARTY_CORPUS

from bot.devtools.botapi_double import BotApiDouble, parse_telegram_html

ADMIN, MEMBER = 501, 602
GROUP = -100777
DOCS = [
    "57-NQ-TW_2024-12-22_BoChinhTri_dot-pha-KHCN-DMST-CDS.md",
    "69-KL-TW_2024-01-11_BoChinhTri_tiep-tuc-thuc-hien-NQ20.md",
]
UPLOAD = "01-CTr-TU_2023-04-18_bao-Ha-Noi-Moi_tu-quyet-tam-doi-moi.txt"


def shown(messages: list[dict]) -> str:
    return "\n".join(parse_telegram_html(m["text"]) for m in messages if "text" in m)


def ask(double: BotApiDouble, chat_id: int, send) -> str:
    """Send, then wait for the bot's reply (an answer ends with the 👍 button)."""
    before = len(double.sent(chat_id))
    send()

    def answered() -> list[dict]:
        new = double.sent(chat_id)[before:]
        return new if any("fb:" in str(m.get("reply_markup")) for m in new) else []

    return shown(double.wait_for(answered, timeout=20))


def reply(double: BotApiDouble, chat_id: int, send) -> str:
    before = len(double.sent(chat_id))
    send()
    return shown(double.wait_for(double.messages_after(chat_id, before), timeout=20))


def test_nqbot_run_answers_refuses_and_learns_new_documents(tmp_path) -> None:
    with BotApiDouble() as double:
        config_path = make_project(tmp_path, double, DOCS, admin_ids=[ADMIN])
        with running_bot(config_path):
            double.wait_for(lambda: double.commands, timeout=30)

            text = ask(
                double,
                MEMBER,
                lambda: double.send_text(
                    MEMBER,
                    "Nghị quyết số 57 đặt mục tiêu đến năm 2030 quy mô kinh tế số đạt "
                    "tối thiểu bao nhiêu phần trăm GDP?",
                ),
            )
            assert "57-NQ/TW" in text and "30%" in text

            text = ask(
                double,
                MEMBER,
                lambda: double.send_text(
                    MEMBER,
                    "nghi quyet 57 yeu cau phat trien ha tang so, cong nghe so tren nguyen tac nao?",
                ),
            )
            assert "57-NQ/TW" in text and "hiện đại, đồng bộ" in text

            # /moi first: a new subject, not a follow-up of the question before.
            fresh = reply(double, MEMBER, lambda: double.send_text(MEMBER, "/moi"))
            assert "cuộc trò chuyện mới" in fresh
            text = ask(
                double,
                MEMBER,
                lambda: double.send_text(MEMBER, "thời tiết hà nội cuối tuần này thế nào?"),
            )
            assert "không tìm thấy" in text

            text = ask(
                double,
                GROUP,
                lambda: double.send_group_command(
                    MEMBER,
                    GROUP,
                    "hoi",
                    "KL 69 giao Ban cán sự đảng Chính phủ thực hiện Chiến lược đến năm nào?",
                ),
            )
            assert "69-KL/TW" in text

            assert "quản trị" in reply(double, MEMBER, lambda: double.send_text(MEMBER, "/reindex"))
            assert "quản trị" in reply(
                double, MEMBER, lambda: double.send_document(MEMBER, "a.txt", b"abc", "text/plain")
            )

            data = (PARTY_CORPUS / UPLOAD).read_bytes()
            double.send_document(ADMIN, UPLOAD, data, "text/plain")
            double.wait_for(lambda: "✅ Đã thêm" in shown(double.sent(ADMIN)), timeout=30)
            double.inject_error("sendMessage", 429, retry_after=1)
            text = ask(
                double,
                MEMBER,
                lambda: double.send_text(
                    MEMBER, "Thanh uy Ha Noi la don vi dau tien thanh lap ban chi dao gi?"
                ),
            )
            assert "01-CTr/TU" in text and "phòng, chống tham nhũng" in text
            assert 429 in [c.status for c in double.calls_of("sendMessage", ok=None)]
        assert double.rejected == [], [(c.method, c.description) for c in double.rejected]
        assert (tmp_path / "knowledge" / UPLOAD).exists()


def test_run_without_token_explains_botfather(make_settings, monkeypatch, capsys) -> None:
    from bot.commands import run

    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert run.run(make_settings(), None) == 2
    err = capsys.readouterr().err
    assert "BotFather" in err and "TELEGRAM_BOT_TOKEN" in err
