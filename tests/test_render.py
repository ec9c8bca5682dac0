"""Renderers: the plain text and the Telegram HTML a member is shown, within Telegram's limits."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from answer_fixtures import NQ57_TITLE

from bot.answer import Answer, Citation, Quote, compose_answer
from bot.documents import Chunk, DocumentMeta
from bot.knowledge_base import DocumentInfo
from bot.render import (
    TELEGRAM_LIMIT,
    answer_paragraphs,
    citation_line,
    pack_messages,
    render_documents_html,
    render_html,
    render_passage_html,
    render_plain,
    telegram_length,
)
from bot.search.retriever import Hit

ALLOWED_TAGS = {"b", "i", "blockquote", "code"}


class _TagChecker(HTMLParser):
    """Parses one message the way a strict client would: allowed tags only, all balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def _check_message(message: str) -> str:
    """Assert one message is valid, small enough Telegram HTML; return its visible text."""
    assert telegram_length(message) <= TELEGRAM_LIMIT
    # Every & starts an entity: a raw "&" or a broken entity would be rejected.
    assert not re.search(r"&(?!(?:amp|lt|gt|quot|#\d+);)", message), message[:200]
    checker = _TagChecker()
    checker.feed(message)
    checker.close()
    assert checker.errors == [], checker.errors
    assert checker.stack == [], checker.stack
    text = "".join(checker.text)
    assert telegram_length(text) <= TELEGRAM_LIMIT
    return text


def _citation(chunk_id: str, text: str, **kw) -> Citation:
    base = dict(
        chunk_id=chunk_id,
        doc_id="nq57",
        code="57-NQ/TW",
        title=NQ57_TITLE,
        heading="II- MỤC TIÊU › 1. Đến năm 2030",
        date="2024-12-22",
        score=1.0,
        text=text,
    )
    base.update(kw)
    return Citation(**base)


def _quote(chunk_id: str, text: str) -> Quote:
    return Quote(
        text=text, doc_id="nq57", code="57-NQ/TW", heading="II- MỤC TIÊU", chunk_id=chunk_id
    )


def test_plain_answer_shows_quote_then_a_short_citation_line():
    chunk = Chunk(
        id="nq57#5",
        doc_id="nq57",
        position=5,
        text="Quy mô kinh tế số đạt tối thiểu 30% GDP.",
        heading_path=("II- MỤC TIÊU", "1. Đến năm 2030"),
        code="57-NQ/TW",
        title=NQ57_TITLE,
        date="2024-12-22",
    )
    answer = compose_answer("kinh tế số bao nhiêu phần trăm GDP", [Hit(chunk, 1.0)], True)
    text = render_plain(answer)
    assert "“Quy mô kinh tế số đạt tối thiểu 30% GDP.”" in text
    # On a phone: code, date and section number; the full title is behind "Xem nguyên văn".
    assert "— 57-NQ/TW (22/12/2024), mục II.1" in text
    assert NQ57_TITLE not in text
    assert text.index("30% GDP") < text.index("22/12/2024")
    assert citation_line(answer.citations[0]).startswith("57-NQ/TW · ")


def test_further_sources_are_one_line_per_document():
    cites = [
        _citation("nq57#5", "Quy mô kinh tế số đạt tối thiểu 30% GDP."),
        _citation(
            "kl69#2",
            "Khác.",
            doc_id="kl69",
            code="69-KL/TW",
            title="về tiếp tục",
            date="2024-01-11",
            heading="",
        ),
    ]
    cites.append(_citation("kl69#3", "Khác nữa.", doc_id="kl69", code="69-KL/TW", heading=""))
    answer = Answer(
        "q",
        True,
        quotes=[_quote("nq57#5", "Quy mô kinh tế số đạt tối thiểu 30% GDP.")],
        citations=cites,
    )
    text = render_plain(answer)
    assert text.index("30% GDP") < text.index("Đoạn liên quan khác") < text.index("69-KL/TW")
    assert text.count("69-KL/TW") == 1 and "69-KL/TW (11/01/2024): 2 đoạn" in text
    html_text = "\n".join(_check_message(m) for m in render_html(answer))
    assert "69-KL/TW (11/01/2024): 2 đoạn" in html_text


def test_not_found_says_khong_tim_thay_with_suggestions():
    answer = Answer("thời tiết?", False, suggestions=["Hỏi lại kèm số hiệu văn bản."])
    plain = render_plain(answer)
    assert "không tìm thấy" in plain and "Hỏi lại kèm số hiệu văn bản." in plain
    messages = render_html(answer)
    assert len(messages) == 1
    assert "không tìm thấy" in _check_message(messages[0])


def test_hostile_text_is_escaped():
    hostile = "Câu <script>alert('x')</script> & <b>đậm</b> 😀 &amp; </blockquote> hết."
    answer = Answer(
        hostile,
        True,
        quotes=[_quote("x#1", hostile)],
        citations=[_citation("x#1", hostile, title="<i>tựa & đề</i>", heading="<code>")],
    )
    for message in render_html(answer):
        assert "<script>" not in message and "<b>đậm</b>" not in message
        visible = _check_message(message)
        assert hostile in visible  # the member sees exactly what the document says
    not_found = Answer(hostile, False, suggestions=[hostile])
    assert hostile in "".join(_check_message(m) for m in render_html(not_found))


