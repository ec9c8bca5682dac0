"""A member's question → the Answer: chatter, follow-ups, absent documents, header facts,
comparisons, sections and lists, and otherwise the best verbatim sentences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from bot.answer import wording
from bot.answer.compare import comparison_answer
from bot.answer.compose import compose_answer
from bot.answer.facts import absent_answer, fact_answer, spoken_code
from bot.answer.followup import Turn, remember, resolve
from bot.answer.library import Library
from bot.answer.reading import Reading, read_question
from bot.answer.sections import continued_list, find_section, lead_in_section, section_answer
from bot.answer.support import asks_outside, states_count
from bot.answer.types import Answer
from bot.conversation import Conversation
from bot.documents import Chunk

# A draft or an article yields first place to a promulgated document scoring this close.
AUTHORITY_MARGIN = 0.75
SECTION_CONTENT_WORDS = 1  # more words of its own: a fact inside the section, not the section


class Retrieves(Protocol):
    """The retriever as the answers use it (bot.search.retriever.Retriever)."""

    def retrieve(
        self, question: str, k: int = 5, offset: int = 0, filters: Mapping | None = None
    ) -> Any: ...


def respond(
    question: str,
    retriever: Retrieves,
    library: Library,
    k: int = 5,
    offset: int = 0,
    filters: Mapping[str, Any] | None = None,
    conversation: Conversation | None = None,
) -> Answer:
    """The answer a member is shown, and the chat's context updated for the next turn."""
    turn = resolve(question, conversation)  # "Thêm kết quả" re-reads it in the same context
    answer = _answer(turn, retriever, library, k, offset, filters)
    if turn.implicit and not _kept(answer, turn):
        # The previous documents do not answer it: the question stands on its own.
        turn = Turn(question)
        answer = _answer(turn, retriever, library, k, offset, filters)
    answer = _with_kinds(answer, library)
    if turn.question != question:
        answer = replace(answer, asked=turn.question)
    if offset == 0:
        remember(conversation, turn, answer.doc_ids if answer.found else ())
    return answer


def _answer(
    turn: Turn,
    retriever: Retrieves,
    library: Library,
    k: int,
    offset: int,
    filters: Mapping[str, Any] | None,
) -> Answer:
    question = turn.question
    reading = read_question(question, library)
    if (reading.absent or reading.absent_titles) and not reading.doc_ids:
        return absent_answer(question, reading, library)
    if reading.asks and not reading.doc_ids and turn.doc_ids:
        reading = replace(reading, doc_ids=turn.doc_ids)  # "ai ký nó?": the previous document
    if offset == 0:
        if reading.asks and reading.doc_ids:
            fact = fact_answer(question, reading, library)
            if fact is not None:
                return fact
        if reading.comparison and len(reading.doc_ids) >= 2:
            compared = comparison_answer(question, reading, library, _searcher(retriever))
            if compared is not None:
                return compared
    scope = dict(filters or {})
    if turn.doc_ids and not reading.doc_ids and "doc_id" not in scope:
        scope["doc_id"] = list(_with_siblings(turn.doc_ids, library))
    result = retriever.retrieve(question, k=k, offset=offset, filters=scope or None)
    hits = _authority_first(list(result.hits), library)
    if offset == 0 and (reading.section or reading.wants_list):
        listed = _section(question, reading, hits, library)
        if listed is not None:
            return listed
    # A follow-up's own words choose among the passages, helped by the previous question.
    quoting, context = (turn.focus, turn.question) if turn.focus else (question, "")
    answer = compose_answer(quoting, hits, result.found, reading.wants_list, context)
    supported = getattr(retriever, "supported", None)
    # A question about a named document, about a document's header, or a follow-up within
    # the previous answer's documents is about what the library holds.
    vouched = bool(reading.doc_ids or reading.asks or turn.doc_ids)
    if answer.found and not vouched and supported is not None:
        quoted = [q.text for q in answer.quotes] + [q.heading for q in answer.quotes]
        passages = [h.chunk.index_text for h in hits[:3]]
        if (
            not supported(question, quoted, hits, library.cites_a_kind(question))
            or asks_outside(question, passages)
            or not states_count(question, [q.text for q in answer.quotes])
        ):
            answer = compose_answer(quoting, hits, False)
    if answer.found and offset == 0:
        # "… nguyên nhân chủ quan là chủ yếu :": the items the quoted lead-in announces.
        answer = continued_list(answer, library) or answer
    if answer.found and reading.absent:
        names = ", ".join(spoken_code(code) for code in reading.absent)
        answer = replace(answer, notes=[wording.ALSO_ABSENT.format(names=names), *answer.notes])
    return answer


def _kept(answer: Answer, turn: Turn) -> bool:
    """An implicit follow-up stands when the previous documents answer it."""
    return answer.found and bool(set(answer.doc_ids) & set(turn.doc_ids))


def _with_kinds(answer: Answer, library: Library) -> Answer:
    """Citations say what their document is: a draft, a news article, a scan."""
    citations = [replace(c, source_kind=library.citation_kind(c.doc_id)) for c in answer.citations]
    return replace(answer, citations=citations)


def _section(question: str, reading: Reading, hits: Sequence, library: Library) -> Answer | None:
    """The named part of the named (or best-matching) document as a list of its items."""
    too_specific = len(reading.content) > SECTION_CONTENT_WORDS
    if too_specific and not reading.wants_list and reading.ordinal is None:
        return None
    doc_ids = list(reading.doc_ids) or [h.chunk.doc_id for h in hits[:1]]
    if not doc_ids:
        return None
    doc_ids = list(_with_siblings(doc_ids, library))
    chunks = [c for d in doc_ids for c in library.chunks_by_doc.get(d, ())]
    section = find_section(chunks, reading) or lead_in_section(chunks, reading)
    if section is None:
        return None
    return section_answer(question, section, library, reading.ordinal)


def _with_siblings(doc_ids: Sequence[str], library: Library) -> tuple[str, ...]:
    """The documents and those sharing their code (a resolution and its appendices)."""
    out = list(doc_ids)
    for doc_id in doc_ids:
        for code in library.codes.get(doc_id, ()):
            out.extend(d for d in library.matching(code) if d not in out)
    return tuple(out)


def _authority_first(hits: list, library: Library) -> list:
    """A promulgated document that also answers comes before a draft or a news article."""
    if not hits or library.kind(hits[0].chunk.doc_id) == "document":
        return hits
    top = hits[0].score
    promulgated = [
        h
        for h in hits
        if library.kind(h.chunk.doc_id) == "document" and h.score >= AUTHORITY_MARGIN * top
    ]
    if not promulgated:
        return hits
    return promulgated + [h for h in hits if h not in promulgated]


def _searcher(retriever: Retrieves):
    """Ranked passages of some documents only, for comparisons."""

    def search(question: str, doc_ids: Sequence[str]) -> list[Chunk]:
        result = retriever.retrieve(question, k=5, filters={"doc_id": list(doc_ids)})
        return [hit.chunk for hit in result.hits]

    return search
