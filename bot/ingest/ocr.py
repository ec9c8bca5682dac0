"""Scanned pages → text: rendered at 300 dpi, stamp and signature ink dropped, Tesseract 'vie'.

Tesseract runs as a subprocess (Debian packages tesseract-ocr and tesseract-ocr-vie), one page
at a time with one thread, so indexing a scan never takes both cores. Lines Tesseract is
unsure of (what is left of a stamp, a signature, a smudge) are dropped.

A page takes 10–40 s to read, so what OCR read is kept on disk (one small JSON file a page,
keyed by the file's hash, the page number and the OCR settings; the oldest dropped past
CACHE_MAX_PAGES): an upload checked in one process and indexed in another, an index rebuilt
from scratch, or a rerun benchmark read each page once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from bot.ingest.lines import starts_item
from bot.text.normalize import normalize

# meta.extra keys of a document read by OCR (values are strings, like all of meta.extra).
SCANNED_KEY = "scanned"  # "1": quotes come from OCR and may differ from the paper
OCR_PAGES_KEY = "ocr_pages"  # how many pages OCR read
OCR_CONFIDENCE_KEY = "ocr_confidence"  # mean word confidence over them, in percent
OCR_UNREADABLE_KEY = "ocr_unreadable"  # "3, 7": pages OCR could not read

OCR_DPI = 300
OCR_LANGUAGE = "vie"
MIN_LINE_CONFIDENCE = 55.0  # mean word confidence (0–100) under which a line is noise
MIN_WORD_CONFIDENCE = 30.0  # a word read this badly inside a good line is a speck, not text
INK_SPREAD = 50  # max−min of R, G, B above which a pixel is coloured ink, not print
MIN_PAGE_CHARS = 20  # a page with less text than this could not be read
_TIMEOUT_S = 180
_CACHE_PAGES = 200
_CACHE: OrderedDict[tuple[str, int], PageText] = OrderedDict()
CACHE_DIR_NAME = ".ocr"  # hidden inside knowledge/: the indexer never reads it as a document
CACHE_MAX_PAGES = 5000  # pages kept on disk (a few KB each); the least recently used go first
log = logging.getLogger(__name__)
OCR_MISSING = (
    "PDF là bản quét (không có lớp chữ) nhưng máy chưa cài chương trình nhận dạng chữ; "
    "người quản trị máy cài bằng: sudo apt-get install tesseract-ocr tesseract-ocr-vie"
)


@dataclass
class PageText:
    """What OCR read on one page: its paragraphs, and Tesseract's mean word confidence (0–100)."""

    number: int  # 1-based page number in the PDF
    lines: list[str] = field(default_factory=list)  # one paragraph a line
    confidence: float = 0.0

    @property
    def readable(self) -> bool:
        return sum(len(line) for line in self.lines) >= MIN_PAGE_CHARS


def ocr_missing() -> str | None:
    """Why OCR cannot run here (what to install), or None when Tesseract reads Vietnamese."""
    exe = shutil.which("tesseract")
    if exe is None:
        return OCR_MISSING
    try:
        done = subprocess.run(
            [exe, "--list-langs"], capture_output=True, timeout=30, check=False, text=True
        )
    except (OSError, subprocess.TimeoutExpired):
        return OCR_MISSING
    languages = {line.strip() for line in done.stdout.splitlines()}
    return None if OCR_LANGUAGE in languages else OCR_MISSING


def ocr_pdf_pages(
    data: bytes, page_numbers: list[int], cache_dir: Path | None = None
) -> list[PageText]:
    """OCR of the given 1-based pages of a PDF, in order. Pages read before come from a cache:
    in memory, and in cache_dir when given (an upload is read once to check it, in one child
    process, and once more to index it, in another)."""
    import pypdfium2

    digest = hashlib.sha256(data).hexdigest()
    pages: list[PageText] = []
    pdf = None
    try:
        for number in page_numbers:
            key = (digest, number)
            if key not in _CACHE:
                tsv = _read_cached(cache_dir, digest, number)
                if tsv is None:
                    pdf = pdf or pypdfium2.PdfDocument(data)
                    page = pdf[number - 1]
                    image = page.render(scale=OCR_DPI / 72).to_pil()
                    page.close()
                    tsv = recognise(image)
                    _write_cached(cache_dir, digest, number, tsv)
                _CACHE[key] = PageText(number, *_read_tsv(tsv))
                while len(_CACHE) > _CACHE_PAGES:
                    _CACHE.popitem(last=False)
            _CACHE.move_to_end(key)
            pages.append(_CACHE[key])
        return pages
    finally:
        if pdf is not None:
            pdf.close()


