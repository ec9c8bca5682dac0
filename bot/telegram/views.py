"""Answers, passages and documents as Telegram HTML messages and inline keyboards.

Every call into bot.render lives here, so the handlers never build HTML themselves.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import render
from bot.answer import Answer, short_title
from bot.catalog import DocumentInfo, document_label
from bot.documents import Chunk, DocumentMeta
from bot.telegram import messages as say

MAX_DOCUMENT_BUTTONS = 60
BUTTON_LABEL_CHARS = 40


def escape(text: object) -> str:
    """User or document text made safe for Telegram HTML."""
    return html.escape(str(text), quote=False)


def answer_messages(answer: Answer, further: bool = False) -> list[str]:
    """The composed answer as Telegram HTML messages (each ≤ 4096); further: 'Thêm kết quả'."""
    return render.render_html(answer, further=further)


def passage_messages(
    chunk: Chunk, meta: DocumentMeta | None, highlight: Sequence[str] = ()
) -> list[str]:
    """The full passage under its heading path, the quoted sentences in bold."""
    return render.render_passage_html(chunk, meta, highlight)


def documents_messages(documents: Sequence[DocumentInfo], admin: bool = False) -> list[str]:
    """The /vanban list: each document named as it is cited; admins also see kind, passages
    and what to check."""
    if not documents:
        return render.pack_messages([[((), say.NO_DOCUMENTS)]])
    header = say.DOCUMENTS_HEADER.format(count=len(documents))
    paragraphs: list[render.Paragraph] = [[(("b",), header)]]
    for i, doc in enumerate(documents, 1):
        line: render.Paragraph = [((), f"{i}. "), (("b",), document_label(doc))]
        if doc.title:
            title = short_title(doc.title, 120)
            line.append(((), f": “{title}”" if doc.source_kind == "article" else f" — {title}"))
        if admin:
            details = say.DOCUMENT_DETAILS.format(kind=doc.kind, passages=doc.chunks)
            line.append((("i",), f"\n   {details}"))
            if doc.problems:
                check = say.DOCUMENT_CHECK.format(problems=", ".join(doc.problems))
                line.append(((), f"\n   {check}"))
        paragraphs.append(line)
    return render.pack_messages(paragraphs, separator="\n")


def answer_keyboard(question_id: int, offset: int, k: int, found: bool) -> InlineKeyboardMarkup:
    """Buttons under an answer; the question's row id keeps callback data far below 64 bytes."""
    rows = []
    if found:
        rows.append(
            [
                InlineKeyboardButton(
                    say.BUTTON_SOURCE, callback_data=f"src:{question_id}:{offset}:0"
                ),
                InlineKeyboardButton(
                    say.BUTTON_MORE, callback_data=f"more:{question_id}:{offset + k}"
                ),
            ]
        )
    rows.append(
        [
            InlineKeyboardButton("👍", callback_data=f"fb:{question_id}:+"),
            InlineKeyboardButton("👎", callback_data=f"fb:{question_id}:-"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def next_source_keyboard(question_id: int, offset: int, index: int) -> InlineKeyboardMarkup:
    """One button: the next cited passage of the same answer."""
    data = f"src:{question_id}:{offset}:{index}"
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(say.BUTTON_NEXT_SOURCE, callback_data=data)]]
    )


def document_key(doc_id: str) -> str:
    """A short stable key for a document in callback data (doc ids can be long)."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:12]


def _label(doc: DocumentInfo) -> str:
    label = doc.code or doc.doc_id
    if doc.source_kind == "article" and doc.code:
        label = say.ARTICLE_BUTTON.format(code=doc.code)
    return label if len(label) <= BUTTON_LABEL_CHARS else label[: BUTTON_LABEL_CHARS - 1] + "…"


def documents_keyboard(documents: Sequence[DocumentInfo]) -> InlineKeyboardMarkup | None:
    """One button per document (two a row); tapping shows its summary."""
    # Numbered like the list: several documents can share a code (a resolution and its annexes).
    buttons = [
        InlineKeyboardButton(f"{i}. {_label(doc)}", callback_data=f"doc:{document_key(doc.doc_id)}")
        for i, doc in enumerate(documents[:MAX_DOCUMENT_BUTTONS], 1)
    ]
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def document_summary(doc: DocumentInfo) -> str:
    """One document's card: its name, title, date, issuer and its opening."""
    lines = [f"<b>{escape(document_label(doc))}</b>"]
    if doc.title:
        lines.append(escape(doc.title))
    details = []
    if doc.date:
        details.append(say.DOCUMENT_DATE.format(date=escape(render.format_date(doc.date))))
    if doc.issuer and doc.source_kind != "article":
        details.append(say.DOCUMENT_ISSUER.format(issuer=escape(doc.issuer)))
    if details:
        lines.append("<i>" + " · ".join(details) + "</i>")
    if doc.summary:
        lines.append("")
        lines.append(escape(doc.summary[:3000]))
    return "\n".join(lines)


def rows_list(title: str, items: Sequence[str]) -> list[str]:
    """A bold title and escaped lines, split into messages under the limit."""
    paragraphs = [[(("b",), title)]] + [[((), item)] for item in items]
    return render.pack_messages(paragraphs, separator="\n")
