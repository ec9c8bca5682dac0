"""Scanned copies of the library's documents, made the way an office scanner makes them.

Each document's text (as nqbot reads it) is typeset on A4 pages at 300 dpi in DejaVu Serif,
then scanned: a slight rotation, paper noise, a signature and a red stamp over the signature
block on the last page, JPEG compression, one image per page in a PDF without a text layer.
Beside the PDFs, pages.jsonl holds what each page says (the reference for the error rate).

    python benchmarks/make_scans.py --data knowledge --out /tmp/scans [--max-pages N]

Needs Pillow and numpy (installed with nqbot) and the DejaVu fonts (Debian: fonts-dejavu-core,
installed by scripts/setup-system.sh).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ingest.loaders import discover_files, load_file  # noqa: E402

DPI = 300
PAGE = (2480, 3508)  # A4 at 300 dpi
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 230, 230, 260
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_PT = 13
LINE_GAP = 1.45
SIGNATURE_TEXT = ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")  # printed in black: part of the page's text
SIGNATURE_LINES = 14  # lines of room the signature block and stamp need


@dataclass
class ScanStyle:
    """How rough the scan is: rotation in degrees, noise level, JPEG quality."""

    max_rotation: float = 0.8
    noise: float = 12.0
    jpeg_quality: int = 72


def _font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    path = FONT_DIR / name
    if not path.exists():
        raise SystemExit(
            f"missing font {path}: install the Debian package fonts-dejavu-core "
            "(bash scripts/setup-system.sh as root)"
        )
    return ImageFont.truetype(str(path), size_px)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """The text broken into lines no wider than width pixels, at spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and font.getlength(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def typeset(text: str, max_pages: int | None = None) -> list[list[str]]:
    """Lines of the document laid out on pages: each page a list of printed lines."""
    font = _font(_px(FONT_PT))
    step = int(_px(FONT_PT) * LINE_GAP)
    per_page = (PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM) // step
    width = PAGE[0] - 2 * MARGIN_X
    printed: list[str] = []
    ends: list[int] = []  # where each paragraph's printed lines end
    for paragraph in text.split("\n"):
        printed.extend(wrap(paragraph, font, width))
        ends.append(len(printed))
    if max_pages:
        # Cut at the end of a paragraph, as a document shortened to a few pages would be.
        room = max_pages * per_page - SIGNATURE_LINES
        printed = printed[: max([end for end in ends if end <= room], default=room)]
    pages = [printed[i : i + per_page] for i in range(0, len(printed), per_page)] or [[]]
    # The last page keeps room at its foot for the signature block and the stamp.
    room = per_page - SIGNATURE_LINES
    if len(pages[-1]) > room:
        pages[-1:] = [pages[-1][:room], pages[-1][room:]]
    return pages


def _px(points: float) -> int:
    return round(points * DPI / 72)


def render_page(lines: list[str], signed: bool, rng: random.Random, style: ScanStyle) -> Image:
    """One page as a scanner returns it (RGB), with a stamp over the signature when signed."""
    page = Image.new("RGB", PAGE, (250, 249, 246))
    draw = ImageDraw.Draw(page)
    font = _font(_px(FONT_PT))
    step = int(_px(FONT_PT) * LINE_GAP)
    y = MARGIN_TOP
    for line in lines:
        draw.text((MARGIN_X, y), line, font=font, fill=(25, 25, 25))
        y += step
    if signed:
        _signature_and_stamp(page, y + step, rng)
    angle = rng.uniform(-style.max_rotation, style.max_rotation)
    page = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(250, 249, 246))
    pixels = np.asarray(page, dtype=np.float32)
    # Paper grain and sensor noise, the same on the three channels, softened by the optics.
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, style.noise, PAGE[::-1])
    pixels = np.clip(pixels + noise[..., None], 0, 255).astype(np.uint8)
    return Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(radius=0.7))


