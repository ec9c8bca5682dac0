"""What an admin sees of the documents: `nqbot documents`, the index summary, labels, problems."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DEFAULT_LIBRARY, PARTY_CORPUS

from bot.catalog import DocumentInfo, document_infos, document_label, find_problems
from bot.cli import main
from bot.documents import Chunk, DocumentMeta
from bot.ingest.metadata import extract_metadata
from bot.telegram import messages as say

ARTICLE = "01-CTr-TU_2023-04-18_bao-Ha-Noi-Moi_tu-quyet-tam-doi-moi"


def _project(folder: Path, library: Path) -> Path:
    shutil.copytree(library, folder / "knowledge")
    config = folder / "config.yaml"
    config.write_text(
        "knowledge_dir: knowledge\nindex_dir: index\ndatabase: data/nqbot.sqlite3\n"
        "embedding: {backend: hashing, model: hashing-384}\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="module")
def default_library(tmp_path_factory) -> Path:
    """A project holding the shipped default library, indexed once."""
    config = _project(tmp_path_factory.mktemp("default"), DEFAULT_LIBRARY)
    assert main(["--config", str(config), "index", "--json"]) == 0
    return config


def test_documents_json_lists_every_default_document_with_code_date_and_kind(
    default_library, capsys
):
    capsys.readouterr()
    assert main(["--config", str(default_library), "documents", "--json"]) == 0
    listed = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    shipped = {p.stem for p in DEFAULT_LIBRARY.iterdir() if p.suffix in (".md", ".txt")}
    shipped.discard("PROVENANCE")
    assert set(listed) == shipped and len(listed) == 8
    assert all(d["code"] for d in listed.values())
    article = listed[ARTICLE]
    assert article["kind"] == "bài báo" and article["date"] == "2023-04-18"
    # Its sidecar names the newspaper.
    assert article["label"] == "Bài báo Hà Nội Mới (18/04/2023) về Chương trình 01-CTr/TU"
    others = [d for i, d in listed.items() if i != ARTICLE]
    assert {d["kind"] for d in others} == {"văn bản"}
    nq57 = next(d for d in others if d["code"] == "57-NQ/TW")
    assert (nq57["date"], nq57["type"], nq57["issuer"]) == (
        "2024-12-22",
        "Nghị quyết",
        "Bộ Chính trị",
    )
    assert nq57["passages"] > 0 and nq57["problems"] == []
    # The appendices carry no date of their own: the list says so instead of guessing.
    appendix = listed["03-NQ-CP_PhuLuc-I_chi-tieu"]
    assert appendix["problems"] == ["chưa có ngày ban hành"]


def test_documents_plain_names_the_article_as_an_article(default_library, capsys):
    capsys.readouterr()
    assert main(["--config", str(default_library), "documents"]) == 0
    out = capsys.readouterr().out
    assert "Kho có 8 văn bản" in out
    assert "Bài báo Hà Nội Mới (18/04/2023) về Chương trình 01-CTr/TU" in out
    assert "01-CTr/TU (18/04/2023)" not in out
    assert "Kế hoạch số 3260-KH/ĐĐQH15 ngày 10/01/2025, Đảng đoàn Quốc hội" in out
    assert "Tên: triển khai thực hiện Nghị quyết số 57-NQ/TW" in out


def test_documents_without_an_index_says_what_to_run(tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text("embedding: {backend: hashing, model: hashing-384}\n", encoding="utf-8")
    assert main(["--config", str(config), "documents"]) == 1
    assert "nqbot index" in capsys.readouterr().err


def test_index_summary_ends_with_the_changed_documents(tmp_path, capsys):
    folder = tmp_path / "p"
    folder.mkdir()
    config = _project(folder, DEFAULT_LIBRARY)
    assert main(["--config", str(config), "index"]) == 0
    first = capsys.readouterr().out
    assert "8 mới" in first and "Văn bản mới hoặc đã cập nhật:" in first
    assert "• Nghị quyết số 57-NQ/TW ngày 22/12/2024, Bộ Chính trị — về đột phá" in first
    assert "chỉ mục" not in first and "đoạn" not in first
    plan = folder / "knowledge" / "kh12.txt"
    plan.write_text(WARD_PLAN, encoding="utf-8")
    assert main(["--config", str(config), "index"]) == 0
    second = capsys.readouterr().out
    assert "1 mới" in second and "8 không đổi" in second
    changed = second.split("Văn bản mới hoặc đã cập nhật:")[1].strip().splitlines()
    assert changed == [
        "• Kế hoạch số 12-KH/ĐU ngày 15/03/2025, Đảng ủy phường Kim Mã — thực hiện Nghị quyết "
        "số 57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, công nghệ"
    ]


WARD_PLAN = (
    "ĐẢNG BỘ QUẬN BA ĐÌNH | ĐẢNG CỘNG SẢN VIỆT NAM\n"
    "ĐẢNG ỦY PHƯỜNG KIM MÃ\n*\nSố 12-KH/ĐU | Kim Mã, ngày 15 tháng 3 năm 2025\n"
    "KẾ HOẠCH\nthực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị\n"
    "về đột phá phát triển khoa học, công nghệ\n"
    "Thực hiện Kế hoạch số 25-KH/QU ngày 01/3/2025 của Ban Thường vụ Quận ủy Ba Đình, "
    "Đảng ủy phường xây dựng kế hoạch thực hiện như sau:\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "1. Quán triệt sâu sắc nội dung Nghị quyết đến toàn thể cán bộ, đảng viên trong phường.\n"
)


def _info(text: str, doc_id: str = "kh12") -> DocumentInfo:
    meta = extract_metadata(text, doc_id)
    chunk = Chunk(id=f"{doc_id}#0", doc_id=doc_id, position=0, text=text)
    return document_infos({doc_id: meta}, [chunk])[0]


def test_upload_confirmation_names_the_document_as_the_issue_asks():
    info = _info(WARD_PLAN)
    assert say.upload_done([info], is_new=True) == (
        "✅ Đã thêm: Kế hoạch số 12-KH/ĐU ngày 15/03/2025, Đảng ủy phường Kim Mã. "
        "Đảng viên đã có thể hỏi."
    )


def test_summary_is_the_body_not_the_header_debris():
    summary = _info(WARD_PLAN).summary
    assert summary.startswith("Thực hiện Kế hoạch số 25-KH/QU")
    assert "Số 12-KH/ĐU" not in summary and "ĐẢNG CỘNG SẢN" not in summary


def test_a_draft_is_labelled_as_one(tmp_path):
    [path] = PARTY_CORPUS.glob("402-CV*.md")
    from bot.ingest.loaders import load_file

    doc = load_file(path, PARTY_CORPUS)[0]
    info = document_infos({doc.id: doc.meta}, [])[0]
    assert info.kind == "dự thảo"
    assert document_label(info).startswith("Dự thảo: Công văn số 402-CV/VPĐU ngày 25/05/2025")


@pytest.mark.parametrize(
    ("meta", "problems"),
    [
        (DocumentMeta(code="1-KH/ĐU", date="2025-01-01", title="về công tác"), ()),
        (DocumentMeta(title="về công tác"), ("chưa có số hiệu", "chưa có ngày ban hành")),
        (DocumentMeta(code="1-KH/ĐU", date="2025-01-01"), ("chưa có tên (trích yếu)",)),
        (
            DocumentMeta(code="1-KH/ĐU", date="2025-01-01", title="khai thực hiện Nghị quyết"),
            ("tên có vẻ bị cắt",),
        ),
        (
            DocumentMeta(code="1-KH/ĐU", date="2025-01-01", title="về phát triển khoa học,"),
            ("tên có vẻ bị cắt",),
        ),
        (
            DocumentMeta(code="1-KH/ĐU", date="2025-01-01", title="về phát triển khoa học và"),
            ("tên có vẻ bị cắt",),
        ),
    ],
)
def test_problems_an_admin_should_check(meta, problems):
    assert find_problems(meta) == problems


def test_an_article_with_its_newspaper_named():
    info = DocumentInfo(
        doc_id="a",
        code="01-CTr/TU",
        title="Từ quyết tâm đổi mới",
        date="2023-04-18",
        issuer="Thành ủy Hà Nội",
        doc_type="Chương trình",
        chunks=3,
        summary="",
        source_kind="article",
        publisher="Hà Nội Mới",
    )
    assert document_label(info) == "Bài báo Hà Nội Mới (18/04/2023) về Chương trình 01-CTr/TU"
