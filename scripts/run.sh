#!/usr/bin/env bash
# The main job: set up, read the documents in knowledge/, then run the Telegram bot
# (when TELEGRAM_BOT_TOKEN is set) or the terminal chat.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '%s\n' "$*" >&2; }
bash scripts/setup.sh
. .venv/bin/activate
if [ ! -f index/CURRENT ]; then
    say "Lần đầu đọc văn bản: vài phút, lâu hơn nếu máy đang bận (các lần sau chỉ đọc tệp mới)."
fi
if ! nqbot "$@" index; then
    say "Chưa đọc được văn bản nên chưa chạy được bot; xem thông báo ở trên."
    exit 1
fi
if [ -n "${TELEGRAM_BOT_TOKEN:-}" ]; then
    say "Đang khởi động bot Telegram… (Ctrl-C để dừng)"
    exec nqbot "$@" run
else
    say "Chưa đặt TELEGRAM_BOT_TOKEN: mở trò chuyện hỏi đáp ngay trên máy này."
    say "Gõ câu hỏi rồi Enter; /help để xem hướng dẫn, Ctrl-D để thoát."
    exec nqbot "$@" chat
fi
