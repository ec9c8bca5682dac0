"""The questions members really ask, over the Party documents (hashing embedder): absent
documents, signers and numbers, sections and lists, comparisons and follow-ups."""

from __future__ import annotations

import pytest
from answer_fixtures import hashing_embedder, party_chunks
from conftest import PARTY_CORPUS

from bot.conversation import Conversation
from bot.knowledge_base import KnowledgeBase
from bot.render import render_plain
from bot.search.index import build_memory_index

NQ57 = "57-NQ-TW_2024-12-22_BoChinhTri_dot-pha-KHCN-DMST-CDS"
NQ20 = "20-NQ-TW_2012-11-01_BCHTW-khoa-XI_phat-trien-KHCN"
KL69 = "69-KL-TW_2024-01-11_BoChinhTri_tiep-tuc-thuc-hien-NQ20"


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    from bot.config import settings_from_dict

    chunks, documents = party_chunks(PARTY_CORPUS)
    embedder = hashing_embedder()
    base = tmp_path_factory.mktemp("kinds")
    settings = settings_from_dict(
        {"embedding": {"backend": "hashing", "model": "hashing-384"}}, base_dir=base
    )
    knowledge = KnowledgeBase(settings, embedder=embedder)
    knowledge.install(build_memory_index(chunks, documents, embedder))
    return knowledge


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("nghi quyet 18 ve tinh gon bo may noi gi", "Nghị quyết số 18-NQ"),
        ("nghi quyet so 18-nq/tw", "Nghị quyết số 18-NQ/TW"),
        ("chỉ thị 35 nói gì về đại hội đảng bộ", "Chỉ thị số 35-CT"),
        ("quy định 144 về chuẩn mực đạo đức", "Quy định số 144-QĐi"),
        ("nq 18 quy định gì về sắp xếp tổ chức bộ máy", "Nghị quyết số 18-NQ"),
    ],
)
def test_a_document_the_library_lacks_is_named_and_never_quoted(kb, question, named):
    answer = kb.ask(question)
    assert not answer.found and answer.kind == "absent"
    assert answer.quotes == []
    text = render_plain(answer)
    assert named in text and "chưa có" in text and "Văn phòng Đảng ủy" in text


def test_the_signer_comes_from_the_signature_block(kb):
    answer = kb.ask("ai ký nghị quyết 03")
    assert answer.found and answer.kind == "metadata"
    text = render_plain(answer)
    assert "đồng chí Nguyễn Hòa Bình" in text
    assert "TM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG" in text  # the block, verbatim


def test_no_signer_is_invented_when_the_copy_has_none(kb):
    answer = kb.ask("ai ký nghị quyết 57?")
    assert not answer.found
    text = render_plain(answer)
    assert "không có phần chữ ký" in text and "Tô Lâm" not in text


def test_the_number_and_the_date_quote_the_header(kb):
    number = render_plain(kb.ask("nq 03 số mấy"))
    assert "Số hiệu: 03/NQ-CP" in number and "“Số: 03/NQ-CP”" in number
    date = kb.ask("nghị quyết 57 ban hành ngày nào?")
    assert date.found and date.quotes[0].text == "Hà Nội, ngày 22 tháng 12 năm 2024"
    assert "ngày 22 tháng 12 năm 2024" in date.lead


def test_an_articles_date_is_never_the_programmes(kb):
    answer = kb.ask("chương trình 01-CTr/TU ban hành ngày nào")
    assert not answer.found
    text = render_plain(answer)
    assert "bài báo" in text and "2023" not in text and "18/04" not in text


def test_a_section_question_lists_the_section_in_the_documents_order(kb):
    answer = kb.ask("nq 57 muc tieu den 2030 la gi")
    assert answer.found and answer.kind == "list"
    assert "II- MỤC TIÊU › 1. Đến năm 2030" in answer.lead
    texts = [q.text for q in answer.quotes]
    assert {q.doc_id for q in answer.quotes} == {NQ57}
    starts = ["Tiềm lực, trình độ", "Đóng góp của năng suất", "Kinh phí chi cho nghiên cứu"]
    starts += ["Hạ tầng công nghệ số", "Quản lý nhà nước từ Trung ương"]
    assert [t[: len(s)] for t, s in zip(texts, starts, strict=True)] == starts
    assert any("(R&D) đạt 2% GDP" in t for t in texts)
    assert not any("2045" in t for t in texts)


