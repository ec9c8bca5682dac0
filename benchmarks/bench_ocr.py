"""OCR of generated scans: character error rate against the source, and the answer hit over the
scanned library beside the text library on the member questions.

    python benchmarks/make_scans.py --data knowledge --out /tmp/scans [--max-pages 3]   # once
    OMP_NUM_THREADS=1 python benchmarks/bench_ocr.py --scans /tmp/scans [--pages 20]
        [--questions scripts/data/member_questions.jsonl] [--work /tmp/nqbot-bench-ocr]

CER = edit distance / reference length, both after bot.text.normalize with whitespace collapsed
(line breaks are layout, not text). The answer hit builds two indexes with the real embedding
model (`nqbot index`) over the measured pages: one of the text printed on them (pages.jsonl),
one of what OCR read on them (the same pages, read once for the CER), each document one .txt;
then `nqbot eval --json` on both, with the questions whose gold text is on those pages.
Pass --no-answers to measure CER only.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ingest.ocr import ocr_missing, ocr_pdf_pages  # noqa: E402
from bot.text.normalize import normalize  # noqa: E402


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
    ref, hyp = comparable(reference), comparable(recognised)
    return edit_distance(ref, hyp) / max(len(ref), 1)


def measure_cer(scans: Path, limit: int | None) -> tuple[list[dict], float]:
    """Per-page CER, confidence and recognised text, for `limit` pages of pages.jsonl."""
    records = [json.loads(line) for line in (scans / "pages.jsonl").read_text().splitlines()]
    if limit:
        records = _spread(records, limit)
    by_file: dict[str, list[dict]] = {}
    for record in records:
        by_file.setdefault(record["file"], []).append(record)
    rows = []
    started = time.perf_counter()
    for name, pages in by_file.items():
        data = (scans / name).read_bytes()
        read = ocr_pdf_pages(data, [p["page"] for p in pages])
        for record, page in zip(pages, read, strict=True):
            rate = cer(record["text"], "\n".join(page.lines))
            rows.append(
                {
                    "file": name,
                    "page": page.number,
                    "cer": rate,
                    "confidence": page.confidence,
                    "printed": record["text"],
                    "read": "\n".join(page.lines),
                }
            )
            print(f"{name} p{page.number}: CER {rate:.2%}, confidence {page.confidence:.0f}")
    return rows, time.perf_counter() - started


def _spread(records: list[dict], limit: int) -> list[dict]:
    """limit pages taken evenly over the set, so every document has its say."""
    if limit >= len(records):
        return records
    step = len(records) / limit
    return [records[int(i * step)] for i in range(limit)]


def answer_hits(rows: list[dict], questions: Path, work: Path) -> dict[str, dict]:
    """`nqbot eval --json` over the printed text of the measured pages and over what OCR read
    on them (each document one .txt, so both go through the same loader), on the questions
    whose gold text those pages hold; each library a project folder under work."""
    printed: dict[str, list[str]] = {}
    read: dict[str, list[str]] = {}
    for row in rows:
        stem = Path(row["file"]).stem
        printed.setdefault(stem, []).append(row["printed"])
        read.setdefault(stem, []).append(row["read"])
    asked = _questions_on(questions, {stem: "\n".join(t) for stem, t in printed.items()})
    work.mkdir(parents=True, exist_ok=True)
    subset = work / "questions.jsonl"
    subset.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in asked))
    print(f"{len(asked)} questions whose gold text is on the measured pages")
    nqbot = Path(sys.executable).parent / "nqbot"
    results = {}
    for label, library in (("text", printed), ("scanned", read)):
        project = work / label
        shutil.rmtree(project, ignore_errors=True)
        knowledge = project / "knowledge"
        knowledge.mkdir(parents=True)
        for stem, pages in library.items():
            (knowledge / f"{stem}.txt").write_text("\n".join(pages))
        (project / "config.yaml").write_text(
            "knowledge_dir: knowledge\nindex_dir: index\ndatabase: data/nqbot.sqlite3\n"
        )
        config = ["--config", str(project / "config.yaml")]
        started = time.perf_counter()
        subprocess.run([str(nqbot), *config, "index"], check=True, stdout=subprocess.DEVNULL)
        print(f"{label}: indexed in {time.perf_counter() - started:.0f} s")
        out = subprocess.run(
            [str(nqbot), *config, "eval", str(subset), "--json"],
            check=True,
            capture_output=True,
            text=True,
        )
        results[label] = json.loads(out.stdout.strip().splitlines()[-1])
    return results


def _questions_on(path: Path, texts: dict[str, str]) -> list[dict]:
    """The questions (JSONL) whose gold documents are printed and hold their gold texts."""
    folded = {doc: comparable(text).lower() for doc, text in texts.items()}
    kept = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        question = json.loads(line)
        docs = question.get("gold_docs") or []
        golds = question.get("gold_texts") or []
        if not docs or not golds or any(doc not in folded for doc in docs):
            continue
        if all(any(comparable(g).lower() in folded[d] for d in docs) for g in golds):
            kept.append(question)
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=Path, required=True, help="output of make_scans.py")
    parser.add_argument("--pages", type=int, default=None, help="measure CER on N pages only")
    parser.add_argument(
        "--questions", type=Path, default=ROOT / "scripts" / "data" / "member_questions.jsonl"
    )
    parser.add_argument("--no-answers", action="store_true", help="CER only")
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/nqbot-bench-ocr"), help="the two projects"
    )
    args = parser.parse_args(argv)
    missing = ocr_missing()
    if missing:
        print(missing, file=sys.stderr)
        return 2
    if not (args.scans / "pages.jsonl").exists():
        print(f"no scans in {args.scans}: run benchmarks/make_scans.py --out {args.scans} first")
        return 2
    rows, seconds = measure_cer(args.scans, args.pages)
    rates = [r["cer"] for r in rows]
    total = statistics.mean(rates)
    print(
        f"\nCER over {len(rows)} pages: mean {total:.2%}, median {statistics.median(rates):.2%}, "
        f"worst {max(rates):.2%}; confidence mean "
        f"{statistics.mean(r['confidence'] for r in rows):.0f}; "
        f"{seconds / len(rows):.1f} s a page"
    )
    if args.no_answers:
        return 0
    if not args.questions.exists():
        print(f"no question set at {args.questions}: pass --questions PATH", file=sys.stderr)
        return 2
    results = answer_hits(rows, args.questions, args.work)
    for label, metrics in results.items():
        print(f"{label}: {json.dumps(metrics, ensure_ascii=False)}")
    text, scanned = results["text"], results["scanned"]
    for key in ("R@5", "answer_hit", "refusal_accuracy"):
        if text.get(key) is not None and scanned.get(key) is not None:
            print(
                f"{key}: text {text[key]:.3f}, scanned {scanned[key]:.3f}, "
                f"difference {100 * (scanned[key] - text[key]):+.1f} points"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
