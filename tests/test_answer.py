"""compose_answer: verbatim quotes, key fact first, no repeats, and 'not found'."""

from __future__ import annotations

import json

import pytest
from answer_fixtures import hashing_embedder, party_chunks, small_corpus
from conftest import PARTY_CORPUS, PARTY_QUESTIONS

from bot.answer import LONG_SENTENCE, compose_answer
from bot.config import RetrievalSettings
from bot.documents import Chunk
from bot.render import render_plain
from bot.search.index import build_memory_index
from bot.search.retriever import Hit, Retriever
from bot.text import fold


def _hits(chunks: list[Chunk], order: list[str]) -> list[Hit]:
    by_id = {c.id: c for c in chunks}
    return [Hit(chunk=by_id[i], score=1.0 / (rank + 1)) for rank, i in enumerate(order)]


def _assert_verbatim(answer) -> None:
    texts = {c.chunk_id: c.text for c in answer.citations}
    for quote in answer.quotes:
        assert quote.chunk_id in texts, quote
        assert quote.text in texts[quote.chunk_id], quote.text


def test_key_fact_quoted_first_with_its_citation():
    chunks, _ = small_corpus()
    hits = _hits(chunks, ["nq57#5", "nq57#6", "kl69#2", "nq57#0"])
    question = (
        "Nghị quyết 57 đặt mục tiêu quy mô kinh tế số đạt bao nhiêu phần trăm GDP đến năm 2030?"
    )
    answer = compose_answer(question, hits, found=True)
    assert answer.found
    assert answer.quotes[0].text == "Quy mô kinh tế số đạt tối thiểu 30% GDP."
    assert answer.quotes[0].code == "57-NQ/TW"
    assert answer.quotes[0].heading == "II- MỤC TIÊU › 1. Đến năm 2030"
    assert 1 <= len(answer.quotes) <= 3
    _assert_verbatim(answer)
    # Citations are every hit, in rank order, with the full passage.
    assert [c.chunk_id for c in answer.citations] == ["nq57#5", "nq57#6", "kl69#2", "nq57#0"]
    assert answer.citations[0].text == chunks[1].text


def test_key_fact_first_without_diacritics():
    chunks, _ = small_corpus()
    hits = _hits(chunks, ["nq57#6", "nq57#5", "kl69#2"])
    answer = compose_answer(
        "nghi quyet 57 muc tieu 2030 quy mo kinh te so dat bao nhieu phan tram GDP", hits, True
    )
    assert "30% GDP" in answer.quotes[0].text or "50% GDP" in answer.quotes[0].text
    assert any("30% GDP" in q.text for q in answer.quotes)


def test_number_question_prefers_the_sentence_with_a_number():
    chunks, _ = small_corpus()
    hits = _hits(chunks, ["kl69#2", "nq57#0"])
    answer = compose_answer(
        "Đầu tư cho khoa học và công nghệ tối thiểu bao nhiêu phần trăm ngân sách?", hits, True
    )
    assert "2% tổng chi ngân sách" in answer.quotes[0].text


def test_same_sentence_in_two_passages_is_quoted_once():
    sentence = "Quy mô kinh tế số đạt tối thiểu 30% GDP."
    a = Chunk(id="a#0", doc_id="a", position=0, text=f"Mở đầu văn bản. {sentence}", code="57-NQ/TW")
    b = Chunk(id="b#0", doc_id="b", position=0, text=f"{sentence}  Câu khác hẳn.", code="03/NQ-CP")
    c = Chunk(id="c#0", doc_id="c", position=0, text="Quy mô  kinh tế số đạt tối thiểu 30%  GDP!")
    answer = compose_answer(
        "quy mô kinh tế số đạt bao nhiêu GDP", [Hit(a, 1.0), Hit(b, 0.9), Hit(c, 0.8)], True
    )
    folded = [" ".join(fold(q.text).split()).rstrip(".!") for q in answer.quotes]
    assert len(folded) == len(set(folded)) == 1
    _assert_verbatim(answer)


