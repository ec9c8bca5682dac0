"""Hostile office files for the fault tests and the bomb benchmark: real .docx files whose
document.xml holds as many copies of one paragraph as asked (a compression bomb when large)."""

from __future__ import annotations

import io
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SENTENCE = "Đảng viên gương mẫu học tập và làm theo nghị quyết của Đảng. "


def docx_bytes(paragraphs: int, sentence: str = SENTENCE, per_paragraph: int = 1) -> bytes:
    """A real .docx (python-docx's template) whose body is `paragraphs` copies of a paragraph."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    paragraph = f"<w:p><w:r><w:t>{sentence * per_paragraph}</w:t></w:r></w:p>".encode()
    body = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'.encode()
        + paragraph * paragraphs
        + b"</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = body if item.filename == "word/document.xml" else source.read(item)
            z.writestr(item.filename, data)
    return out.getvalue()
