"""Answers from a document's header and signature block: who signed it, its number, its
date and issuer, each quoting the header or signature lines it comes from; and the reply
for a document the library does not hold."""

from __future__ import annotations

import re

from bot.answer import wording
from bot.answer.library import Library, display_date
from bot.answer.reading import Reading
from bot.answer.types import Answer, Citation, Quote
from bot.ingest import attribution as attr
from bot.text import question_words as qw
from bot.text.codes import PARTY_TYPES, STATE_TYPES, DocCode
from bot.text.normalize import fold
from bot.text.sentences import split_sentences


def _about_the_article(question: str) -> bool:
    folded = qw.folded_words(question)
    return any(f" {w} " in folded for w in ("bai bao", "bai viet", "dang", "dang tai"))


# An article's byline: one to four names of two to four capitalised syllables, on the last
# line of its text ("Hoàng Lan - Hoàng Mai").
_NAME = r"[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?: [A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,3}"
_BYLINE = re.compile(rf"^{_NAME}(?:\s*(?:-|–|,| và )\s*{_NAME}){{0,3}}$")


def article_byline(chunks) -> str:
    """The article's byline, from the last line of its last passage, or ''."""
    if not chunks:
        return ""
    last = chunks[-1].text.strip().splitlines()[-1].strip()
    return last if _BYLINE.match(last) else ""


def spoken_code(code: DocCode) -> str:
    """'Nghị quyết 18-NQ' → how a member would name it: 'Nghị quyết số 18-NQ'."""
    kind = PARTY_TYPES.get(code.doc_type) or STATE_TYPES.get(code.doc_type) or ""
    return f"{kind.capitalize()} số {code}" if kind else f"văn bản số {code}"


def absent_answer(question: str, reading: Reading, library: Library) -> Answer:
    """'The library has no such document', with the closest documents it has, never a quote."""
    names = ", ".join([*(spoken_code(code) for code in reading.absent), *reading.absent_titles])
    parts = [wording.NOT_IN_LIBRARY.format(names=names)]
    close = library.closest(set(reading.content))
    if close:
        parts.append(wording.CLOSEST.format(docs="; ".join(library.label(d) for d in close)))
    else:
        parts.append(wording.SEE_LIST)
    parts.append(wording.LOGGED)
    return Answer(question=question, found=False, kind="absent", reply=" ".join(parts))


def subject_document(question: str, reading: Reading, library: Library) -> str | None:
    """The document a header question is about. Usually the one it names; but "Kế hoạch của
    Đảng đoàn Quốc hội thực hiện Nghị quyết 57 ban hành ngày nào?" names 57-NQ/TW and asks
    about the plan that implements it: a document of the kind the question opens with whose
    title cites the named code."""
    named = library.main_document(reading.doc_ids)
    folded = qw.folded_words(question)
    kinds = {
        qw.folded_words(m.doc_type).strip(): m.doc_type
        for m in library.documents.values()
        if m.doc_type
    }
    first = min(
        ((folded.find(f" {k} "), k) for k in kinds if f" {k} " in folded),
        default=(-1, ""),
    )[1]
    if not first or named is None:
        return named
    named_kind = qw.folded_words(library.meta(named).doc_type or "").strip()
    if first == named_kind:
        return named
    numbers = {c.number.lstrip("0") for c in reading.codes}
    for doc_id, meta in library.documents.items():
        if doc_id in reading.doc_ids or library.kind(doc_id) != "document":
            continue
        # Its kind, or its title opening with the kind the question names: 03/NQ-CP is a
        # resolution that issues "Chương trình hành động của Chính phủ thực hiện NQ 57".
        title = qw.folded_words(meta.title or "")
        kind = qw.folded_words(meta.doc_type or "").strip()
        if kind != first and f" {first} " not in title:
            continue
        cited = {n.lstrip("0") for n in re.findall(r"(\d{1,5})-[A-ZĐ]", meta.title or "")}
        if numbers & cited:
            return doc_id
    return named


