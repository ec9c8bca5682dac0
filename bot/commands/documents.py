"""`nqbot documents [--json]`: every indexed document as nqbot understood it, problems included."""

from __future__ import annotations

import argparse
import json
import sys

from bot.catalog import DocumentInfo, document_infos, document_label
from bot.config import Settings
from bot.render import format_date
from bot.search.index import read_documents

NO_INDEX = "Chưa có văn bản nào được đọc. Hãy chạy `nqbot index` trước."


def document_block(number: int, doc: DocumentInfo) -> str:
    """One document in a few lines: its name, title, kind, passages and what to check."""
    lines = [f"{number}. {document_label(doc)}"]
    if doc.title:
        lines.append(f"   Tên: {doc.title}")
    details = [
        f"Loại: {doc.kind}",
        f"Số hiệu: {doc.code or '—'}",
        f"Ngày: {format_date(doc.date) or '—'}",
        f"Cơ quan: {doc.issuer or '—'}",
        f"{doc.chunks} đoạn",
    ]
    lines.append("   " + " · ".join(details))
    if doc.problems:
        lines.append(f"   Cần xem lại: {', '.join(doc.problems)}")
    return "\n".join(lines)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Print the list (or JSON); 1 when there is no index yet."""
    found = read_documents(settings.index_dir)
    if found is None:
        print(NO_INDEX, file=sys.stderr)
        return 1
    documents = document_infos(*found)
    if getattr(args, "json", False):
        print(json.dumps([d.as_dict() for d in documents], ensure_ascii=False, indent=1))
        return 0
    print(f"Kho có {len(documents)} văn bản:")
    for number, doc in enumerate(documents, 1):
        print()
        print(document_block(number, doc))
    return 0
