"""Small hand-made passages and the party corpus as chunks, for the answer/render/KB tests."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import EmbeddingSettings
from bot.documents import Chunk, DocumentMeta
from bot.search.embedders import make_embedder

NQ57_TITLE = "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"


def hashing_embedder():
    """The deterministic hashing embedder the tests use instead of the real model."""
    return make_embedder(EmbeddingSettings(backend="hashing", model="hashing-384"))


def small_corpus() -> tuple[list[Chunk], dict[str, DocumentMeta]]:
    """Five passages from three documents, with the 30% GDP target of 57-NQ/TW among them."""
    nq57 = DocumentMeta(code="57-NQ/TW", title=NQ57_TITLE, date="2024-12-22", doc_type="Nghị quyết")
    kl69 = DocumentMeta(
        code="69-KL/TW",
        title="về tiếp tục thực hiện Nghị quyết số 20-NQ/TW",
        date="2024-01-11",
        doc_type="Kết luận",
    )
    nq20 = DocumentMeta(
        code="20-NQ/TW",
        title="về phát triển khoa học và công nghệ phục vụ sự nghiệp công nghiệp hóa",
        date="2012-11-01",
        doc_type="Nghị quyết",
    )

    def chunk(doc_id: str, meta: DocumentMeta, pos: int, heading: tuple[str, ...], text: str):
        return Chunk(
            id=f"{doc_id}#{pos}",
            doc_id=doc_id,
            position=pos,
            text=text,
            heading_path=heading,
            code=meta.code,
            title=meta.title,
            date=meta.date,
        )

    chunks = [
        chunk(
            "nq57",
            nq57,
            0,
            (),
            "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số đang là yếu tố "
            "quyết định phát triển của các quốc gia. Kinh tế số là động lực tăng trưởng mới.",
        ),
        chunk(
            "nq57",
            nq57,
            5,
            ("II- MỤC TIÊU", "1. Đến năm 2030"),
            "Tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo đạt mức tiên tiến ở nhiều "
            "lĩnh vực quan trọng, thuộc nhóm dẫn đầu các nước có thu nhập trung bình cao. "
            "Kinh tế số phát triển mạnh mẽ trên toàn quốc và đóng góp ngày càng lớn vào tăng trưởng. "
            "Quy mô kinh tế số đạt tối thiểu 30% GDP. "
            "Tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt trên 80%.",
        ),
        chunk(
            "nq57",
            nq57,
            6,
            ("II- MỤC TIÊU", "2. Tầm nhìn đến năm 2045"),
            "Quy mô kinh tế số đạt tối thiểu 50% GDP; Việt Nam là một trong các trung tâm công "
            "nghiệp công nghệ số của khu vực và thế giới.",
        ),
        chunk(
            "kl69",
            kl69,
            2,
            ("2. Nhiệm vụ",),
            "Bảo đảm đầu tư cho khoa học và công nghệ tối thiểu 2% tổng chi ngân sách nhà nước "
            "hằng năm. Kinh tế số và khoa học công nghệ phải gắn với Nghị quyết số 45-NQ/TW của "
            "Hội nghị Trung ương lần thứ tám khoá XIII.",
        ),
        chunk(
            "nq20",
            nq20,
            3,
            ("III- NHIỆM VỤ",),
            "Xây dựng chương trình phát triển khoa học cơ bản trong một số lĩnh vực toán, vật lý, "
            "khoa học sự sống, khoa học biển.",
        ),
    ]
    return chunks, {"nq57": nq57, "kl69": kl69, "nq20": nq20}


_CODE_IN_NAME = re.compile(r"^(\d+)-([A-Za-z]+)-([A-Za-z0-9]+)_")


def party_chunks(corpus: Path) -> tuple[list[Chunk], dict[str, DocumentMeta]]:
    """The party corpus through the real loader and chunker."""
    from bot.ingest.chunking import chunk_document
    from bot.ingest.loaders import discover_files, load_file

    documents = [
        doc
        for path in discover_files(corpus)
        if path.name != "PROVENANCE.txt"
        for doc in load_file(path, corpus)
    ]
    chunks = [c for doc in documents for c in chunk_document(doc)]
    return chunks, {doc.id: doc.meta for doc in documents}
