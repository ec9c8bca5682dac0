"""Throughput of the text functions on the Party corpus (prints figures; not a test).

Usage: .venv/bin/python benchmarks/bench_text.py [--data ../shared]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.data import add_data_argument, require
from bot.text.abbreviations import expand_abbreviations
from bot.text.codes import find_codes
from bot.text.normalize import fold, normalize
from bot.text.tokens import lexical_tokens, syllables


def _rate(label: str, fn, texts: list[str], n_syll: int, repeat: int = 5) -> None:
    best = float("inf")
    for _ in range(repeat):
        # CPU time of this process: the machine is shared, wall time measures the neighbours.
        t0 = time.process_time()
        for t in texts:
            fn(t)
        best = min(best, time.process_time() - t0)
    print(f"{label:28s} {n_syll / best / 1e6:6.2f} M syllables/s  ({best * 1000:.0f} ms CPU)")


def main() -> None:
    """Print syllables/s for normalize, fold, syllables and lexical_tokens."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    corpus = parser.parse_args().data / "corpus" / "party"
    require(corpus)
    paras = [p for f in sorted(corpus.glob("*.*")) for p in f.read_text().split("\n\n") if p]
    n_syll = sum(len(syllables(p)) for p in paras)
    print(f"{len(paras)} paragraphs, {n_syll} syllables")
    _rate("normalize", normalize, paras, n_syll)
    _rate("fold", fold, paras, n_syll)
    _rate("syllables", syllables, paras, n_syll)
    _rate("lexical_tokens", lexical_tokens, paras, n_syll)
    _rate("lexical_tokens folded", lambda p: lexical_tokens(p, folded=True), paras, n_syll)
    _rate("find_codes", find_codes, paras, n_syll)
    _rate("expand_abbreviations", expand_abbreviations, paras, n_syll)


if __name__ == "__main__":
    main()
