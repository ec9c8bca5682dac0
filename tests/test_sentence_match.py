"""The best-sentence score: the passage that says what was asked outranks scattered mentions."""

from __future__ import annotations

from collections import Counter

from bot.config import RetrievalSettings
from bot.documents import Chunk, DocumentMeta
from bot.search.embedders import HashingEmbedder
from bot.search.index import build_memory_index
from bot.search.retriever import Retriever
from bot.search.sentence_match import SentenceMatcher
from bot.text.normalize import fold

# The scattered passage repeats the question's words in separate sentences, so whole-passage
# BM25 prefers it; only the answer passage holds them in one sentence.
SCATTERED = (
    "Hạ tầng số và hạ tầng số là trọng tâm.\n"
    "Trung tâm dữ liệu được nâng cấp.\n"
    "Xây dựng, xây dựng và phát triển, phát triển.\n"
    "Năm 2030 là năm 2030."
)
ANSWER = (
    "Thành phố giao nhiệm vụ cho các sở, ngành, quận, huyện, thị xã theo chức năng.\n"
    "Đến năm 2030, xây dựng trung tâm dữ liệu quốc gia để phát triển hạ tầng số.\n"
    "Các sở, ngành báo cáo kết quả thực hiện với Thành ủy hằng năm."
)
FILLER = [
    "Tổ chức quán triệt nội dung Nghị quyết đến cán bộ, đảng viên.",
    "Thành phố tăng cường công tác kiểm tra, giám sát của Đảng.",
    "Các sở, ngành tổ chức sơ kết, tổng kết việc thực hiện Chương trình.",
    "Quận, huyện, thị xã xây dựng kế hoạch thực hiện cụ thể.",
    "Đẩy mạnh cải cách hành chính, nâng cao chỉ số năng lực cạnh tranh.",
]
QUESTION = "Đến năm 2030 xây dựng trung tâm dữ liệu gì để phát triển hạ tầng số?"


def chunks() -> list[Chunk]:
    texts = {"a": SCATTERED, "b": ANSWER, **{f"c{i}": t for i, t in enumerate(FILLER)}}
    return [Chunk(id=f"{d}#0", doc_id=d, position=0, text=t) for d, t in texts.items()]


def test_one_sentence_holding_the_question_scores_higher() -> None:
    rows = chunks()
    df: Counter[str] = Counter()
    for chunk in rows:
        df.update(set(fold(chunk.text).split()))
    scores = SentenceMatcher(rows, df).scores(QUESTION, range(len(rows)))
    fillers = [scores[row] for row in range(2, len(rows))]
    assert scores[1] > scores[0] > max(fillers)


def test_question_words_alone_score_nothing() -> None:
    rows = chunks()
    scores = SentenceMatcher(rows, Counter()).scores("là gì?", [0, 1])
    assert scores == {0: 0.0, 1: 0.0}


def test_retriever_ranks_the_answering_sentence_first() -> None:
    rows = chunks()
    docs = {c.doc_id: DocumentMeta(title=c.doc_id) for c in rows}
    embedder = HashingEmbedder()
    retriever = Retriever(build_memory_index(rows, docs, embedder), embedder, RetrievalSettings())
    for question in (QUESTION, fold(QUESTION)):
        assert retriever.retrieve(question, k=2).hits[0].chunk.doc_id == "b", question


def test_a_sentence_is_read_under_its_short_headings_only() -> None:
    goal = Chunk(
        id="g#0",
        doc_id="g",
        position=0,
        text="Kinh phí chi cho nghiên cứu phát triển đạt 2% GDP.",
        heading_path=("II- MỤC TIÊU", "1. Đến năm 2030"),
    )
    long_heading = (
        "V. Đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan, nâng cao hiệu quả quản trị "
        "quốc gia, mục tiêu đến năm 2030 về kinh phí"
    )
    table = Chunk(
        id="t#0",
        doc_id="t",
        position=0,
        text="Kinh phí chi cho nghiên cứu phát triển đạt 2% GDP.",
        heading_path=(long_heading,),
    )
    bare = Chunk(id="b#0", doc_id="b", position=0, text=goal.text)
    scores = SentenceMatcher([goal, table, bare], Counter()).scores(
        "Mục tiêu đến năm 2030 về kinh phí nghiên cứu là gì?", [0, 1, 2]
    )
    assert scores[0] > scores[2]
    assert scores[1] == scores[2]
