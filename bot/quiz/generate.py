"""Quiz items generated from passages: cloze questions on key facts and 'which document?'.

Pure: takes chunks and document metadata, returns QuizItems. Every item keeps the verbatim
sentence it was cut from, so the correct answer can be checked against the passage.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bot.documents import Chunk
from bot.ingest.tables import FIELD_SEPARATOR, row_fields
from bot.text.normalize import fold

BLANK = "___"
MAX_QUESTION = 300
MAX_OPTION = 100
MAX_EXPLANATION = 200
ITEMS_PER_CHUNK = 3
MAX_PER_DOCUMENT = 20  # a long statistical report must not crowd out the resolutions
MAX_PER_DRAFT = 10  # a draft ("dự thảo") is not yet what members must learn
WHICH_DOC_QUESTION = "Văn bản nào nêu nội dung sau?"


@dataclass(frozen=True)
class QuizItem:
    """One four-option question with its source passage and citation."""

    id: str
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    doc_id: str | None = None
    code: str | None = None
    chunk_id: str | None = None
    source_text: str = ""  # the sentence the item comes from, verbatim from the chunk
    kind: str = ""  # percent | number | year | code | name | body | document | curated
    origin: str = "generated"  # generated | curated
    heading: str = ""

    @property
    def answer(self) -> str:
        """The text of the correct option."""
        return self.options[self.correct]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (options as a list) for JSON and storage."""
        data = asdict(self)
        data["options"] = list(self.options)
        return data


def item_id(question: str, options: Sequence[str]) -> str:
    """Stable id: a hash of the question and its options (order-independent)."""
    key = question + "\x1f" + "\x1f".join(sorted(options))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- text cleaning