def test_a_list_question_gets_every_item_numbered_as_written(kb):
    answer = kb.ask("KL 69 những nhiệm vụ trọng tâm nào?")
    assert answer.kind == "list"
    assert [q.text.split(".")[0] for q in answer.quotes] == [str(i) for i in range(1, 8)]
    assert answer.quotes[0].text.startswith("1. Tăng cường sự lãnh đạo của Đảng")
    views = kb.ask("các quan điểm chỉ đạo của nghị quyết 57")
    assert [q.text[:2] for q in views.quotes] == ["1.", "2.", "3.", "4.", "5."]


def test_a_comparison_quotes_each_named_document_in_its_own_block(kb):
    answer = kb.ask("NQ 20 và NQ 57 khác nhau thế nào về mục tiêu")
    assert answer.found and answer.kind == "comparison"
    docs = [q.doc_id for q in answer.quotes]
    assert NQ20 in docs and NQ57 in docs
    text = render_plain(answer)
    assert text.index("20-NQ/TW (01/11/2012):") < text.index("57-NQ/TW (22/12/2024):")


def test_a_follow_up_is_read_with_the_previous_turn_until_cleared(kb):
    chat = Conversation()
    first = kb.ask("nq 57 mục tiêu đến 2030 là gì", conversation=chat)
    assert first.found and chat.doc_ids == (NQ57,)
    second = kb.ask("còn đến 2045?", conversation=chat)
    assert "2045" in second.asked and "57" in second.asked
    assert "Tầm nhìn đến năm 2045" in second.lead
    other = kb.ask("thế còn nq 20 thì sao?", conversation=chat)
    assert other.asked.startswith("nq 20") and {q.doc_id for q in other.quotes} == {NQ20}
    chat.clear()
    alone = kb.ask("còn đến 2045?", conversation=chat)
    assert alone.asked == ""  # no context: read as typed


def test_readme_examples_work_on_the_default_library(tmp_path):
    """The two questions README suggests, over knowledge/ as shipped."""
    from conftest import DEFAULT_LIBRARY

    from bot.ingest.chunking import chunk_document
    from bot.ingest.loaders import discover_files, load_file

    docs = [d for p in discover_files(DEFAULT_LIBRARY) for d in load_file(p, DEFAULT_LIBRARY)]
    assert not any(d.id.startswith("402-") for d in docs)  # the draft stays out
    chunks = [c for d in docs for c in chunk_document(d)]
    embedder = hashing_embedder()
    from bot.config import settings_from_dict

    settings = settings_from_dict({"embedding": {"backend": "hashing"}}, base_dir=tmp_path)
    knowledge = KnowledgeBase(settings, embedder=embedder)
    knowledge.install(build_memory_index(chunks, {d.id: d.meta for d in docs}, embedder))
    targets = knowledge.ask("nq 57 mục tiêu đến 2030 là gì")
    assert targets.found and "Kinh phí chi cho nghiên cứu phát triển (R&D) đạt 2% GDP" in (
        render_plain(targets)
    )
    date = render_plain(knowledge.ask("nghị quyết 57 ban hành ngày nào?"))
    assert "ngày 22 tháng 12 năm 2024" in date and "2023" not in date


def test_a_plan_implementing_a_resolution_is_asked_about_not_the_resolution(kb):
    date = kb.ask("Ke hoach cua Dang doan Quoc hoi thuc hien Nghi quyet 57 duoc ban hanh ngay nao?")
    assert "ngày 10 tháng 01 năm 2025" in date.lead and "3260-KH/ĐĐQH15" in date.lead
    number = kb.ask("ket luan cua bo chinh tri ve tiep tuc thuc hien nghi quyet 20 so may")
    assert "69-KL/TW" in number.lead


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Luật Đất đai 2024 có hiệu lực từ ngày nào?", "Luật Đất đai 2024"),
        ("luật khoa học, công nghệ và đổi mới sáng tạo có bao nhiêu điều", "công nghệ và đổi mới"),
        ("Theo Điều lệ Đảng, đảng viên dự bị được chuyển chính thức sau bao lâu?", "Điều lệ Đảng"),
    ],
)
def test_a_law_or_the_charter_named_by_title_is_not_in_the_library(kb, question, named):
    answer = kb.ask(question)
    assert not answer.found and answer.kind == "absent" and answer.quotes == []
    assert named in render_plain(answer)


def test_a_law_the_question_cites_inside_a_named_document_is_still_answered(kb):
    answer = kb.ask("luật tổ chức chính phủ được nq 03 căn cứ là luật ngày nào")
    assert answer.kind != "absent"


def test_a_bare_document_number_names_that_document(kb):
    answer = kb.ask("3260 giao tổ đảng Ủy ban Xã hội rà soát những luật nào")
    assert answer.found
    assert answer.doc_ids[0].startswith("3260-KH")


