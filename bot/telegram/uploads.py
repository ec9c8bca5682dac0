"""Checks on an admin's uploaded document: a safe file name, and content that matches its type."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

from bot.config import ChunkingSettings, IngestSettings
from bot.ingest.loaders import NOT_DOCUMENTS

UPLOAD_SUFFIXES = (".pdf", ".docx", ".doc", ".odt", ".rtf", ".txt", ".md", ".html", ".htm")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 .doc
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 150  # UTF-8: "ữ" is 3 bytes; file systems stop at 255, staging adds 9
_UNSAFE = re.compile(r"[^\w.\-]+")


class UploadRejected(Exception):
    """An upload nqbot will not store; str(exc) is the reason in Vietnamese."""


def safe_name(file_name: str | None) -> str:
    """A file name with no directories, NFC, only letters/digits/._-, a lower-case suffix."""
    name = unicodedata.normalize("NFC", file_name or "")
    name = re.split(r"[\\/]", name)[-1]  # drop any path, Windows or POSIX
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # control chars
    name = _UNSAFE.sub("_", name.strip())
    name = re.sub(r"_+", "_", name).lstrip("._-")  # no hidden files, no '..'
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip("._-")[: MAX_NAME_CHARS - len(suffix) - 1] or "van-ban"
    suffix = suffix.lower()[:10]
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - 1
    while len(stem.encode("utf-8")) > room:  # cut whole characters, never a byte sequence
        stem = stem[:-1]
    stem = stem.rstrip("._-") or "van-ban"
    return f"{stem}.{suffix}" if suffix else stem


def check_suffix(name: str) -> str:
    """The name's suffix if nqbot accepts it, else UploadRejected."""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        allowed = ", ".join(s.lstrip(".") for s in UPLOAD_SUFFIXES if s != ".htm")
        raise UploadRejected(
            f"định dạng {suffix or '(không có đuôi)'} không được hỗ trợ (chỉ nhận {allowed})"
        )
    return suffix


def check_name(name: str) -> None:
    """UploadRejected for names the indexer leaves out (README, LICENSE, PROVENANCE…)."""
    stem = Path(name).stem.upper()
    if stem in NOT_DOCUMENTS:  # the indexer leaves these out
        raise UploadRejected(
            f"tên {Path(name).stem} dành cho tệp ghi chú đi kèm thư mục, bot không đọc tệp mang "
            "tên này; đồng chí đổi tên tệp (ví dụ theo số hiệu văn bản) rồi gửi lại"
        )


def check_size(size: int | None, max_mb: float) -> None:
    """UploadRejected when the declared size is over the limit (Telegram's getFile cap is 20 MB)."""
    if size is not None and size > max_mb * 1024 * 1024:
        raise UploadRejected(f"tệp quá lớn ({size / 1048576:.1f} MB, giới hạn {max_mb:g} MB)")


def check_content(name: str, data: bytes, max_docx_uncompressed_mb: float) -> None:
    """UploadRejected unless the bytes are what the suffix says (PDF, DOCX, or text)."""
    suffix = check_suffix(name)
    if not data.strip():
        raise UploadRejected("tệp rỗng")
    if suffix == ".pdf":
        if not data.lstrip()[:5] == b"%PDF-":
            raise UploadRejected("nội dung không phải PDF (đuôi .pdf nhưng thiếu phần đầu %PDF)")
        return
    if suffix == ".docx":
        _check_docx(data, max_docx_uncompressed_mb)
        return
    if suffix == ".odt":
        if not data.startswith(b"PK\x03\x04") or b"opendocument.text" not in data[:200]:
            raise UploadRejected("nội dung không phải tệp .odt (OpenDocument)")
        return
    if suffix == ".rtf":
        if not data.lstrip().startswith(b"{\\rtf"):
            raise UploadRejected("nội dung không phải tệp .rtf (thiếu phần đầu {\\rtf)")
        return
    if suffix == ".doc":
        if not data.startswith(_OLE2_MAGIC):
            raise UploadRejected(
                "nội dung không phải tệp Word .doc (thiếu phần đầu của Word 97–2003)"
            )
        return
    if data.startswith((b"%PDF-", b"PK\x03\x04")):
        raise UploadRejected(f"nội dung là tệp nhị phân (PDF/ZIP), không khớp đuôi {suffix}")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data:
        raise UploadRejected("tệp nhị phân, không phải văn bản")
    text = _decode(data)
    if text is None:
        raise UploadRejected("không giải mã được nội dung (cần UTF-8 hoặc UTF-16)")


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _check_docx(data: bytes, max_uncompressed_mb: float) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRejected("nội dung không phải DOCX (không mở được tệp nén)") from exc
    if "word/document.xml" not in names:
        raise UploadRejected("nội dung không phải DOCX (thiếu word/document.xml)")
    # Sizes come from the zip directory: a zip bomb is refused before anything is inflated.
    if total > max_uncompressed_mb * 1024 * 1024:
        raise UploadRejected(
            f"DOCX giải nén quá lớn ({total / 1048576:.0f} MB, giới hạn {max_uncompressed_mb:g} MB)"
        )


def validate_staged(
    path: Path, root: Path, ingest: IngestSettings, chunking: ChunkingSettings
) -> list:
    """Read and cut the staged file the way the indexer will; UploadRejected if it cannot.

    Meant to run in a child process (bot.child.run_in_child).
    """
    from bot.ingest.chunking import chunk_document
    from bot.ingest.limits import too_many_passages
    from bot.ingest.loaders import load_file

    try:
        documents = load_file(
            path,
            root,
            max_bytes=int(ingest.max_file_mb * 1024 * 1024),
            max_docx_uncompressed=int(ingest.max_docx_uncompressed_mb * 1024 * 1024),
            max_chars=ingest.max_document_chars,
        )
    except Exception as exc:  # UnusableFile, or a parser's own error on a corrupt file
        raise UploadRejected(str(exc) or type(exc).__name__) from None
    if not documents or not any(doc.text.strip() for doc in documents):
        raise UploadRejected("không đọc được chữ nào trong tệp (bản scan?)")
    for doc in documents:
        passages = len(chunk_document(doc, chunking.max_tokens, chunking.overlap_sentences))
        if passages > ingest.max_document_passages:
            raise UploadRejected(too_many_passages(passages, ingest.max_document_passages))
    return documents  # the Documents, for the upload's reply (a scan's OCR figures)
