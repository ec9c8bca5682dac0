"""Readers per file format: .txt .md .html .pdf .docx .doc .odt .rtf .jsonl → Documents."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from pathlib import Path

from bot.documents import Document, DocumentMeta
from bot.ingest.attribution import read_attribution
from bot.ingest.doc import doc_lines
from bot.ingest.encoding import decode_bytes, legacy_encoding
from bot.ingest.errors import UnusableFile
from bot.ingest.html_text import html_to_lines
from bot.ingest.limits import DEFAULT_MAX_CHARS, check_chars, scan_docx
from bot.ingest.lines import looks_hard_wrapped, tidy_lines
from bot.ingest.markdown import markdown_to_lines
from bot.ingest.metadata import (
    apply_overrides,
    extract_metadata,
    meta_from_record,
    read_sidecar,
    split_front_matter,
)
from bot.ingest.ocr import CACHE_DIR_NAME
from bot.ingest.odt import odt_lines
from bot.ingest.pdf import pdf_lines
from bot.ingest.rtf import rtf_lines
from bot.ingest.tables import Table, flush_tables, make_table
from bot.text.normalize import normalize

__all__ = ["SUPPORTED_SUFFIXES", "UnusableFile", "discover_files", "load_file"]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".pdf",
    ".docx",
    ".doc",
    ".odt",
    ".rtf",
    ".jsonl",
)
QUIZ_DIR = "quiz"  # curated quiz banks (knowledge/quiz/*.yaml) are not documents
DEFAULT_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
HEADINGS_KEY = "heading_lines"  # meta.extra key: lines the source marked as headings, one a line


NOT_DOCUMENTS = {"README", "LICENSE", "PROVENANCE", "NOTICE", "CHANGELOG"}


def discover_files(root: Path) -> list[Path]:
    """Files under root that nqbot reads, sorted; hidden files and quiz banks left out."""
    root = Path(root)
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if rel.parts and rel.parts[0] == QUIZ_DIR:
            continue
        if not path.is_file() or path.suffix.lower() in (".yaml", ".yml"):
            continue
        # Notes that travel with a folder of documents are not documents.
        if path.stem.upper() in NOT_DOCUMENTS:
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def load_file(
    path: Path,
    root: Path,
    max_bytes: int = 20 * 1024 * 1024,
    max_docx_uncompressed: int = DEFAULT_DOCX_UNCOMPRESSED,
    skipped_lines: list[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    ocr_cache: Path | None = None,
) -> list[Document]:
    """Read one file under root into Documents (several for .jsonl); raise UnusableFile.

    A document longer than max_chars characters is refused while it is read. What OCR reads on
    a scanned PDF is kept in ocr_cache (default: root/.ocr), so a page is read once.

    For .jsonl, the reasons for records that were left out are appended to skipped_lines.
    """
    path, root = Path(path), Path(root)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnusableFile(f"định dạng {suffix or '(không có đuôi)'} không được hỗ trợ")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnusableFile(
                f"tệp quá lớn ({size / 1048576:.1f} MB, giới hạn {max_bytes / 1048576:.0f} MB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnusableFile(f"không đọc được tệp ({exc.strerror or exc})") from exc
    if not data.strip():
        raise UnusableFile("tệp rỗng")
    rel = path.relative_to(root).as_posix()
    doc_id = rel.rsplit(".", 1)[0]
    if suffix == ".jsonl":
        return _load_jsonl(data, rel, skipped_lines)

    front: dict[str, object] = {}
    extra: dict[str, str] = {}
    headings: list[str] = []
    title_hint = ""
    if suffix in (".txt", ".md"):
        front, body = split_front_matter(decode_bytes(data))
        check_chars([body], max_chars)
        if suffix == ".md":
            lines, headings = markdown_to_lines(body)
        else:
            lines = body.splitlines()
        lines = tidy_lines(
            lines, set(headings), wrapped=suffix == ".txt" and looks_hard_wrapped(lines)
        )
    elif suffix in (".html", ".htm"):
        decoded = decode_bytes(data)
        check_chars([decoded], 4 * max_chars)  # markup included; the text is checked below
        raw_lines, headings, title_hint = html_to_lines(decoded)
        lines = tidy_lines(raw_lines, set(headings))
    elif suffix == ".pdf":
        cache = ocr_cache if ocr_cache is not None else root / CACHE_DIR_NAME
        lines, headings, extra = pdf_lines(data, max_chars, cache)
    elif suffix == ".doc":
        lines, headings = doc_lines(data)
    elif suffix == ".odt":
        lines, headings = odt_lines(data, max_docx_uncompressed)
    elif suffix == ".rtf":
        lines, headings = rtf_lines(data)
    else:
        lines, headings = _docx_lines(data, max_docx_uncompressed, max_chars)
    check_chars(lines, max_chars)
    return [_document(lines, headings, doc_id, rel, data, front, path, title_hint, extra)]


def _document(
    lines: list[str],
    headings: list[str],
    doc_id: str,
    rel: str,
    data: bytes,
    front: dict[str, object],
    path: Path,
    title_hint: str = "",
    extra: dict[str, str] | None = None,
) -> Document:
    """A Document from tidy lines: normalised text, metadata, front matter and sidecar applied."""
    lines = [normalize(line).strip() for line in lines]
    lines = [line for line in lines if line]
    if not lines:
        raise UnusableFile("không có nội dung văn bản")
    headings = [normalize(h).strip() for h in headings]
    text = "\n".join(lines)
    if legacy_encoding(text):
        raise UnusableFile("văn bản dùng bảng mã cũ TCVN3/VNI; hãy chuyển sang Unicode rồi nạp lại")
    meta = extract_metadata(text, doc_id)
    meta = apply_overrides(meta, {}, extra=read_attribution(text))
    if title_hint and not meta.title:
        meta = apply_overrides(meta, {"title": normalize(title_hint)})
    overrides = dict(read_sidecar(path))
    overrides.update(front)
    meta = apply_overrides(meta, overrides, extra=extra)
    if meta.source_kind == "article":
        text = "\n".join(drop_captions(lines, set(headings)))
    known = set(text.split("\n"))
    kept = [h for h in dict.fromkeys(headings) if h in known]
    if kept:
        meta = apply_overrides(meta, {}, extra={HEADINGS_KEY: "\n".join(kept)})
    return Document(
        id=doc_id,
        text=text,
        meta=meta,
        source_path=rel,
        content_hash=hashlib.sha256(data).hexdigest(),
    )


_SENTENCE_END = (".", ";", ":", "!", "?", "…", '"', "”", ")")


def drop_captions(lines: list[str], headings: set[str]) -> list[str]:
    """News pages put photo captions between paragraphs: long lines with no final stop."""
    kept = []
    for index, line in enumerate(lines):
        words = len(line.split())
        if index > 0 and line not in headings and words >= 16 and not line.endswith(_SENTENCE_END):
            continue
        kept.append(line)
    return kept


# --- DOCX --------------------------------------------------------------------------------------


_W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def _docx_lines(
    data: bytes, max_uncompressed: int, max_chars: int = DEFAULT_MAX_CHARS
) -> tuple[list[str], list[str]]:
    """Paragraphs and table rows of a .docx in order, and which paragraphs had heading styles."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "word/document.xml" not in names:
                raise UnusableFile("tệp .docx hỏng (thiếu word/document.xml)")
            total = sum(info.file_size for info in infos)
            if total > max_uncompressed:
                raise UnusableFile(
                    f"tệp .docx giải nén quá lớn ({total / 1048576:.0f} MB), "
                    "nghi là tệp độc hại (zip bomb)"
                )
            scan_docx(archive, max_chars)  # streamed: a bomb stops at the cap
    except UnusableFile:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnusableFile("tệp .docx hỏng (không phải tệp Word hợp lệ)") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and kin
        raise UnusableFile("tệp .docx hỏng, không đọc được nội dung") from exc
    import docx
    from docx.table import Table as Table_
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        # Style names looked up once: paragraph.style scans every style for each paragraph
        # without one (16 ms a paragraph, minutes for a long document).
        style_names = {st.style_id: st.name or "" for st in document.styles}
        lines: list[str] = []
        headings: list[str] = []
        pending: list[Table] = []  # tables with only empty paragraphs since: one cut by a page
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "tbl":
                table = make_table(_docx_table_cells(Table_(child, document)))
                if table is not None:
                    pending.append(table)
                continue
            if tag != "p":
                continue
            if not any(t.text and t.text.strip() for t in child.iter(_W_T)):
                continue  # no text run: skipped cheaply (a bomb can hold a million)
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            flush_tables(pending, lines, headings)
            lines.append(text)
            style_id = child.style  # the paragraph's own w:pStyle, None for the default
            style = style_names.get(style_id, "") if style_id else ""
            if style.lower().startswith(("heading", "title")):
                headings.append(text)
        flush_tables(pending, lines, headings)
    except UnusableFile:
        raise
    except Exception as exc:
        raise UnusableFile("tệp .docx hỏng, không đọc được nội dung") from exc
    return tidy_lines(lines, set(headings)), headings