def test_long_table_row_is_cut_to_a_verbatim_clause():
    filler = "; ".join(
        f"nhiệm vụ phối hợp thứ {i} của các bộ, ngành và địa phương" for i in range(14)
    )
    row = (
        f"| 12. | {filler}; xây dựng quy chế văn hóa số cộng đồng, quy tắc ứng xử trên không gian "
        f"mạng | Bộ Văn hóa, Thể thao và Du lịch | Các bộ, ngành | Quy chế | 2025 |"
    )
    assert len(row) > LONG_SENTENCE
    chunk = Chunk(id="pl2#4", doc_id="pl2", position=4, text=f"DANH MỤC NHIỆM VỤ\n{row}")
    answer = compose_answer(
        "ai chủ trì xây dựng quy chế văn hóa số cộng đồng, quy tắc ứng xử trên không gian mạng?",
        [Hit(chunk, 1.0)],
        True,
    )
    quote = answer.quotes[0]
    assert quote.text in chunk.text
    assert len(quote.text) < LONG_SENTENCE
    assert "quy chế văn hóa số cộng đồng" in quote.text
    assert quote.cut_before
    assert "…" in render_plain(answer) and "…" not in quote.text


def test_question_naming_only_the_document_still_quotes_it():
    chunks, _ = small_corpus()
    answer = compose_answer("NQ 57 nói về gì?", _hits(chunks, ["nq57#0", "nq57#5"]), True)
    assert answer.found and answer.quotes
    assert answer.quotes[0].chunk_id == "nq57#0"
    assert answer.quotes[0].text.startswith("Phát triển khoa học, công nghệ")
    _assert_verbatim(answer)
    text = render_plain(answer)
    assert text.startswith("57-NQ/TW (22/12/2024): về đột phá phát triển khoa học")


def test_when_issued_question_states_the_document_date():
    chunks, _ = small_corpus()
    answer = compose_answer(
        "Nghi quyet 57 duoc ban hanh ngay nao?", _hits(chunks, ["nq57#0", "nq57#5"]), True
    )
    assert "Văn bản 57-NQ/TW được ban hành ngày 22 tháng 12 năm 2024." in render_plain(answer)
    _assert_verbatim(answer)


def test_issue_date_is_the_named_document_s_not_the_top_passage_s():
    chunks, _ = small_corpus()
    # A conclusion's passage ranks first for "nghị quyết 20": the date is still resolution 20's.
    answer = compose_answer(
        "nghị quyết 20 ban hành năm nào?", _hits(chunks, ["kl69#2", "nq20#3"]), True
    )
    assert "Văn bản 20-NQ/TW được ban hành ngày 01 tháng 11 năm 2012." in render_plain(answer)
    # "Kết luận … thực hiện Nghị quyết 20" names the kind it asks about: the top passage's.
    answer = compose_answer(
        "Kết luận về tiếp tục thực hiện Nghị quyết 20 được ban hành ngày nào?",
        _hits(chunks, ["kl69#2", "nq20#3"]),
        True,
    )
    assert "Văn bản 69-KL/TW được ban hành ngày 11 tháng 01 năm 2024." in render_plain(answer)


def test_not_found_has_no_quotes_and_suggests_no_unrelated_documents():
    chunks, _ = small_corpus()
    answer = compose_answer(
        "thoi tiet ha noi cuoi tuan", _hits(chunks, ["kl69#2", "nq57#5"]), False
    )
    assert not answer.found
    assert answer.quotes == []
    text = render_plain(answer)
    assert "không tìm thấy" in text
    assert "chưa nói đến nội dung này" in text and "Văn phòng Đảng ủy" in text
    assert "69-KL/TW" not in text  # the closest passages did not answer: not suggested
    assert "có dấu" in text  # the question was typed without diacritics


def test_no_hits_is_not_found():
    answer = compose_answer("Nghị quyết 57 nói gì về kinh tế số?", [], True)
    assert not answer.found and answer.quotes == [] and answer.suggestions


@pytest.fixture(scope="module")
def party_retriever():
    chunks, documents = party_chunks(PARTY_CORPUS)
    embedder = hashing_embedder()
    index = build_memory_index(chunks, documents, embedder)
    return Retriever(index, embedder, RetrievalSettings())


def test_every_quote_over_the_party_questions_is_verbatim(party_retriever):
    questions = [
        json.loads(line)
        for line in PARTY_QUESTIONS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    quoted = 0
    for item in questions:
        for question in (item["question"], fold(item["question"])):
            result = party_retriever.retrieve(question, k=5)
            answer = compose_answer(question, result.hits, result.found)
            _assert_verbatim(answer)
            assert len(answer.quotes) <= 3
            quoted += len(answer.quotes)
    assert quoted >= len(questions)  # most in-scope questions get quotes