def test_long_answer_splits_on_paragraph_boundaries():
    sentence = (
        "Phát triển khoa học, công nghệ & đổi mới sáng tạo là đột phá quan trọng hàng đầu 😀. "
    )
    quotes, cites = [], []
    for i in range(24):
        text = (sentence * 10).strip() + f" Mục {i}."
        quotes.append(_quote(f"c#{i}", text))
        cites.append(_citation(f"c#{i}", text))
    answer = Answer("q", True, quotes=quotes, citations=cites)
    assert len(render_plain(answer)) > 20_000
    messages = render_html(answer)
    assert len(messages) >= 6
    for message in messages:
        _check_message(message)
    # Cut only between paragraphs: the parts joined back are the answer rendered unsplit.
    whole = pack_messages(answer_paragraphs(answer), budget=10**9)
    assert len(whole) == 1
    assert "\n\n".join(messages) == whole[0]


def test_one_over_long_paragraph_is_split_with_tags_reopened():
    text = " ".join(f"Câu số {i} có ký tự & và <thẻ> cùng 😀 biểu tượng." for i in range(700))
    assert len(text) > 20_000
    answer = Answer("q", True, quotes=[_quote("c#0", text)], citations=[_citation("c#0", text)])
    messages = render_html(answer)
    assert len(messages) >= 6
    visible = [_check_message(m) for m in messages]
    assert all("<blockquote>" in m for m in messages[:-1])  # reopened in each part
    # Nothing lost or altered: the words come back in order.
    assert " ".join(" ".join(visible).split()).count("😀") == 700
    assert "Câu số 699 có ký tự & và <thẻ> cùng 😀 biểu tượng." in visible[-1] or any(
        "Câu số 699" in v for v in visible
    )
    for part in visible:  # cut on sentence boundaries, never mid-word
        body = part.split("— ")[0].strip().strip("“”")
        assert body.endswith(".") or body.endswith("…") or body.endswith("tượng"), body[-30:]


def test_emoji_count_double_in_the_limit():
    text = "😀" * 6000  # 12,000 UTF-16 units, 6,000 code points
    answer = Answer("q", True, quotes=[_quote("c#0", text)], citations=[_citation("c#0", text)])
    messages = render_html(answer)
    for message in messages:
        _check_message(message)
    assert sum(m.count("😀") for m in messages) == 6000


def test_passage_and_document_list_fit_and_escape():
    chunk = Chunk(
        id="nq57#5",
        doc_id="nq57",
        position=5,
        text="\n\n".join(f"Đoạn {i}: <b> & nội dung dài." * 40 for i in range(20)),
        heading_path=("II- MỤC TIÊU", "1. Đến năm 2030"),
        code="57-NQ/TW",
        title=NQ57_TITLE,
        date="2024-12-22",
    )
    messages = render_passage_html(chunk, DocumentMeta(code="57-NQ/TW"))
    assert len(messages) > 1
    visible = [_check_message(m) for m in messages]
    assert visible[0].startswith("57-NQ/TW · ") and "II- MỤC TIÊU › 1. Đến năm 2030" in visible[0]
    docs = [
        DocumentInfo(
            f"d{i}", f"{i}-NQ/TW", "về <việc> & khác " * 5, "2024-12-22", None, None, 3, ""
        )
        for i in range(200)
    ]
    listing = render_documents_html(docs)
    short = [DocumentInfo(f"d{i}", f"{i}-KL/TW", "x", None, None, None, 1, "") for i in range(300)]
    short_listing = render_documents_html(short)
    assert len(short_listing) >= 3  # 300 bold codes: at most 100 formatting entities a message
    assert all(len(re.findall(r"<b>", m)) <= 100 for m in short_listing)
    assert "\n".join(_check_message(m) for m in short_listing).count("-KL/TW") == 300
    text = "\n".join(_check_message(m) for m in listing)
    assert "1. 0-NQ/TW (22/12/2024) — về <việc> & khác" in text
    assert html.escape("<việc>") in listing[0]


def test_the_full_passage_bolds_the_quoted_sentence_and_shows_the_full_title():
    chunk = Chunk(
        id="nq57#5",
        doc_id="nq57",
        position=5,
        text="Câu mở đầu. Quy mô kinh tế số đạt tối thiểu 30% GDP. Câu sau <b>.",
        heading_path=("II- MỤC TIÊU", "1. Đến năm 2030"),
        code="57-NQ/TW",
        title=NQ57_TITLE,
        date="2024-12-22",
    )
    html_text = "\n".join(
        render_passage_html(chunk, highlight=["Quy mô kinh tế số đạt tối thiểu 30% GDP."])
    )
    assert "<b>Quy mô kinh tế số đạt tối thiểu 30% GDP.</b>" in html_text
    assert NQ57_TITLE in html_text and "&lt;b&gt;" in html_text  # hostile text still escaped


def test_further_results_say_so():
    answer = Answer(
        "q",
        True,
        quotes=[_quote("nq57#5", "Quy mô kinh tế số.")],
        citations=[_citation("nq57#5", "Quy mô kinh tế số.")],
    )
    first = "\n".join(render_html(answer, further=True))
    assert first.startswith("<i>Các kết quả tiếp theo")