def _docx_table_cells(table) -> list[list[str]]:
    """Each row's cells, one per grid column (a merged cell repeats over the columns it spans)."""
    rows = []
    for row in table.rows:
        rows.append(
            [
                " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                for cell in row.cells
            ]
        )
    return rows


# --- JSONL -------------------------------------------------------------------------------------


def _load_jsonl(data: bytes, rel: str, skipped_lines: list[str] | None) -> list[Document]:
    """One Document per JSON line {"id", "title", "text", ...}; bad lines counted and skipped."""
    text = decode_bytes(data)
    docs: list[Document] = []
    bad: list[str] = []
    seen: set[str] = set()
    for number, raw_line in enumerate(text.splitlines(), start=1):
        if not raw_line.strip():
            continue
        try:
            record = json.loads(raw_line)
        except json.JSONDecodeError:
            bad.append(f"{rel}:{number}: dòng không phải JSON hợp lệ")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            bad.append(f'{rel}:{number}: thiếu trường "text"')
            continue
        body = record["text"].strip()
        if not body:
            bad.append(f"{rel}:{number}: văn bản rỗng")
            continue
        record_id = str(record.get("id") or f"{rel.rsplit('.', 1)[0]}#{number}")
        if record_id in seen:
            bad.append(f"{rel}:{number}: trùng id {record_id}")
            continue
        seen.add(record_id)
        lines = tidy_lines(body.splitlines())
        lines = [normalize(line).strip() for line in lines if line.strip()]
        doc_text = "\n".join(lines)
        base = (
            extract_metadata(doc_text, record_id) if _looks_like_party_document(doc_text) else None
        )
        meta = meta_from_record(record, base or DocumentMeta())
        docs.append(
            Document(
                id=record_id,
                text=doc_text,
                meta=meta,
                source_path=rel,
                content_hash=hashlib.sha256(raw_line.encode("utf-8")).hexdigest(),
            )
        )
    if bad:
        log.warning("%s: bỏ qua %d dòng hỏng", rel, len(bad))
        if skipped_lines is not None:
            skipped_lines.extend(bad)
    if not docs:
        raise UnusableFile(f"không có bản ghi hợp lệ nào ({len(bad)} dòng hỏng)")
    return docs


def _looks_like_party_document(text: str) -> bool:
    head = text[:600]
    return "ĐẢNG CỘNG SẢN VIỆT NAM" in head or bool(re.search(r"\bSố:?\s*\d", head))