def _signature_and_stamp(page: Image, top: int, rng: random.Random) -> None:
    """'T/M BAN THƯỜNG VỤ' block on the right, a pen signature, a red round stamp across it."""
    draw = ImageDraw.Draw(page)
    bold = _font(_px(FONT_PT), bold=True)
    centre_x = PAGE[0] - MARGIN_X - 520
    for offset, text in zip((0, 70), SIGNATURE_TEXT, strict=True):
        w = bold.getlength(text)
        draw.text((centre_x - w / 2, top + offset), text, font=bold, fill=(25, 25, 25))
    # A pen signature: a few loops in blue-black ink.
    points = []
    for i in range(60):
        t = i / 59
        x = centre_x - 260 + 520 * t
        yy = top + 260 + 70 * math.sin(t * 9.0 + rng.random()) * (1 - t / 2)
        points.append((x, yy))
    draw.line(points, fill=(30, 40, 110), width=7, joint="curve")
    # The stamp: red rings and red text, over the lower half of the block.
    cx, cy, radius = centre_x - 120, top + 230, 230
    stamp = Image.new("RGBA", PAGE, (0, 0, 0, 0))
    sdraw = ImageDraw.Draw(stamp)
    red = (205, 30, 35, 170)
    sdraw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=14)
    sdraw.ellipse(
        (cx - radius + 45, cy - radius + 45, cx + radius - 45, cy + radius - 45),
        outline=red,
        width=6,
    )
    small = _font(_px(8), bold=True)
    for k, ch in enumerate("ĐẢNG CỘNG SẢN VIỆT NAM * THÀNH ỦY HÀ NỘI *"):
        angle = math.pi + k * 2 * math.pi / 42
        x = cx + (radius - 28) * math.cos(angle)
        yy = cy + (radius - 28) * math.sin(angle)
        sdraw.text((x - 12, yy - 14), ch, font=small, fill=red)
    star = [
        (cx + 60 * math.cos(a), cy + 60 * math.sin(a))
        for a in (math.pi / 2 + i * 4 * math.pi / 5 for i in range(5))
    ]
    sdraw.polygon(star, fill=red)
    page.paste(Image.alpha_composite(page.convert("RGBA"), stamp).convert("RGB"))


def scan_pdf(pages: list[Image], quality: int) -> bytes:
    """The page images, JPEG-compressed, as one PDF at 300 dpi with no text layer."""
    jpegs = []
    for image in pages:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        buffer.seek(0)
        jpegs.append(Image.open(buffer))
    out = io.BytesIO()
    jpegs[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=jpegs[1:])
    return out.getvalue()


def make_scan(
    text: str, seed: int = 0, max_pages: int | None = None, style: ScanStyle | None = None
) -> tuple[bytes, list[str]]:
    """A scanned PDF of text, and each page's printed text (the last page signed and stamped)."""
    style = style or ScanStyle()
    rng = random.Random(seed)
    pages = typeset(text, max_pages)
    images = [
        render_page(lines, signed=index == len(pages) - 1, rng=rng, style=style)
        for index, lines in enumerate(pages)
    ]
    texts = ["\n".join(lines) for lines in pages]
    texts[-1] = "\n".join([texts[-1], *SIGNATURE_TEXT]).strip()
    return scan_pdf(images, style.jpeg_quality), texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "knowledge", help="the library")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDFs")
    parser.add_argument("--max-pages", type=int, default=None, help="pages per document")
    parser.add_argument("--only", default="", help="only files whose name contains this")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no library at {args.data}: pass --data PATH (e.g. knowledge/)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    records = []
    for number, path in enumerate(discover_files(args.data)):
        if args.only and args.only not in path.name:
            continue
        for doc in load_file(path, args.data):
            data, pages = make_scan(doc.text, seed=args.seed + number, max_pages=args.max_pages)
            name = f"{Path(doc.id).name}.pdf"
            (args.out / name).write_bytes(data)
            for page_number, page_text in enumerate(pages, start=1):
                records.append({"file": name, "page": page_number, "text": page_text})
            print(f"{name}: {len(pages)} pages, {len(data) / 1024:.0f} KB")
    with open(args.out / "pages.jsonl", "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} pages → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
