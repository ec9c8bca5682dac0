#!/usr/bin/env bash
# Create .venv/ in the project root and install nqbot into it (idempotent).
# Usage: scripts/setup.sh [dev]   — "dev" adds the test tools and the sentence-transformers path.
# pip's own output goes to .venv/nqbot-install.log and is shown only when something fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
say() { printf '%s\n' "$*" >&2; }

if ! command -v "$PYTHON" >/dev/null 2>&1 \
    || ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "Cần Python 3.11 trở lên mà máy chưa có (lệnh: $PYTHON)."
    say "Hãy cài Python 3.11+ (ví dụ: sudo apt install python3 python3-venv) rồi chạy lại."
    exit 1
fi
bash scripts/setup-system.sh  # Tesseract (scans), antiword (.doc): apt when root, else a note
stamp=".venv/.nqbot-installed-${1:-run}"
# Reinstall when the package metadata or the engine nqbot compiles (setup.py) changed.
stale() {
    [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ setup.py -nt "$stamp" ] \
        || [ bot/search/native/e5.c -nt "$stamp" ] \
        || [ bot/search/native/e5.h -nt "$stamp" ]
}
log=".venv/nqbot-install.log"
if stale; then
    if [ "${1:-}" = "dev" ]; then
        say "Đang cài đặt nqbot và công cụ kiểm thử vào .venv/ (lần đầu vài phút)…"
    else
        say "Đang cài đặt nqbot vào .venv/ (lần đầu khoảng 2 phút)…"
    fi
fi
if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
        rm -rf .venv
        say "Không tạo được môi trường .venv/: máy thiếu mô-đun venv của Python."
        say "Hãy cài nó (ví dụ: sudo apt install python3-venv) rồi chạy lại."
        exit 1
    fi
fi
. .venv/bin/activate
if stale; then
    install() {
        python -m pip install --upgrade pip
        if [ "${1:-}" = "dev" ]; then
            # A CPU build of torch first, or pip pulls a multi-GB CUDA build for sentence-transformers.
            python -m pip install "torch==2.13.0" || python -m pip install torch
            python -m pip install -e ".[dev,st]"
        else
            python -m pip install -e .
        fi
    }
    if ! install "${1:-}" >"$log" 2>&1; then
        say ""
        say "Cài đặt không thành công. Những dòng cuối của nhật ký cài đặt ($log):"
        tail -n 15 "$log" >&2
        say ""
        say "Hãy kiểm tra kết nối mạng tới kho gói Python (PyPI) và dung lượng đĩa, rồi chạy lại"
        say "lệnh vừa gõ. Toàn bộ nhật ký: $log"
        exit 1
    fi
    touch "$stamp"
    say "Đã cài đặt xong."
fi
