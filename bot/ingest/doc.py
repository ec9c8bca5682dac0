"""Old Word .doc files, read with antiword (Debian package 'antiword'): text lines and tables."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from bot.ingest.errors import UnusableFile
from bot.ingest.lines import tidy_lines
from bot.ingest.tables import (
    Table,
    flush_tables,
    make_table,
)

ANTIWORD_MISSING = (
    "chưa cài chương trình đọc tệp .doc; người quản trị máy cài bằng: "
    "sudo apt-get install antiword (hoặc lưu tệp thành .docx rồi gửi lại)"
)
_TIMEOUT_S = 60
_PICTURE = "[pic]"


def doc_lines(data: bytes) -> tuple[list[str], list[str]]:
    """Lines of a .doc (tables as row passages with their headers), and the caption headings."""
    text = _antiword(data)
    return _lines(text.splitlines())


def _antiword(data: bytes) -> str:
    exe = shutil.which("antiword")
    if exe is None:
        raise UnusableFile(ANTIWORD_MISSING)
    with tempfile.TemporaryDirectory(prefix="nqbot-doc-") as folder:
        path = Path(folder) / "van-ban.doc"
        path.write_bytes(data)
        try:
            # -w 0: no line wrapping, so a paragraph stays one line; UTF-8 keeps the tone marks.
            done = subprocess.run(
                [exe, "-w", "0", "-m", "UTF-8.txt", str(path)],
                capture_output=True,
                timeout=_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise UnusableFile("tệp .doc đọc quá lâu, có thể đã hỏng") from exc
    message = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or not done.stdout.strip():
        if "Rich Text Format" in message:
            raise UnusableFile("tệp .doc thực chất là tệp RTF; hãy lưu thành .docx rồi gửi lại")
        if "encrypted" in message.lower():
            raise UnusableFile("tệp .doc được mã hóa (có mật khẩu)")
        raise UnusableFile("tệp .doc hỏng (không phải tệp Word hợp lệ)")
    return done.stdout.decode("utf-8", "replace")


def _lines(raw_lines: list[str]) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    headings: list[str] = []
    pending: list[Table] = []  # tables with only blank lines since: one cut by a page break
    rows: list[list[str]] = []  # the rows of the table being read

    def end_table() -> None:
        table = make_table(rows)
        if table is not None:
            pending.append(table)
        rows.clear()

    for raw in raw_lines:
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [cell.strip() for cell in stripped[1:-1].split("|")]
            if rows and not cells[0] and len(cells) == len(rows[-1]) and any(cells):
                # antiword wraps long cells onto lines of their own, the number cell empty.
                rows[-1] = [
                    " ".join(p for p in (a, b) if p) for a, b in zip(rows[-1], cells, strict=True)
                ]
            else:
                rows.append(cells)
            continue
        if rows:
            end_table()
        if not stripped or stripped == _PICTURE:
            continue
        flush_tables(pending, lines, headings)
        lines.append(stripped)
    if rows:
        end_table()
    flush_tables(pending, lines, headings)
    return tidy_lines(lines, set(headings)), headings