_MD_NOISE = re.compile(r"\*+|_{2,}|`+|\\(?=[-.()\[\]*_#+!|])|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_LEADING_MARK = re.compile(r"^\s*(?:#+\s*|[-+•]\s+|[a-zđ]\)\s+|\d{1,2}(?:\.\d{1,2})*\s*[-.)]\s+)")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Text as a member reads it: Markdown emphasis/escapes and list markers removed."""
    text = _MD_NOISE.sub("", text)
    text = _LEADING_MARK.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def normalise_option(text: str) -> str:
    """Key for comparing options: folded, spacing and punctuation ignored, '05' equals '5'."""
    key = re.sub(r"[^\w%,.]+", "", fold(text)).strip(".,")
    if re.fullmatch(r"[\d.,]+%?", key):
        return key.lstrip("0") or "0"
    return key.replace(",", "").replace(".", "")


def number_shape(text: str) -> tuple[bool, bool, bool]:
    """How a number is written (leading zero, decimal comma, thousands dot): options must agree."""
    return (bool(re.match(r"0\d", text)), "," in text, "." in text)


# ---------------------------------------------------------------- sentences

_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+(?=\S)|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or ';' clause of text; slices are verbatim."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_NOTE_STYLE = re.compile(r"[~&>]|\bT\d{1,2}/\d{4}\b|\(\d{1,2}\)|\bQuý [IV]+/")
_ABBREVIATION = re.compile(r"(?<![\w/-])(?![IVXLC]+\b)[A-ZĐ]{2,}\d*(?![\w/-])")


def _label_line(clean: str) -> bool:
    label = re.match(r"^[^:]{3,40}:\s", clean)
    return bool(label and not re.search(r"\d{4}$", label.group(0).strip(": ")))


def reads_as_fact(sentence: str) -> bool:
    """True for a sentence worth asking about: prose, not a heading, table row or list intro."""
    if (
        "|" in sentence
        or FIELD_SEPARATOR in sentence
        or "http" in sentence
        or "<-" in sentence
        or "_" in sentence
    ):
        return False  # tables, links, file lists
    if len(_ABBREVIATION.findall(sentence)) >= 3:
        return False  # note-style report lines ("TP TB chỉ đạt... DV") read as riddles
    marked = sum(1 for w in sentence.split() if fold(w) != w.lower())
    if marked < 0.2 * len(sentence.split()):
        return False  # not Vietnamese prose (an English note, a list of names)
    clean = clean_text(sentence)
    words = clean.split()
    if not 35 <= len(clean) <= 240 or len(words) < 7:
        return False
    if _label_line(clean):
        return False  # a label line from a report ("Dữ liệu hộ tịch: ..."), not a statement
    if _NOTE_STYLE.search(sentence):
        return False  # report notes ("~21.512 tỷ", "T3/2025", "&", "(1) ...") read as riddles
    letters = [c for c in clean if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.3:
        return False  # headings and header blocks are in capitals
    if clean.endswith(":") or clean.startswith(("(", "V/v", "Kính gửi", "Nơi nhận")):
        return False
    if clean.count("“") != clean.count("”") or clean.count("(") != clean.count(")"):
        return False  # a quote or bracket cut in half
    return True


# ---------------------------------------------------------------- answer finders

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
PERCENT_RE = re.compile(rf"(?<![\w.,/-])(?:{_NUM})\s?%")
YEAR_RE = re.compile(r"(?<=\b(?:năm|Năm) )(19[4-9]\d|20\d\d)(?![\w/.,-]|\s?-\s?\d)")
_DATE_BEFORE = re.compile(r"(?:tháng\s*\d{0,2}|/\d{1,2})\s*năm $")
CODE_RE = re.compile(
    r"(?<![\w-])\d{1,4}\\?[-‑–]\s?"
    r"(?:NQ|CT|KL|QĐi|QĐ|QC|TT|HD|TB|BC|TTr|KH|CTr|ĐA|PA|CV)/[A-ZĐƯ]{1,8}(?:\d{1,2})?(?![\w/])"
)
QUOTED_RE = re.compile(r"“([^“”\n]{3,60})”")
_CAP = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ"
# A body's name runs from its head word to a delimiter: "Bộ Tài chính chủ trì", "Bộ Công an,".
BODY_RE = re.compile(
    rf"(?<!\w)(?:Bộ|Ban|Ủy ban|Uỷ ban|Văn phòng|Ngân hàng|Viện|Đảng đoàn|Thành ủy|Thành uỷ)"
    rf" [{_CAP}][\wÀ-ỹ]*(?: [\wÀ-ỹ]+){{0,6}}?"
    r"(?=\s*(?:[,;.)]|chủ trì|phối hợp|và các|theo dõi|hướng dẫn|$))"
)
NUMBER_UNIT_RE = re.compile(rf"(?<![\w.,/%-])({_NUM})(?![\w.,/%-]) ([a-zà-ỹđ]+(?: [a-zà-ỹđ]+)?)")

# Words before a number that make it a date, a label or an ordinal, not a quantity.
_NOT_QUANTITY_BEFORE = re.compile(
    r"(?:ngày|tháng|năm|số|Số|Điều|điều|khoản|Khoản|khóa|khoá|thứ|Mục|mục|điểm|Phụ lục|giai đoạn|"
    r"nhóm|top|Top|hạng|Chương|chương|phần|Phần|kỳ)\s*$"
)
# Words after a number that are not units worth asking about.
_NOT_UNITS = {"tháng", "năm", "ngày", "giờ", "và", "của", "đến", "là", "đã", "với", "tại", "trong"}
_LEAD_UNITS = {"tỷ", "triệu", "nghìn", "ngàn", "vạn", "trăm"}
_NOT_IN_NAMES = {"để", "cho", "về", "các", "của", "trong", "với", "đã", "sẽ", "là", "được", "này"}
# Function words that say nothing about which option is right.
_STOP = {"va", "cua", "cac", "nhung", "trong", "voi", "cho", "la", "theo", "ve", "de", "tai", "—"}


@dataclass(frozen=True)
class _Candidate:
    kind: str
    start: int  # within the sentence (verbatim)
    end: int
    answer: str  # the option text (clean)
    key: str  # what distractors must share (unit, head word...)
    value: float | None = None


def _to_float(number: str) -> float:
    return float(number.replace(".", "").replace(",", "."))


def _unit_key(unit_words: str) -> str | None:
    words = unit_words.split()
    if not words or words[0] in _NOT_UNITS:
        return None
    if words[0] in _LEAD_UNITS and len(words) > 1:
        return " ".join(words[:2])
    return words[0]


def _find_candidates(sentence: str) -> list[_Candidate]:
    """Every askable fact in a sentence, best kinds first."""
    found: list[_Candidate] = []
    for m in PERCENT_RE.finditer(sentence):
        text = re.sub(r"\s", "", m.group(0))
        found.append(_Candidate("percent", m.start(), m.end(), text, "%", _to_float(text[:-1])))
    for m in NUMBER_UNIT_RE.finditer(sentence):
        if _NOT_QUANTITY_BEFORE.search(sentence[: m.start()]):
            continue
        key = _unit_key(m.group(2))
        number = m.group(1)
        if key is None or (len(number) == 4 and number.startswith(("19", "20"))):
            continue
        found.append(_Candidate("number", m.start(1), m.end(1), number, key, _to_float(number)))
    for m in YEAR_RE.finditer(sentence):
        if _DATE_BEFORE.search(sentence[: m.start()]):
            continue  # a date line ("ngày 25 tháng 5 năm 2025"), not a deadline
        found.append(_Candidate("year", m.start(), m.end(), m.group(0), "year", float(m.group(0))))
    for m in CODE_RE.finditer(sentence):
        code = canonical_code(m.group(0))
        doc_type = code.split("-", 1)[1].split("/")[0]
        found.append(_Candidate("code", m.start(), m.end(), code, doc_type))
    for m in QUOTED_RE.finditer(sentence):
        inner = clean_text(m.group(1))
        if len(inner.split()) < 2 or CODE_RE.search(inner):
            continue
        found.append(_Candidate("name", m.start(1), m.end(1), inner, "name", float(len(inner))))
    for m in BODY_RE.finditer(sentence):
        body = m.group(0)
        if set(body.split()) & _NOT_IN_NAMES:
            continue  # the match ran past the name into the sentence
        if any(w.isupper() and len(w) > 1 for w in body.split()[1:]):
            continue  # abbreviations ("Bộ KHCN") give the answer away by their form
        # Only the body that leads ("X chủ trì") is asked; others feed the distractor pool.
        leads = bool(re.match(r"\s*,?\s*chủ trì", sentence[m.end() :]))
        found.append(
            _Candidate("body" if leads else "body-pool", m.start(), m.end(), body, body.split()[0])
        )
    return found


def canonical_code(raw: str) -> str:
    """'57\\-NQ/TW', '57 – NQ/TW' → '57-NQ/TW'."""
    return re.sub(r"\\?\s*[-‑–]\s*", "-", raw.replace("\\", ""), count=1)


# ---------------------------------------------------------------- distractors


class _Pool:
    """Answers of each kind seen across the corpus, with the chunks they occur in."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], dict[str, _Candidate]] = defaultdict(dict)
        self.by_kind: dict[str, dict[str, _Candidate]] = defaultdict(dict)

    def add(self, cand: _Candidate) -> None:
        if cand.kind == "body-pool":
            cand = _Candidate("body", cand.start, cand.end, cand.answer, cand.key)
        norm = normalise_option(cand.answer)
        self.values[(cand.kind, cand.key)].setdefault(norm, cand)
        self.by_kind[cand.kind].setdefault(norm, cand)

    def distractors(
        self, cand: _Candidate, exclude: set[str], rng: random.Random, stem: str
    ) -> list[str] | None:
        """Three answers of the same kind and shape, none true in the same passage."""
        same = self.values.get((cand.kind, cand.key), {})
        pool = [c for n, c in same.items() if n not in exclude]
        if cand.kind in ("year", "body") and len(pool) < 3:
            return None
        if cand.kind == "code" and len(pool) < 3:
            pool += [
                c for n, c in self.by_kind["code"].items() if n not in exclude and c not in pool
            ]
        if cand.kind == "name":
            pool = [c for c in pool if 0.5 <= len(c.answer) / len(cand.answer) <= 2.0]
        if cand.value is not None and cand.kind in ("percent", "number", "year"):
            pool = [c for c in pool if _close(c.value, cand.value, cand.kind)]
        if cand.kind in ("percent", "number"):
            shape = number_shape(cand.answer)
            pool = [c for c in pool if number_shape(c.answer) == shape]
        stem_words = _tokens(stem) - _STOP
        answer_words = _tokens(cand.answer)
        pool = [c for c in pool if not ((_tokens(c.answer) - answer_words) & stem_words)]
        pool.sort(key=lambda c: c.answer)
        rng.shuffle(pool)
        chosen: list[str] = []
        values = [cand.value]
        for c in pool:
            # Options too close to each other (83,3% / 83,4%) read as a trick, not a question.
            if c.value is not None and any(_too_close(c.value, v) for v in values):
                continue
            chosen.append(c.answer)
            values.append(c.value)
            if len(chosen) == 3:
                break
        if len(chosen) < 3 and cand.kind == "number":
            chosen += _perturb(cand, exclude | {normalise_option(a) for a in chosen})
        return chosen[:3] if len(chosen) >= 3 else None


def _too_close(a: float, b: float | None) -> bool:
    return b is not None and abs(a - b) < max(1.0, 0.1 * max(abs(a), abs(b)))


def _close(value: float | None, target: float, kind: str) -> bool:
    if value is None:
        return False
    if kind == "year":
        return abs(value - target) <= 25
    if target == 0:
        return value <= 10
    ratio = value / target
    return 0.2 <= ratio <= 5


def _format_number(value: float, like: str) -> str:
    if "," in like:
        decimals = len(like.split(",")[1])
        text = f"{value:.{decimals}f}".replace(".", ",")
    else:
        text = str(round(value))
        if "." in like:
            text = f"{round(value):,}".replace(",", ".")
    return text


def _perturb(cand: _Candidate, exclude: set[str]) -> list[str]:
    """Numbers of the same shape near the answer, for units the corpus has too few of."""
    assert cand.value is not None
    out: list[str] = []
    for factor in (0.5, 2.0, 1.5, 0.75, 3.0):
        value = cand.value * factor
        if "," not in cand.answer and value >= 20:
            magnitude = 10 ** max(0, len(str(int(value))) - 2)
            value = round(value / magnitude) * magnitude
        text = _format_number(value, cand.answer)
        if re.match(r"0\d", cand.answer):
            text = text.zfill(len(cand.answer))
        if number_shape(text) != number_shape(cand.answer):
            continue
        if text != "0" and normalise_option(text) not in exclude:
            exclude = exclude | {normalise_option(text)}
            out.append(text)
        if len(out) == 3:
            break
    return out


# ---------------------------------------------------------------- generation


def _meta_get(meta: Any, name: str) -> Any:
    return getattr(meta, name, None) if meta is not None else None


def _heading_context(chunk: Chunk) -> str:
    """The innermost heading, when short, as context ('Đến năm 2030' vs 'Tầm nhìn đến năm 2045')."""
    if not chunk.heading_path:
        return ""
    heading = re.sub(r"^\s*(?:[IVX]+|\d+|[a-zđ])\s*[-.)|]\s*(?:\|\s*)?", "", chunk.heading_path[-1])
    heading = clean_text(heading)
    if not 3 <= len(heading) <= 50 or heading.isupper() or ":" in heading:
        return ""
    return heading


def _lead(chunk: Chunk, meta: Any) -> str:
    code = chunk.code or _meta_get(meta, "code")
    context = _heading_context(chunk)
    if code and context and _meta_get(meta, "source_kind") != "article":
        doc_type = _meta_get(meta, "doc_type")
        name = f"{doc_type} {code}" if doc_type else code
        return f"Theo {name}, mục “{context}”: "
    if _meta_get(meta, "source_kind") == "article":
        return f"Theo bài viết về {code}: " if code else "Theo bài viết: "
    doc_type = _meta_get(meta, "doc_type")
    if code and doc_type:
        return f"Theo {doc_type} {code}: "
    return f"Theo {code}: " if code else ""


def _explanation(answer: str, chunk: Chunk, meta: Any) -> str:
    code = chunk.code or _meta_get(meta, "code") or chunk.doc_id
    source = code
    if chunk.heading_path:
        source += " › " + clean_text(chunk.heading_path[-1])
    text = f"Đáp án: {answer}. Nguồn: {source}"
    if len(text) > MAX_EXPLANATION:
        text = text[: MAX_EXPLANATION - 1].rsplit(" ", 1)[0] + "…"
    return text


def _make_item(
    *,
    stem: str,
    answer: str,
    distractors: list[str],
    rng: random.Random,
    explanation: str,
    chunk: Chunk,
    code: str | None,
    source_text: str,
    kind: str,
) -> QuizItem:
    options = [answer, *distractors]
    rng.shuffle(options)
    return QuizItem(
        id=item_id(stem, options),
        question=stem,
        options=tuple(options),
        correct=options.index(answer),
        explanation=explanation,
        doc_id=chunk.doc_id,
        code=code,
        chunk_id=chunk.id,
        source_text=source_text,
        kind=kind,
        heading=chunk.heading,
    )


def _context_key(sentence: str, cand: _Candidate) -> str:
    """The words around a value: three before and two after, folded."""
    before = fold(clean_text(sentence[: cand.start])).split()[-3:]
    after = fold(clean_text(sentence[cand.end :]) if cand.end < len(sentence) else "").split()[:2]
    return cand.kind + ":" + " ".join(before) + " _ " + " ".join(after)


_CONNECTIVE = re.compile(
    r"^(?:Qua đó|Kết quả|Đồng thời|Theo đó|Trong đó|Do đó|Vì vậy|Từ đó|Nhờ đó|Bên cạnh đó|"
    r"Ngoài ra|Đây là|Điều này|Như vậy|Cùng với đó)\b"
)


def _needs_context(sentence: str) -> bool:
    """A clause that leans on the one before: a connective, or a ';' clause opening on a verb."""
    text = _LEADING_MARK.sub("", _MD_NOISE.sub("", sentence)).lstrip()
    return bool(_CONNECTIVE.match(clean_text(text))) or bool(
        re.match(r"(?:kiểm tra|thi hành|ban hành|xây dựng|triển khai|tổ chức|đã|có) ", text)
    )


def _counted_nearby(sentence: str, cand: _Candidate) -> bool:
    """A count the sentence spells out ('02 doanh nghiệp (Viettel, VNPT)') gives itself away."""
    return cand.kind == "number" and bool(
        re.match(r"[^()]{0,40}\([^)]*,[^)]*\)", sentence[cand.end :])
    )


def _good_cloze(body: str, cand: _Candidate) -> bool:
    """Enough of the sentence around the blank to know what is asked."""
    if len(body.split()) < 12:
        return False  # "Chuẩn hóa ___ thông tin mã số thuế." lacks what it is about
    # A missing subject ("___ nhiệm vụ đang thực hiện") is fine only when asking who leads.
    return not (body.startswith("\x00") and cand.kind != "body")


def _in_range(sentence: str, cand: _Candidate) -> bool:
    """True for one end of a range ('1% - 3%'): the other end would be a near-true distractor."""
    before, after = sentence[: cand.start], sentence[cand.end :]
    return bool(re.search(r"\d%?\s*[-–]\s*$", before) or re.match(r"\s*[-–]\s*\d", after))


_TARGET_WORDS = re.compile(
    r"phấn đấu|tối thiểu|ít nhất|đạt|đến năm|trên|khoảng|chiếm|thuộc nhóm|chủ trì", re.IGNORECASE
)
_KIND_RANK = {"code": 0, "name": 1, "percent": 2, "body": 3, "number": 4, "year": 5}


def generate_items(
    chunks: Iterable[Chunk], documents_meta: Mapping[str, Any], seed: int = 0
) -> list[QuizItem]:
    """Cloze and 'which document?' items over the chunks, deterministic for a seed."""
    chunks = list(chunks)
    pool = _Pool()
    per_chunk: list[tuple[Chunk, list[tuple[int, int, list[_Candidate]]]]] = []
    chunk_answers: dict[str, set[str]] = {}
    # Values each wording takes across the corpus ("kinh tế số đạt tối thiểu X GDP": 30% in
    # 2030, 50% in 2045): none of them may be a distractor for that wording.
    context_values: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        sentences = []
        seen: set[str] = set()
        for s, e in sentence_spans(chunk.text):
            cands = _find_candidates(chunk.text[s:e])
            for c in cands:
                pool.add(c)
                seen.add(normalise_option(c.answer))
                context_values[_context_key(chunk.text[s:e], c)].add(normalise_option(c.answer))
            sentences.append((s, e, cands))
        per_chunk.append((chunk, sentences))
        chunk_answers[chunk.id] = seen

    items: list[QuizItem] = []
    used_ids: set[str] = set()
    used_stems: set[str] = set()
    answer_uses: dict[tuple[str, str, str], int] = defaultdict(int)
    doc_sentences = _which_document_pool(chunks, documents_meta)
    for chunk, sentences in per_chunk:
        meta = documents_meta.get(chunk.doc_id)
        code = chunk.code or _meta_get(meta, "code")
        lead = _lead(chunk, meta)
        rng = random.Random(f"{seed}:{chunk.id}")
        made = 0
        options_seen: set[str] = set()
        ranked = []
        for index, (s, e, cands) in enumerate(sentences):
            unit_start, offset = s, 0
            if _needs_context(chunk.text[s:e]):
                # "Qua đó, đã kiểm tra 21 đảng viên": say who, from the sentence before.
                prev = sentences[index - 1][0] if index else None
                if prev is None or len(clean_text(chunk.text[prev:e])) > 240:
                    if _CONNECTIVE.match(clean_text(chunk.text[s:e])):
                        continue
                elif not _label_line(clean_text(chunk.text[s:e])):
                    unit_start, offset = prev, s - prev
                else:
                    continue
            sentence = chunk.text[unit_start:e]
            if not reads_as_fact(sentence):
                continue
            for cand in _find_candidates(sentence) if offset else cands:
                if cand.start < offset or cand.kind not in _KIND_RANK:
                    continue
                if not _in_range(sentence, cand) and not _counted_nearby(sentence, cand):
                    ranked.append((_KIND_RANK[cand.kind], unit_start, sentence, cand))
        # Targets and commitments ("phấn đấu", "tối thiểu", "đến năm") make the best questions.
        ranked.sort(key=lambda r: (not _TARGET_WORDS.search(r[2]), r[0], r[1]))
        used_sentences: set[int] = set()
        for _rank, s, sentence, cand in ranked:
            if made >= ITEMS_PER_CHUNK or s in used_sentences:
                continue
            if normalise_option(cand.answer) in options_seen:
                continue
            answer_key = (chunk.doc_id, cand.kind, normalise_option(cand.answer))
            if answer_uses[answer_key] >= (1 if cand.kind == "code" else 2):
                continue  # plans cite their resolution everywhere: ask it once
            body = clean_text(sentence[: cand.start] + "\x00" + sentence[cand.end :])
            if not _good_cloze(body, cand):
                continue
            stem = lead + body.replace("\x00", BLANK)
            exclude = (
                chunk_answers[chunk.id]
                | {normalise_option(c.answer) for c in _find_candidates(sentence)}
                | context_values[_context_key(sentence, cand)]
            )
            distractors = pool.distractors(cand, exclude, rng, stem)
            if distractors is None:
                continue
            item = _make_item(
                stem=stem,
                answer=cand.answer,
                distractors=distractors,
                rng=rng,
                explanation=_explanation(cand.answer, chunk, meta),
                chunk=chunk,
                code=code,
                source_text=sentence,
                kind=cand.kind,
            )
            if check_item(item, chunk.text) or item.id in used_ids or stem in used_stems:
                continue
            answer_uses[answer_key] += 1
            used_stems.add(stem)
            items.append(item)
            used_ids.add(item.id)
            used_sentences.add(s)
            options_seen.add(normalise_option(cand.answer))
            made += 1
        which = doc_sentences.get(chunk.id)
        if which and made < ITEMS_PER_CHUNK + 1:
            item = _which_document_item(chunk, which, documents_meta, rng)
            if item and not check_item(item, chunk.text) and item.question not in used_stems:
                items.append(item)
                used_ids.add(item.id)
                used_stems.add(item.question)
    for item in _table_items(chunks, documents_meta, seed):
        if item.id not in used_ids and item.question not in used_stems:
            items.append(item)
            used_ids.add(item.id)
            used_stems.add(item.question)
    drafts = {
        doc_id
        for doc_id, meta in documents_meta.items()
        if "dự thảo" in (_meta_get(meta, "title") or "").lower()
    }
    return _balance(_drop_near_duplicates(items), drafts)


def _words(text: str) -> set[str]:
    return set(fold(clean_text(text)).split())


def _drop_near_duplicates(items: list[QuizItem]) -> list[QuizItem]:
    """One item per fact: reports restate a figure in summary and in detail."""
    kept: list[QuizItem] = []
    for item in items:
        words = _words(item.source_text)
        duplicate = any(
            k.doc_id == item.doc_id
            and k.answer == item.answer
            and len(words & _words(k.source_text)) > 0.35 * len(words | _words(k.source_text))
            for k in kept
        )
        if not duplicate:
            kept.append(item)
    return kept


def _balance(
    items: list[QuizItem], drafts: set[str] | frozenset[str] = frozenset()
) -> list[QuizItem]:
    """At most MAX_PER_DOCUMENT items per document (fewer for drafts), targets first."""
    by_doc: dict[str | None, list[QuizItem]] = defaultdict(list)
    for item in items:
        by_doc[item.doc_id].append(item)
    keep: set[str] = set()
    for doc_id, doc_items in by_doc.items():
        cap = MAX_PER_DRAFT if doc_id in drafts else MAX_PER_DOCUMENT
        ranked = sorted(
            doc_items,
            key=lambda it: (it.kind == "document", not _TARGET_WORDS.search(it.source_text)),
        )
        keep.update(it.id for it in ranked[:cap])
    return [it for it in items if it.id in keep]


# ---------------------------------------------------------------- appendix tables

TABLE_ITEMS_PER_DOCUMENT = 6  # per question template: a table is one fact pattern repeated
_SINGLE_BODY = re.compile(
    r"^(?:Bộ|Văn phòng|Ngân hàng|Ủy ban|Uỷ ban|Thanh tra|Ban|Viện|Đài|Thông tấn xã)"
    r" [^,;|]{2,50}$"
)
_MONTH_YEAR = re.compile(r"^(?:Tháng )?(\d{1,2})/(20\d\d)$")


def _table_header(lines: list[str]) -> list[str] | None:
    """The column headers of the document's task table (its rows name 'Cơ quan chủ trì')."""
    labels: dict[str, None] = {}
    for line in lines:
        fields = row_fields(line)
        if fields and any("chủ trì" in label for label, _ in fields):
            labels.update((label, None) for label, _ in fields)
    return list(labels) if len(labels) >= 4 else None


def _row_cells(line: str, header: list[str]) -> list[str] | None:
    """A row passage's cells in header order ('' for an empty cell), or None for another line."""
    fields = row_fields(line)
    if not fields or any(label not in header for label, _ in fields):
        return None
    values = dict(fields)
    return [values.get(label, "") for label in header]


def _appendix_name(meta: Any) -> str:
    """'Phụ lục II của Nghị quyết 03/NQ-CP' from the metadata."""
    title = _meta_get(meta, "title") or ""
    code = _meta_get(meta, "code") or ""
    doc_type = _meta_get(meta, "doc_type") or ""
    doc = f"{doc_type} {code}".strip()
    m = re.match(r"(Phụ lục [IVX\d]+)", title, re.IGNORECASE)
    return f"{m.group(1)} của {doc}" if m and doc else doc


def _quote_name(name: str, limit: int = 150) -> str:
    name = clean_text(name).rstrip(".;")
    if len(name) > limit:
        name = name[:limit].rsplit(" ", 1)[0].rstrip(",;") + "…"
    return name


def _table_items(
    chunks: list[Chunk], documents_meta: Mapping[str, Any], seed: int
) -> list[QuizItem]:
    """Who leads each task or target, and by when, from appendix tables ('Cơ quan chủ trì')."""
    by_doc: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        by_doc[chunk.doc_id].append(chunk)
    items: list[QuizItem] = []
    for doc_id, doc_chunks in by_doc.items():
        header = _table_header([ln for c in doc_chunks for ln in c.text.splitlines()])
        if header is None:
            continue
        lead_col = next(i for i, c in enumerate(header) if "chủ trì" in c)
        name_col = next(
            (i for i, c in enumerate(header) if "nhiệm vụ" in c.lower() or c == "Chỉ tiêu"), None
        )
        due_col = next((i for i, c in enumerate(header) if "Thời gian" in c), None)
        if name_col is None:
            continue
        rows: list[tuple[Chunk, str, list[str]]] = []
        for chunk in doc_chunks:
            for line in chunk.text.splitlines():
                cells = _row_cells(line, header)
                if cells is not None:
                    rows.append((chunk, line, cells))
        meta = documents_meta.get(doc_id)
        where = _appendix_name(meta)
        what = "nhiệm vụ" if "nhiệm vụ" in header[name_col].lower() else "chỉ tiêu"
        leads = "chủ trì theo dõi, đánh giá" if "theo dõi" in header[lead_col] else "chủ trì"
        bodies = sorted({r[2][lead_col] for r in rows if _SINGLE_BODY.match(r[2][lead_col])})
        dues = sorted(
            {
                r[2][due_col]
                for r in rows
                if due_col is not None and _MONTH_YEAR.match(r[2][due_col])
            }
        )
        rng = random.Random(f"{seed}:table:{doc_id}")
        order = list(range(len(rows)))
        rng.shuffle(order)
        made = {"table-body": 0, "table-deadline": 0}
        for index in order:
            chunk, line, cells = rows[index]
            name = cells[name_col]
            if len(name.split()) < 4:
                continue
            quoted = _quote_name(name)
            context = _heading_context(chunk)
            scope = f" ({context.lower()})" if context and re.search(r"\d{4}", context) else ""
            body = cells[lead_col]
            if made["table-body"] < TABLE_ITEMS_PER_DOCUMENT and _SINGLE_BODY.match(body):
                others = [b for b in bodies if b != body and b not in line]
                rng.shuffle(others)
                if len(others) >= 3:
                    stem = f"Theo {where}, cơ quan nào {leads} {what} “{quoted}”{scope}?"
                    item = _table_item(stem, body, others[:3], rng, chunk, meta, line, "table-body")
                    if not check_item(item, chunk.text):
                        items.append(item)
                        made["table-body"] += 1
                        continue
            due = cells[due_col] if due_col is not None else ""
            m = _MONTH_YEAR.match(due)
            if made["table-deadline"] < TABLE_ITEMS_PER_DOCUMENT and m:
                key = (int(m.group(1)), m.group(2))
                others = []
                for d in dues:
                    dm = _MONTH_YEAR.match(d)
                    if (int(dm.group(1)), dm.group(2)) != key:
                        others.append(f"{int(dm.group(1))}/{dm.group(2)}")
                others = sorted(set(others) - {due})
                rng.shuffle(others)
                if len(others) >= 3:
                    stem = f"Theo {where}, {what} “{quoted}” có thời hạn hoàn thành khi nào?"
                    answer = f"{int(m.group(1))}/{m.group(2)}"
                    item = _table_item(
                        stem, answer, others[:3], rng, chunk, meta, line, "table-deadline"
                    )
                    if not check_item(item, chunk.text):
                        items.append(item)
                        made["table-deadline"] += 1
    return items


def _table_item(
    stem: str,
    answer: str,
    distractors: list[str],
    rng: random.Random,
    chunk: Chunk,
    meta: Any,
    line: str,
    kind: str,
) -> QuizItem:
    return _make_item(
        stem=stem,
        answer=answer,
        distractors=distractors,
        rng=rng,
        explanation=_explanation(answer, chunk, meta),
        chunk=chunk,
        code=chunk.code or _meta_get(meta, "code"),
        source_text=line,
        kind=kind,
    )


# ---------------------------------------------------------------- which document?


_TYPE_NAMES = {
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "HD": "Hướng dẫn",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "CV": "Công văn",
    "BC": "Báo cáo",
    "TB": "Thông báo",
}


def _doc_label(meta: Any) -> str | None:
    """'Nghị quyết 57-NQ/TW': every option has this shape, so none stands out by form."""
    code = _meta_get(meta, "code")
    if not code or not CODE_RE.fullmatch(code):
        return None
    doc_type = _meta_get(meta, "doc_type") or _TYPE_NAMES.get(code.split("-", 1)[1].split("/")[0])
    return f"{doc_type} {code}" if doc_type else code


# Something specific a reader can place: a figure, a quoted name, an acronym, "Kế hoạch này".
_ANCHOR = re.compile(r"\d|“|\b[A-ZĐ]{2,}\b|(?:Kế hoạch|Kết luận|Nghị quyết|Chương trình) này")


def _shingles(text: str, n: int = 5) -> set[str]:
    words = fold(clean_text(text)).split()
    return {" ".join(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def _which_document_pool(
    chunks: list[Chunk], documents_meta: Mapping[str, Any]
) -> dict[str, tuple[int, int]]:
    """Per chunk, one sentence that only its own document says (usable for 'which document?')."""
    by_code: dict[str, str] = {}
    for doc_id, meta in documents_meta.items():
        if _meta_get(meta, "source_kind") != "article" and _doc_label(meta):
            by_code.setdefault(_meta_get(meta, "code"), doc_id)
    if len(by_code) < 4:
        return {}
    shingle_docs: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        code = _meta_get(documents_meta.get(chunk.doc_id), "code") or chunk.doc_id
        for sh in _shingles(chunk.text):
            shingle_docs[sh].add(code)
    out: dict[str, tuple[int, int]] = {}
    for chunk in chunks:
        meta = documents_meta.get(chunk.doc_id)
        code = _meta_get(meta, "code")
        if code not in by_code or by_code[code] is None:
            continue
        if _meta_get(meta, "source_kind") == "article":
            continue
        for s, e in sentence_spans(chunk.text):
            sentence = chunk.text[s:e]
            if not reads_as_fact(sentence) or not 80 <= len(clean_text(sentence)) <= 220:
                continue
            if not _ANCHOR.search(sentence):
                continue  # generic wording a member could not place in one document
            shingles = _shingles(sentence)
            # Party texts repeat each other (plans restate the resolution): keep sentences
            # no other document shares a 5-word run with, so only one option is true.
            if shingles and all(shingle_docs[sh] == {code} for sh in shingles):
                out[chunk.id] = (s, e)
                break
    return out


def _which_document_item(
    chunk: Chunk, span: tuple[int, int], documents_meta: Mapping[str, Any], rng: random.Random
) -> QuizItem | None:
    meta = documents_meta.get(chunk.doc_id)
    code = _meta_get(meta, "code")
    answer = _doc_label(meta)
    if not answer:
        return None
    others: dict[str, str] = {}
    for other in documents_meta.values():
        label = _doc_label(other)
        other_code = _meta_get(other, "code")
        if label and other_code != code and _meta_get(other, "source_kind") != "article":
            others.setdefault(other_code, label)
    if len(others) < 3:
        return None
    labels = sorted(others.values())
    rng.shuffle(labels)
    sentence = chunk.text[span[0] : span[1]]
    stem = f"{WHICH_DOC_QUESTION}\n“{clean_text(sentence)}”"
    return _make_item(
        stem=stem,
        answer=answer,
        distractors=labels[:3],
        rng=rng,
        explanation=_explanation(code, chunk, meta),
        chunk=chunk,
        code=code,
        source_text=sentence,
        kind="document",
    )


# ---------------------------------------------------------------- quality gates

_KIND_SHAPES = {
    "percent": re.compile(rf"^(?:{_NUM})%$"),
    "year": re.compile(r"^(?:19|20)\d\d$"),
    "number": re.compile(rf"^(?:{_NUM})$"),
    "code": re.compile(r"^\d{1,4}-[A-Za-zĐđ]+/[A-ZĐƯ]+\d*$"),
    "table-deadline": re.compile(r"^\d{1,2}/20\d\d$"),
    "table-body": _SINGLE_BODY,
}


def check_item(item: QuizItem, passage: str | None = None) -> list[str]:
    """Problems that make an item unfit to send (empty list: it passes the gates)."""
    problems: list[str] = []
    if not item.question.strip():
        problems.append("câu hỏi trống")
    if len(item.question) > MAX_QUESTION:
        problems.append(f"câu hỏi dài {len(item.question)} ký tự (tối đa {MAX_QUESTION})")
    if len(item.explanation) > MAX_EXPLANATION:
        problems.append(f"giải thích dài {len(item.explanation)} ký tự (tối đa {MAX_EXPLANATION})")
    if len(item.options) != 4:
        problems.append(f"có {len(item.options)} phương án (cần 4)")
    for option in item.options:
        if not option.strip():
            problems.append("có phương án trống")
        if len(option) > MAX_OPTION:
            problems.append(f"phương án dài {len(option)} ký tự (tối đa {MAX_OPTION})")
    if len({normalise_option(o) for o in item.options}) != len(item.options):
        problems.append("các phương án trùng nhau")
    if not 0 <= item.correct < len(item.options):
        problems.append("đáp án đúng không nằm trong các phương án")
        return problems
    if item.origin == "generated":
        problems += _check_source(item, passage)
        problems += _check_form(item)
    return problems


def _check_source(item: QuizItem, passage: str | None) -> list[str]:
    problems = []
    if passage is not None and item.source_text not in passage:
        problems.append("câu nguồn không có nguyên văn trong đoạn văn bản")
    clean_source = clean_text(item.source_text)
    if item.kind.startswith("table"):
        values = [value for _, value in row_fields(item.source_text) or []]
        cells = [normalise_option(c.removeprefix("Tháng ")) for c in values]
        if normalise_option(item.answer) not in cells:
            problems.append("đáp án không có trong dòng nguồn của bảng")
        quoted = re.search(r"“([^”]+?)…?”", item.question)
        if not quoted or quoted.group(1) not in clean_source:
            problems.append("nội dung trích trong câu hỏi không khớp dòng nguồn")
        return problems
    if item.kind == "document":
        if clean_source not in item.question:
            problems.append("câu trích không khớp nguyên văn")
        return problems
    if BLANK not in item.question:
        problems.append("câu hỏi không có chỗ trống")
        return problems
    stem = item.question.split(": ", 1)[1] if item.question.startswith("Theo ") else item.question
    if stem.replace(BLANK, item.answer, 1) not in clean_source:
        problems.append("điền đáp án vào chỗ trống không ra nguyên văn câu nguồn")
    return problems


def _tokens(text: str) -> set[str]:
    """Folded words, codes kept whole ('01-ctr/tu'), punctuation dropped."""
    return {t.strip("-/.,") for t in re.findall(r"[\w/.,-]+", fold(text))} - {""}


def _check_form(item: QuizItem) -> list[str]:
    problems = []
    shape = _KIND_SHAPES.get(item.kind)
    if shape and not all(shape.match(o) for o in item.options):
        problems.append("các phương án không cùng dạng")
    lengths = [len(o) for o in item.options]
    ratio = 3.5 if item.kind == "table-body" else 2.2
    if item.kind in ("name", "body", "table-body") and max(lengths) > ratio * min(lengths):
        problems.append("độ dài các phương án chênh lệch, dễ đoán")
    if item.kind == "body" and len({o.split()[0] for o in item.options}) != 1:
        problems.append("các cơ quan không cùng loại")
    stem_words = _tokens(item.question.replace(BLANK, " ")) - _STOP
    option_words = [_tokens(o) for o in item.options]
    shared = set.intersection(*option_words)
    overlaps = [bool((w - shared) & stem_words) for w in option_words]
    if item.kind != "document" and sum(overlaps) == 1:
        problems.append("một phương án lặp lại từ trong câu hỏi, dễ đoán")
    return problems
