"""`nqbot index [--json]`: build the index from knowledge/ and print what changed."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from bot.config import Settings
from bot.search.embedders import EmbedderUnavailable, make_embedder
from bot.search.index import BuildSummary, build_index

log = logging.getLogger(__name__)


def format_summary(summary: BuildSummary) -> str:
    """The build summary as a few Vietnamese lines for the terminal."""
    lines = [
        "Đã lập chỉ mục: "
        f"{summary.added} văn bản mới, {summary.updated} cập nhật, {summary.removed} gỡ bỏ, "
        f"{summary.unchanged} không đổi, {len(summary.skipped)} bỏ qua.",
        f"{summary.chunks} đoạn trong chỉ mục, {summary.embedded} đoạn được nhúng mới, "
        f"{summary.seconds:.1f} giây.",
    ]
    if summary.skipped:
        lines.append("Bỏ qua:")
        lines.extend(f"  - {item['path']}: {item['reason']}" for item in summary.skipped)
    return "\n".join(lines)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Build the index; 0 on success (even with skipped files), 1 when it cannot run."""
    as_json = bool(getattr(args, "json", False))
    if not settings.knowledge_dir.is_dir():
        print(
            f"Không tìm thấy thư mục văn bản {settings.knowledge_dir}. "
            "Hãy tạo thư mục này, chép văn bản vào rồi chạy lại `nqbot index`.",
            file=sys.stderr,
        )
        return 1
    try:
        embedder = make_embedder(settings.embedding)
        summary = build_index(settings, embedder, progress=not as_json and sys.stderr.isatty())
    except EmbedderUnavailable as exc:
        print(f"Không lập được chỉ mục: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        log.debug("index build failed", exc_info=True)
        print(f"Không lập được chỉ mục: {exc}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        print(format_summary(summary))
    return 0
