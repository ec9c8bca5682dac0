"""Can the quiz be answered without reading? Simple guessing strategies over the bank.

Each strategy looks only at the options (and the stem's words) and picks one. Over a bank
a member has to think about, each should score near chance (25 % with four options); the
issue's bar is at most 35 %.

    python benchmarks/bench_quiz_guess.py                      # the default library
    python benchmarks/bench_quiz_guess.py --data ../shared            # its corpus/party
    python benchmarks/bench_quiz_guess.py --export bank.json   # a saved `nqbot quiz export --json`
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.text.normalize import fold  # noqa: E402

Item = dict
Strategy = Callable[[Item], int | None]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_STOP = {"va", "cua", "cac", "nhung", "trong", "voi", "cho", "la", "theo", "ve", "de", "tai", "nao"}


def _value(option: str) -> float | None:
    m = _NUMBER.search(option.replace(".", "") if re.search(r"\d\.\d{3}", option) else option)
    return float(m.group(0).replace(",", ".")) if m else None


def longest(item: Item) -> int:
    return max(range(4), key=lambda i: len(item["options"][i]))


def shortest(item: Item) -> int:
    return min(range(4), key=lambda i: len(item["options"][i]))


def middle_value(item: Item) -> int | None:
    """The second-smallest number (test-takers' 'not the extremes')."""
    values = [_value(o) for o in item["options"]]
    if any(v is None for v in values):
        return None
    return sorted(range(4), key=lambda i: values[i])[1]


def _ranked(item: Item, rank: int) -> int | None:
    values = [_value(o) for o in item["options"]]
    if any(v is None for v in values):
        return None
    return sorted(range(4), key=lambda i: values[i])[rank]


def upper_middle(item: Item) -> int | None:
    """The third-smallest number (the other 'not the extremes')."""
    return _ranked(item, 2)


def largest(item: Item) -> int | None:
    """The biggest number (resolutions aim high)."""
    return _ranked(item, 3)


def smallest(item: Item) -> int | None:
    return _ranked(item, 0)


def first_option(item: Item) -> int:
    """Always A (authors who write the key first)."""
    return 0


def double_or_half(item: Item) -> int | None:
    """The option whose double or half is also offered."""
    values = [_value(o) for o in item["options"]]
    if any(v is None for v in values):
        return None
    for i, v in enumerate(values):
        if v and any(w and (abs(w - 2 * v) < 1e-9 or abs(w * 2 - v) < 1e-9) for w in values):
            return i
    return None


def _shape(option: str) -> str:
    text = re.sub(r"\d+", "9", option)
    text = re.sub(r"[^\W\d_]+", "a", text)
    return re.sub(r"\s+", " ", text)[:12] + f"|{min(len(option) // 25, 4)}"


def odd_form(item: Item) -> int | None:
    """The only option written differently from the other three."""
    shapes = [_shape(o) for o in item["options"]]
    odd = [i for i, s in enumerate(shapes) if shapes.count(s) == 1]
    return odd[0] if len(odd) == 1 else None


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text))) - _STOP


def echo_of_stem(item: Item) -> int:
    """The option sharing most words with the question."""
    stem = _words(item["question"])
    return max(range(4), key=lambda i: len(_words(item["options"][i]) & stem))


STRATEGIES: dict[str, Strategy] = {
    "dài nhất (longest)": longest,
    "ngắn nhất (shortest)": shortest,
    "giá trị giữa (middle value)": middle_value,
    "giá trị giữa trên (upper middle value)": upper_middle,
    "giá trị lớn nhất (largest value)": largest,
    "giá trị nhỏ nhất (smallest value)": smallest,
    "luôn chọn A (always the first option)": first_option,
    "có gấp đôi/nửa (double or half present)": double_or_half,
    "khác dạng duy nhất (only one of its form)": odd_form,
    "trùng từ với câu hỏi (most words shared with stem)": echo_of_stem,
}


def score(items: list[Item]) -> list[tuple[str, int, int, float]]:
    """(strategy, right, applicable, share right) over the items it applies to; an item it
    cannot decide is guessed at random, i.e. counted as a quarter right."""
    rows = []
    for name, strategy in STRATEGIES.items():
        right = 0.0
        decided = 0
        for item in items:
            pick = strategy(item)
            if pick is None:
                right += 0.25
                continue
            decided += 1
            right += pick == item["correct"]
        rows.append((name, round(right), decided, right / len(items)))
    return rows


def load(args: argparse.Namespace) -> list[Item]:
    if args.export:
        return json.loads(Path(args.export).read_text(encoding="utf-8"))
    from dataclasses import replace

    from bot.config import load_settings
    from bot.quiz.pool import quiz_items

    data = Path(args.data)
    if (data / "corpus" / "party").is_dir():
        data = data / "corpus" / "party"  # the shared data folder (../shared), as other benches
    if not data.is_dir():
        sys.exit(
            f"Không thấy thư mục {data}: hãy chỉ --data tới thư mục văn bản (ví dụ knowledge/)."
        )
    settings = replace(load_settings(None), knowledge_dir=data, index_dir=Path("/nonexistent"))
    items, _problems = quiz_items(settings)
    return [it.to_dict() for it in items]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "knowledge"), help="thư mục văn bản")
    parser.add_argument("--export", default=None, help="tệp JSON của nqbot quiz export --json")
    parser.add_argument("--limit", type=float, default=0.35, help="ngưỡng (mặc định 0,35)")
    args = parser.parse_args()
    items = [it for it in load(args) if len(it["options"]) == 4]
    print(f"{len(items)} câu, 4 phương án, đoán ngẫu nhiên: 25.0%")
    print(f"{'chiến lược':52} {'đúng':>6} {'áp dụng':>8} {'tỉ lệ':>7} {'trên câu áp dụng':>17}")
    worst = 0.0
    for name, right, decided, share in score(items):
        worst = max(worst, share)
        flag = "" if share <= args.limit else "  <-- vượt ngưỡng"
        # Among the items the strategy decides (the others count as a random guess in "tỉ lệ").
        own = (share * len(items) - 0.25 * (len(items) - decided)) / decided if decided else 0.25
        print(f"{name:52} {right:>6} {decided:>8} {share:>6.1%} {own:>16.1%}{flag}")
    print(f"cao nhất: {worst:.1%} (ngưỡng {args.limit:.0%})")
    return 0 if worst <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