def test_follow_ups_swap_the_subject_the_body_or_ask_the_header(kb):
    chat = Conversation()
    kb.ask(
        "Nghị quyết 57 đặt mục tiêu số lượng công bố khoa học quốc tế tăng bao nhiêu?",
        conversation=chat,
    )
    answer = kb.ask("còn đơn đăng ký sáng chế?", conversation=chat)
    assert answer.found and "16 - 18%/năm" in render_plain(answer)

    chat = Conversation()
    kb.ask("nq 57 giao ban cán sự đảng Chính phủ làm gì", conversation=chat)
    answer = kb.ask("còn Đảng đoàn Quốc hội thì sao", conversation=chat)
    assert answer.asked == "nq 57 giao Đảng đoàn Quốc hội làm gì"

    chat = Conversation()
    kb.ask("Bài báo về Chương trình 01-CTr/TU đăng ngày nào?", conversation=chat)
    answer = kb.ask("ai viết bài đó?", conversation=chat)
    assert answer.found and "Hoàng Lan - Hoàng Mai" in render_plain(answer)


def test_a_when_question_about_a_party_body_is_not_an_issue_date(kb):
    # Folded, "đảng" is "dang", as "đăng" (an article's date) is: only publishing words count.
    answer = kb.ask("nq 57 giao ban can su dang chinh phu lam gi khi nao phai xong")
    assert answer.kind != "metadata"
    assert "2025" in render_plain(answer)


@pytest.mark.parametrize(
    "question",
    [
        "Hà Nội có bao nhiêu trường đại học công lập?",
        "muc luong co so cua can bo, cong chuc nam 2025 la bao nhieu?",
        "Tỷ lệ lạm phát của Việt Nam năm 2024 là bao nhiêu?",
    ],
)
def test_a_count_the_documents_never_state_is_refused(kb, question):
    # Each shares the documents' words ("trường đại học", "cán bộ", "tỷ lệ", a number).
    answer = kb.ask(question)
    assert not answer.found and answer.quotes == []


def test_a_count_the_documents_state_is_answered_without_naming_the_document(kb):
    answer = kb.ask("nhân lực nghiên cứu khoa học đạt bao nhiêu người trên một vạn dân")
    assert answer.found and "12 người trên một vạn dân" in render_plain(answer)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("đồng chí nào ký Nghị quyết 03/NQ-CP", "đồng chí Nguyễn Hòa Bình"),
        ("kết luận 69 có từ bao giờ", "11 tháng 01 năm 2024"),
        (
            "Chương trình hành động của Chính phủ thực hiện Nghị quyết 57 ký ngày mấy?",
            "09 tháng 01",
        ),
        ("kl 69 cua co quan nao", "Bộ Chính trị"),
        ("ke hoach thuc hien nq57 cua dang doan quoc hoi so bao nhieu", "3260-KH/ĐĐQH15"),
        ("Nghị quyết 03 có hiệu lực từ ngày nào", "có hiệu lực thi hành kể từ ngày ký ban hành"),
    ],
)
def test_header_facts_asked_in_other_words(kb, question, said):
    answer = kb.ask(question)
    assert answer.found and answer.kind == "metadata"
    assert said in render_plain(answer)


def test_no_effect_clause_is_said_plainly_not_quoted_from_elsewhere(kb):
    answer = kb.ask("Nghị quyết 57 có hiệu lực từ khi nào?")
    assert not answer.found and answer.quotes == []
    assert "không có câu nào nói về thời điểm có hiệu lực" in render_plain(answer)


def test_a_table_row_is_quoted_whole_with_its_fields(kb):
    # The row's task name ends with a full stop; the answer is in a later field.
    answer = kb.ask(
        "Theo danh mục nhiệm vụ kèm chương trình hành động, đến năm 2030 phải thành lập ít nhất "
        "bao nhiêu cơ sở nghiên cứu chính sách về công nghệ số?"
    )
    text = render_plain(answer)
    assert "Kết quả: Ít nhất 10 cơ sở được thành lập" in text


def test_a_quoted_lead_in_brings_the_items_it_announces(kb):
    answer = kb.ask("Nghị quyết 20 nêu những nguyên nhân của hạn chế nào?")
    text = render_plain(answer)
    assert answer.kind == "list" and "nguyên nhân chủ quan là chủ yếu" in text
    for label in ("a) Nhiều cấp ủy", "b) Việc thể chế", "c) Chưa tạo", "d) Chưa hình thành"):
        assert label in text.replace("uỷ", "ủy")
    assert "20-NQ/TW" in text
