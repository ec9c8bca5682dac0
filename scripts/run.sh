#!/usr/bin/env bash
# The main job: set up, index knowledge/, then run the Telegram bot
# (when TELEGRAM_BOT_TOKEN is set) or the terminal chat.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
nqbot "$@" index
if [ -n "${TELEGRAM_BOT_TOKEN:-}" ]; then
    exec nqbot "$@" run
else
    echo "TELEGRAM_BOT_TOKEN chưa được đặt: mở trò chuyện trên terminal (Ctrl-D để thoát)."
    exec nqbot "$@" chat
fi
