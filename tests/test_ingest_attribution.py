"""The header and signature lines a document is attributed by, read verbatim."""

from __future__ import annotations

from bot.ingest.attribution import read_attribution

GOVERNMENT = """CHÍNH PHỦ
Số: 03/NQ-CP
Hà Nội, ngày 09 tháng 01 năm 2025
NGHỊ QUYẾT
Nội dung.
Nơi nhận:
- Ban Bí thư Trung ương Đảng;
- Lưu: VT, KGVX (2b).
TM. CHÍNH PHỦ
KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG
[đã ký]
Nguyễn Hòa Bình
CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ"""


def test_a_government_signature_block_and_its_recipients():
    found = read_attribution(GOVERNMENT)
    assert found["code_line"] == "Số: 03/NQ-CP"
    assert found["date_line"] == "Hà Nội, ngày 09 tháng 01 năm 2025"
    assert found["signer"] == "Nguyễn Hòa Bình"
    assert found["signer_role"] == "PHÓ THỦ TƯỚNG"
    assert found["on_behalf"] == "TM. CHÍNH PHỦ"
    assert found["signature"].splitlines()[-1] == "Nguyễn Hòa Bình"
    assert found["recipients"].splitlines() == ["Ban Bí thư Trung ương Đảng", "Lưu: VT, KGVX (2b)"]


def test_a_signature_on_one_table_line():
    found = read_attribution(
        "Kết luận số 69-KL/TW\nNội dung.\n|   | T/M BỘ CHÍNH TRỊ (Đã ký) Trương Thị Mai |"
    )
    assert found["signer"] == "Trương Thị Mai" and found["on_behalf"] == "T/M BỘ CHÍNH TRỊ"


def test_no_signature_no_signer():
    found = read_attribution("Số 57-NQ/TW\nHà Nội, ngày 22 tháng 12 năm 2024\nNội dung.\nNơi nhận:")
    assert "signer" not in found and found["code_line"] == "Số 57-NQ/TW"
