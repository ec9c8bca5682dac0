"""`nqbot index [--json]`: build the index from the documents folder and say what changed."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
import time
from typing import Any, TextIO

from bot.build import BuildSummary, build_index
from bot.catalog import DocumentInfo, document_infos, document_label
from bot.config import Settings
from bot.search.embedders import EmbedderUnavailable, make_embedder
from bot.search.index import read_documents

log = logging.getLogger(__name__)

STAGES = {"read": "Đang đọc văn bản", "embed": "Đang xử lý đoạn văn"}
LINE_EVERY_SECONDS = 10.0
BAR_FORMAT = "{desc}: {percentage:3.0f}% |{bar}| {n_fmt}/{total_fmt} [{elapsed}]"


class Progress:
    """Shows the build moving: a bar on a terminal, else a line every 10 % or 10 seconds.

    A batch of passages can take a while on a busy machine (the model loads with the first
    one), so a background ticker also refreshes the bar each second and repeats the last
    line every 10 seconds: a log always shows the build is alive.
    """

    def __init__(self, out: TextIO, bar: bool) -> None:
        self.out = out
        self.bar = bar
        self._bars: dict[str, Any] = {}
        self._last_tenth: dict[str, int] = {}
        self._state: tuple[str, int, int] | None = None
        self._started = self._printed = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        """The build's callback: stage 'read' or 'embed', done of total."""
        if total <= 0:
            return
        with self._lock:
            if stage == "read" and done == 1:
                self.out.write(f"Đang đọc {total} tệp văn bản…\n")
                self.out.flush()
            self._state = (stage, done, total)
            if self.bar:
                self._move_bar(stage, done, total)
            else:
                tenth = done * 10 // total
                if tenth != self._last_tenth.get(stage):
                    self._last_tenth[stage] = tenth
                    self._line(stage, done, total)
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="nqbot-progress", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            with self._lock:
                if self._state is None:
                    continue
                if self.bar:
                    for bar in self._bars.values():
                        bar.refresh()
                elif time.monotonic() - self._printed >= LINE_EVERY_SECONDS:
                    self._line(*self._state)

    def _move_bar(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            bar = tqdm(
                total=total,
                desc=STAGES.get(stage, stage),
                file=self.out,
                leave=False,
                dynamic_ncols=True,
                bar_format=BAR_FORMAT,
            )
            self._bars[stage] = bar
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
            del self._bars[stage]

    def _line(self, stage: str, done: int, total: int) -> None:
        self._printed = time.monotonic()
        seconds = self._printed - self._started
        self.out.write(
            f"{STAGES.get(stage, stage)}: {done * 100 // total}% ({done}/{total}), "
            f"{seconds:.0f} giây\n"
        )
        self.out.flush()

    def close(self) -> None:
        """Stop the ticker and close the bars."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=2)
        with self._lock:
            for bar in self._bars.values():
                bar.close()
            self._bars.clear()


def document_line(doc: DocumentInfo) -> str:
    """'Nghị quyết số 57-NQ/TW ngày 22/12/2024, Bộ Chính trị — về đột phá… (chưa có ngày)'."""
    line = document_label(doc)
    if doc.title and doc.source_kind != "article":
        line += f" — {doc.title}"
    elif doc.title:
        line += f": “{doc.title}”"
    if doc.problems:
        line += f" [cần xem lại: {', '.join(doc.problems)}]"
    return line


def changed_documents(settings: Settings, summary: BuildSummary) -> list[DocumentInfo]:
    """The documents this build added or updated, as the lists describe them."""
    if not summary.changed:
        return []
    found = read_documents(settings.index_dir)
    if found is None:
        return []
    wanted = set(summary.changed)
    return [d for d in document_infos(*found) if d.doc_id in wanted]


def format_summary(summary: BuildSummary, changed: list[DocumentInfo] | None = None) -> str:
    """The build summary in a few Vietnamese lines, ending with the documents that changed."""
    total = summary.added + summary.updated + summary.unchanged
    lines = [
        f"Xong sau {summary.seconds:.0f} giây: kho có {total} văn bản — {summary.added} mới, "
        f"{summary.updated} cập nhật, {summary.unchanged} không đổi, {summary.removed} đã gỡ bỏ."
    ]
    if summary.skipped:
        lines.append(f"Không đọc được {len(summary.skipped)} tệp (đã bỏ qua):")
        lines.extend(f"  - {item['path']}: {item['reason']}" for item in summary.skipped)
    if changed:
        lines.append("Văn bản mới hoặc đã cập nhật:")
        lines.extend(f"  • {document_line(doc)}" for doc in changed)
    elif not summary.added and not summary.updated:
        lines.append("Không có văn bản nào thay đổi.")
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
    bar = not as_json and sys.stderr.isatty() and sys.stdout.isatty()
    progress = Progress(sys.stderr, bar=bar)
    try:
        embedder = make_embedder(settings.embedding)
        summary = build_index(settings, embedder, progress=progress)
    except EmbedderUnavailable as exc:
        print(f"Không đọc được văn bản: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        log.debug("index build failed", exc_info=True)
        print(f"Không đọc được văn bản: {exc}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    changed = changed_documents(settings, summary)
    if as_json:
        result = summary.as_dict() | {"documents": [d.as_dict() for d in changed]}
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_summary(summary, changed))
    return 0