def fact_answer(question: str, reading: Reading, library: Library) -> Answer | None:
    """Signer, number, date or issuer of the named document, or None when not asked."""
    doc_id = subject_document(question, reading, library)
    if not reading.asks or doc_id is None:
        return None
    meta = library.meta(doc_id)
    if library.kind(doc_id) == "article":
        if reading.asks == "date" and _about_the_article(question) and meta.date:
            # "Bài báo … đăng ngày nào?": the article's own date, said to be the article's.
            lead = wording.ARTICLE_DATE.format(
                doc=library.label(doc_id, with_date=False), date=display_date(meta.date)
            )
            chunks = library.chunks_by_doc.get(doc_id, ())
            from bot.answer.compose import citation_of

            return Answer(
                question=question,
                found=True,
                kind="metadata",
                lead=lead,
                citations=[citation_of(chunks[0], 1.0)] if chunks else [],
            )
        if reading.asks == "signer":
            line = article_byline(library.chunks_by_doc.get(doc_id, ()))
            if line:
                lead = wording.ARTICLE_AUTHOR.format(
                    doc=library.label(doc_id, with_date=False), name=line
                )
                return _quoted(question, doc_id, library, lead, line, "signature")
        reply = wording.ARTICLE_ONLY.format(code=meta.code or library.label(doc_id))
        return Answer(question=question, found=False, kind="metadata", reply=reply)
    name = library.label(doc_id, with_date=reading.asks != "date")
    extra = meta.extra
    if reading.asks == "signer":
        if not extra.get(attr.SIGNER):
            return _refusal(question, wording.NO_SIGNER.format(doc=name))
        lead = wording.SIGNER.format(doc=name, name=extra[attr.SIGNER])
        return _quoted(question, doc_id, library, lead, extra[attr.SIGNATURE], "signature")
    if reading.asks == "number":
        if not meta.code:
            return _refusal(question, wording.NO_NUMBER.format(doc=name))
        lead = wording.NUMBER.format(code=meta.code, doc=library.label(doc_id))
        return _quoted(question, doc_id, library, lead, extra.get(attr.CODE_LINE, ""), "header")
    if reading.asks == "date":
        if not meta.date:
            return _refusal(question, wording.NO_DATE.format(doc=name))
        year, month, day = meta.date[:10].split("-")
        lead = wording.ISSUE_DATE.format(doc=name, day=day, month=month, year=year)
        return _quoted(question, doc_id, library, lead, extra.get(attr.DATE_LINE, ""), "header")
    if reading.asks == "about":
        return _about(question, doc_id, library)
    if reading.asks == "recipients":
        if not extra.get(attr.RECIPIENTS):
            return _refusal(question, wording.NO_RECIPIENTS.format(doc=name))
        lead = wording.RECIPIENTS.format(doc=name)
        return _quoted(question, doc_id, library, lead, extra[attr.RECIPIENTS], "recipients")
    if reading.asks == "effect":
        return _effect(question, doc_id, library, library.label(doc_id, with_date=False))
    if not meta.issuer:
        return _refusal(question, wording.NO_ISSUER.format(doc=name))
    lead = wording.ISSUER.format(doc=name, issuer=meta.issuer)
    return _quoted(question, doc_id, library, lead, extra.get(attr.CODE_LINE, ""), "header")


# "Nghị quyết này có hiệu lực thi hành kể từ ngày ký", not "bảo đảm hiệu lực, hiệu quả".
_EFFECT_CLAUSE = re.compile(r"co hieu luc (?:thi hanh|ke tu|tu|ngay)")


def _effect(question: str, doc_id: str, library: Library, name: str) -> Answer:
    """The document's own sentence on when it takes effect, or: it has none, and its date."""
    from bot.answer.compose import citation_of

    for chunk in library.chunks_by_doc.get(doc_id, ()):
        for sentence in split_sentences(chunk.text):
            if _EFFECT_CLAUSE.search(fold(sentence).lower()):
                quote = Quote(
                    text=sentence.strip(),
                    doc_id=doc_id,
                    code=chunk.code,
                    heading=chunk.heading,
                    chunk_id=chunk.id,
                )
                return Answer(
                    question=question,
                    found=True,
                    kind="metadata",
                    quotes=[quote],
                    citations=[citation_of(chunk, 1.0)],
                )
    date = display_date(library.meta(doc_id).date)
    reply = wording.NO_EFFECT.format(doc=name) + (
        " " + wording.ISSUED_ON.format(date=date) if date else ""
    )
    return _refusal(question, reply)


def _about(question: str, doc_id: str, library: Library) -> Answer | None:
    """What a document is about: its title (trích yếu), then its opening sentences."""
    from bot.answer.compose import citation_of
    from bot.text.sentences import sentence_spans

    meta = library.meta(doc_id)
    chunks = library.chunks_by_doc.get(doc_id, ())
    if not chunks or not meta.title:
        return None
    first = chunks[0]
    spans = sentence_spans(first.text, min_words=3)[:2]
    quotes = [
        Quote(
            text=first.text[s:e],
            doc_id=doc_id,
            code=first.code,
            heading=first.heading,
            chunk_id=first.id,
        )
        for s, e in spans
    ]
    lead = wording.ABOUT.format(doc=library.label(doc_id), title=meta.title)
    return Answer(
        question=question,
        found=True,
        kind="metadata",
        lead=lead,
        quotes=quotes,
        citations=[citation_of(first, 1.0)],
    )


def _refusal(question: str, reply: str) -> Answer:
    return Answer(question=question, found=False, kind="metadata", reply=reply)


def _quoted(
    question: str, doc_id: str, library: Library, lead: str, lines: str, part: str
) -> Answer:
    """A metadata answer: the fact in one line, then the header or signature lines verbatim."""
    meta = library.meta(doc_id)
    heading = {
        "signature": wording.SIGNATURE_HEADING,
        "recipients": wording.RECIPIENTS_HEADING,
    }.get(part, wording.HEADER_HEADING)
    chunk_id = f"{doc_id}#{part}"
    quotes = [Quote(text=lines, doc_id=doc_id, code=meta.code, heading=heading, chunk_id=chunk_id)]
    citation = Citation(
        chunk_id=chunk_id,
        doc_id=doc_id,
        code=meta.code,
        title=meta.title,
        heading=heading,
        date=meta.date,
        score=1.0,
        text=lines,
        source_kind=library.kind(doc_id),
    )
    return Answer(
        question=question,
        found=True,
        kind="metadata",
        lead=lead,
        quotes=quotes if lines else [],
        citations=[citation],
    )