def _settings_tag() -> str:
    """What Tesseract's words on a page depend on besides the page: a change reads it afresh.
    (The cache keeps the words with their places and confidences, so how lines are kept and
    joined into paragraphs can change without reading a page again.)"""
    parts = (OCR_DPI, OCR_LANGUAGE, INK_SPREAD, 2)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:8]


def _cache_path(cache_dir: Path, digest: str, number: int) -> Path:
    return cache_dir / f"{digest[:32]}-{_settings_tag()}-p{number}.json"


def _read_cached(cache_dir: Path | None, digest: str, number: int) -> str | None:
    """Tesseract's words (TSV) for the page, if a cache entry holds them."""
    if cache_dir is None:
        return None
    path = _cache_path(cache_dir, digest, number)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        tsv = record["tsv"]
        if not isinstance(tsv, str) or not tsv.startswith("level\t"):
            return None
        os.utime(path)  # recently used: kept longest
        return tsv
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not cached, or a damaged entry: read the page again


def _write_cached(cache_dir: Path | None, digest: str, number: int, tsv: str) -> None:
    """The page's text saved atomically; the oldest entries dropped past CACHE_MAX_PAGES. A cache
    that cannot be written only costs time."""
    if cache_dir is None:
        return
    path = _cache_path(cache_dir, digest, number)
    lines = tsv.splitlines()
    # The header and the words (level 5) only: the page, block and line rows are not needed.
    kept = "\n".join(lines[:1] + [line for line in lines[1:] if line.startswith("5\t")])
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps({"tsv": kept}, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
        entries = list(cache_dir.glob("*.json"))
        if len(entries) > CACHE_MAX_PAGES:
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[: len(entries) - CACHE_MAX_PAGES]:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("không lưu được kết quả nhận dạng vào %s: %s", cache_dir, exc)


def scan_extra(pages: list[PageText]) -> dict[str, str]:
    """The meta.extra entries saying a document was read by OCR, how many pages, how surely."""
    read = [page for page in pages if page.readable]
    if not read:
        return {}
    confidence = sum(page.confidence for page in read) / len(read)
    unreadable = ", ".join(str(page.number) for page in pages if not page.readable)
    extra = {
        SCANNED_KEY: "1",
        OCR_PAGES_KEY: str(len(read)),
        OCR_CONFIDENCE_KEY: str(round(confidence)),
    }
    if unreadable:
        extra[OCR_UNREADABLE_KEY] = unreadable
    return extra


def ocr_image(image, number: int = 1) -> PageText:
    """Paragraphs Tesseract reads on one page image, stamp and signature ink removed first."""
    return PageText(number, *_read_tsv(recognise(image)))


def recognise(image) -> str:
    """Tesseract's words on one page image (TSV: place, confidence, text), ink removed first."""
    png = io.BytesIO()
    without_ink(image).save(png, "PNG")
    return _tesseract(png.getvalue())


def without_ink(image):
    """The page in grey with coloured ink (red stamps, blue signatures) turned to paper white."""
    import numpy as np
    from PIL import Image, ImageFilter

    rgb = np.asarray(image.convert("RGB"), dtype=np.int32)
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    grey = (rgb[..., 0] * 299 + rgb[..., 1] * 587 + rgb[..., 2] * 114) // 1000
    # Printed text is black or grey; stamp red and pen blue are saturated colours. The mask
    # is widened by a few pixels: the blurred, JPEG-smeared rim of a stroke is less saturated.
    ink = Image.fromarray(((spread > INK_SPREAD) * 255).astype(np.uint8), mode="L")
    ink = np.asarray(ink.filter(ImageFilter.MaxFilter(7))) > 0
    grey[ink] = 255
    return Image.fromarray(grey.clip(0, 255).astype(np.uint8), mode="L")


def _tesseract(png: bytes) -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise OSError(OCR_MISSING)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core per page: the bot keeps answering
    done = subprocess.run(
        [exe, "stdin", "stdout", "-l", OCR_LANGUAGE, "--dpi", str(OCR_DPI), "tsv"],
        input=png,
        capture_output=True,
        timeout=_TIMEOUT_S,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        raise OSError(done.stderr.decode("utf-8", "replace").strip() or "tesseract failed")
    return done.stdout.decode("utf-8", "replace")


# Tesseract's usual misreadings inside a document code ("69-KI/TW" for "69-KL/TW"): the code is
# what members cite, so it is put right where the misreading is unambiguous.
_CODE_TYPO = re.compile(r"\b(\d{1,4}-)(KI|Kl|K1|NO|N0|NỌ|CI|Cl)(/[A-ZĐ]{1,6}\b)")
_CODE_FIX = {"KI": "KL", "Kl": "KL", "K1": "KL", "NO": "NQ", "N0": "NQ", "NỌ": "NQ"}
_CODE_FIX.update({"CI": "CT", "Cl": "CT"})


# An appendix's heading ('PHỤ LỤC II' read 'PHÙ LỤC H'): it names the part the rows belong to.
_APPENDIX_TYPO = re.compile(
    r"^PH[ÙỦŨÚỤU] L[ÙỦŨÚỤU]C\s+(H|Il|lI|ll|IIl|IlI|HI|IH|I|II|III|IV|V|VI)$"
)
_NUMERAL_FIX = {"H": "II", "Il": "II", "lI": "II", "ll": "II", "HI": "III", "IH": "III"}
_NUMERAL_FIX.update({"IIl": "III", "IlI": "III"})


def fix_codes(line: str) -> str:
    """A line with OCR misreadings in document codes and appendix headings put right
    ('57-N0/TW' → '57-NQ/TW', 'PHÙ LỤC H' → 'PHỤ LỤC II')."""
    line = _CODE_TYPO.sub(lambda m: m.group(1) + _CODE_FIX[m.group(2)] + m.group(3), line)
    appendix = _APPENDIX_TYPO.match(line)
    if appendix:
        return f"PHỤ LỤC {_NUMERAL_FIX.get(appendix.group(1), appendix.group(1))}"
    return line


@dataclass
class _Line:
    words: list[tuple[str, float]]
    left: int
    right: int


def _read_tsv(tsv: str) -> tuple[list[str], float]:
    """Paragraphs of the lines read surely enough (normalised), and the page's mean word
    confidence over those lines. Tesseract's own paragraphs are cut again where a line ends well
    short of the text's right edge (a paragraph's last line, a heading), or the next line is
    indented or starts a list item, as a reader sees paragraphs on the page."""
    lines: dict[tuple[str, str, str], _Line] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            confidence = float(row.get("conf") or -1)
            left, width = int(row.get("left") or 0), int(row.get("width") or 0)
        except ValueError:
            continue
        if row.get("level") != "5" or not text or confidence < 0:
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        line = lines.setdefault(key, _Line([], left, left + width))
        line.words.append((text, confidence))
        line.left, line.right = min(line.left, left), max(line.right, left + width)
    edge_left, edge_right = _text_edges(list(lines.values()))
    short = 0.1 * max(edge_right - edge_left, 1)  # a ragged line ends at most a word short
    indent = 0.025 * max(edge_right - edge_left, 1)
    paragraphs: list[list[str]] = []
    confidences: list[float] = []
    previous: tuple[tuple[str, str], _Line] | None = None
    for (block, par, _), line in lines.items():
        mean = sum(c for _, c in line.words) / len(line.words)
        words = [(w, c) for w, c in line.words if c >= MIN_WORD_CONFIDENCE]
        text = fix_codes(normalize(" ".join(w for w, _ in words)).strip())
        if mean < MIN_LINE_CONFIDENCE or not any(ch.isalpha() for ch in text):
            continue
        confidences.extend(c for _, c in words)
        goes_on = (
            previous is not None
            and previous[0] == (block, par)
            and previous[1].right >= edge_right - short
            and line.left - previous[1].left < indent
            and not starts_item(text)
        )
        if goes_on:
            paragraphs[-1].append(text)
        else:
            paragraphs.append([text])
        previous = ((block, par), line)
    page_confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return [" ".join(parts) for parts in paragraphs], page_confidence


def _text_edges(lines: list[_Line]) -> tuple[int, int]:
    """Where the page's text column starts and ends: most lines start and end there."""
    if not lines:
        return 0, 0
    lefts = sorted(line.left for line in lines)
    rights = sorted(line.right for line in lines)
    return lefts[int(0.1 * (len(lefts) - 1))], rights[int(0.9 * (len(rights) - 1))]
