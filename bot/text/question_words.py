"""The one list of Vietnamese question words: what a question asks for, not what it is about.

Matched on folded text (đ→d, marks off, lower case). Multi-syllable phrases are unambiguous
folded; single syllables such as "nào" or "ai" only count when typed with their marks.
"""

from __future__ import annotations

import re

from bot.text.normalize import fold, normalize

# Phrases that say what kind of answer is wanted. They are rare in the documents, so BM25
# would give them a high weight and pull in any passage that happens to say "bao nhiêu".
# "Nhằm mục đích gì": stripped from a question like the phrases below, but "mục" stays a
# content word elsewhere ("mục tiêu").
PURPOSE_PHRASES = ("nham muc dich gi", "voi muc dich gi", "muc dich gi", "de lam gi")
QUESTION_PHRASES = (
    "nhu the nao",
    "the nao",
    "la gi",
    "la bao nhieu",
    "bao nhieu",
    "khi nao",
    "luc nao",
    "bao gio",
    "o dau",
    "tai sao",
    "vi sao",
    "hay khong",
    "co phai",
    "dung hay sai",
    "dung khong",
    "phai khong",
    "cho biet",
    "nhu vay",
)
# Single syllables that are question words only with their marks ("ai" folded is also "AI").
ACCENTED_ONLY = frozenset({"gì", "nào", "ai", "Ai", "đâu", "vậy", "nhỉ", "ạ", "hả"})

# Folded syllables of the phrases above: not content when deciding whether a passage answers.
QUESTION_WORDS: frozenset[str] = frozenset(
    {s for p in QUESTION_PHRASES for s in p.split()} | {fold(w) for w in ACCENTED_ONLY}
)

# Folded function words and question words: they say nothing about which sentence holds a fact.
FUNCTION_WORDS: frozenset[str] = frozenset(
    """a ai bao bay cac cai chi cho co cua da dang de den di do duoc gi gio hay the thi thoi
    khi khong la lam ma may minh mot muon nao nay neu nhe nhi nhung noi o ra roi sao se so tai
    theo thi tren trong tu va van vay ve vi voi vo nhieu""".split()
)

# What a question asks for, as folded phrases matched between spaces (see folded_words).
ASKS_NUMBER = ("bao nhieu", "may", "ty le", "ti le", "phan tram", "so luong", "bao lau")
ASKS_PERCENT = ("phan tram", "ty le", "ti le")
ASKS_DATE = (
    "khi nao",
    "ngay nao",
    "nam nao",
    "bao gio",
    "luc nao",
    "thoi gian nao",
    "hieu luc",
    "thoi han",
    "den nam",
)
ASKS_BODY = ("ai", "co quan nao", "bo nao", "ban nao", "don vi nao", "chu tri", "to chuc nao")
# "When was it issued?": a date asked about the document itself.
ASKS_ISSUE_DATE = (
    "ngay nao",
    "nam nao",
    "khi nao",
    "bao gio",
    "luc nao",
    "thoi gian nao",
    "hom nao",
    "ngay bao nhieu",
    "ngay thang nam nao",
    "ngay may",
    "thang may",
    "ngay thang nao",
    "tu bao gio",
    "tu khi nao",
)
# "đăng" (an article) only beside words of publishing: folded, "dang" is also "đảng".
ISSUE_VERBS = (
    "ban hanh",
    "ky",
    "ra doi",
    "thong qua",
    "dang ngay",
    "dang vao",
    "dang bai",
    "dang tai",
    "duoc dang",
    "dang luc",
    "dang khi",
    "dang nam",
    "co tu",
)
# "Who signed it?"
ASKS_SIGNER = (
    "ai ky",
    "nguoi ky",
    "ky boi",
    "do ai ky",
    "ky ten",
    "ai da ky",
    "ai la nguoi ky",
    "danh nghia",
    "ky thay",
    "ky thay mat",
    "ai viet",
    "nguoi viet",
    "tac gia",
    "ai thay mat",
    "nao ky",
    "ai ky ten",
)
# "What is its number?": the document's code.
ASKS_NUMBER_OF_DOC = ("so may", "so bao nhieu", "so hieu", "ky hieu", "ma so", "so van ban")
# "Who issued it?"
ASKS_ISSUER = (
    "co quan nao ban hanh",
    "ai ban hanh",
    "do ai ban hanh",
    "ban hanh boi",
    "cap nao ban hanh",
    "noi ban hanh",
    "cua co quan nao",
    "cua cap nao",
)
# "Gửi cho những cơ quan nào?": the "Nơi nhận" list.
ASKS_RECIPIENTS = ("gui cho", "gui den", "gui toi", "noi nhan", "gui nhung", "gui ai")
# "Có hiệu lực từ khi nào?": the sentence on when it takes effect, if the document has one.
ASKS_EFFECT = ("hieu luc",)
# "Kết luận 69 là kết luận về việc gì?": what the document is about as a whole.
ASKS_ABOUT = (
    "ve viec gi",
    "ve van de gi",
    "noi ve gi",
    "noi ve cai gi",
    "noi dung chinh",
    "noi dung gi",
    "noi gi",
    "ve gi",
    "de lam gi",
    "ban ve gi",
)
ABOUT_WORDS = frozenset({"viec", "van", "de", "cai", "ban", "lam"})
# A list: "gồm những gì", "những nhiệm vụ nào", "mấy nhóm", "các quan điểm".
ASKS_LIST = (
    "gom nhung",
    "bao gom",
    "nhung gi",
    "nhung nhiem vu",
    "nhung giai phap",
    "nhung quan diem",
    "nhung muc tieu",
    "nhung noi dung",
    "nhung nhom",
    "cac nhiem vu",
    "cac giai phap",
    "cac quan diem",
    "cac muc tieu",
    "cac nhom",
    "may nhom",
    "bao nhieu nhom",
    "may quan diem",
    "bao nhieu quan diem",
    "may nhiem vu",
    "bao nhieu nhiem vu",
    "may giai phap",
    "liet ke",
    "ke ten",
    "nhung diem",
    "nhung linh vuc",
)
ASKS_COMPARISON = ("khac nhau", "so sanh", "giong nhau", "khac gi", "diem moi", "khac biet")

_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(p) for p in (*PURPOSE_PHRASES, *QUESTION_PHRASES)) + r")\b"
)


def folded_words(text: str) -> str:
    """' nq 03 cua cp co hieu luc tu khi nao ': folded words between single spaces."""
    return " " + " ".join(_WORD.findall(fold(text))) + " "


def asks(text_or_folded: str, phrases: tuple[str, ...]) -> bool:
    """True when the question holds one of the folded phrases as whole words."""
    folded = text_or_folded if text_or_folded.startswith(" ") else folded_words(text_or_folded)
    return any(f" {p} " in folded for p in phrases)


def strip_question_words(question: str) -> str:
    """The question without its question phrases ('là gì', 'bao nhiêu', 'nào'...)."""
    text = normalize(question)
    sylls = _WORD.findall(text)
    if not sylls:
        return text
    folded = [fold(s) for s in sylls]
    drop = [False] * len(sylls)
    joined = " ".join(folded)
    for match in _PHRASE_RE.finditer(joined):
        start = joined[: match.start()].count(" ")
        for i in range(start, start + match.group().count(" ") + 1):
            drop[i] = True
    for i, syll in enumerate(sylls):
        if syll in ACCENTED_ONLY:  # case-sensitive: "AI" is a subject, "ai" a question
            drop[i] = True
    kept = [s for s, d in zip(sylls, drop, strict=True) if not d]
    return " ".join(kept) if kept else text


# Words that name a part of a Party document ("mục tiêu", "tổ chức thực hiện"), folded.
SECTION_WORDS = (
    "to chuc thuc hien",
    "quan diem chi dao",
    "quan diem",
    "muc tieu tong quat",
    "muc tieu cu the",
    "muc tieu",
    "tam nhin",
    "nhiem vu trong tam",
    "nhiem vu giai phap",
    "nhiem vu",
    "giai phap",
    "dinh huong",
    "phan cong nhiem vu",
    "muc dich yeu cau",
    "muc dich",
    "yeu cau",
    "chi tieu",
    "nguyen nhan",
    "han che",
    "ket qua",
)
# Words that ask about a document as a whole or frame a question; no content of their own.
FRAME_WORDS = frozenset(
    """nghi quyet ket luan chuong trinh ke hoach chi thi quy dinh quyet dinh huong dan thong bao
    bao cao de an cong van van ban so cua ve noi gi la nhung cac nao gom bao gom co de ra dat
    neu xac dinh the hien duoc trong theo hay cho biet toi muon biet nq kl ct ctr kh qd tw tu cp
    chinh phu bo chinh tri dang doan quoc hoi trung uong may bao nhieu liet ke ke ten nhom noi
    dung chinh cu the den nam thu moi tong quat chu yeu trong tam sau day tren ra sao the nao""".split()
)
# Ordinal words: "nhiệm vụ thứ ba", "giải pháp thứ 3".
ORDINALS = {
    "nhat": 1,
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "tu": 4,
    "bon": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}
# A question that only makes sense after the previous one starts or ends like this.
FOLLOWUP_OPENINGS = ("con", "the con", "vay con", "con ve", "vay thi", "the thi", "con nhu")
FOLLOWUP_ENDINGS = ("thi sao", "thi the nao")  # "nq 20 thì sao?"
# Words that point back at the previous answer ("việc đó", "văn bản này").
FOLLOWUP_REFERENCES = (
    "viec do",
    "viec nay",
    "van ban do",
    "van ban nay",
    "nghi quyet do",
    "nghi quyet nay",
    "noi dung do",
    "noi dung nay",
    "nhiem vu do",
    "muc tieu do",
    "dieu do",
    "cai do",
    "van de do",
    "van de nay",
    "cua no",
    "no",
    "bai do",
    "bai nay",
    "bai bao do",
    "bai bao nay",
)
# Words that open the name of a body ("Ủy ban Kinh tế", "Đảng đoàn Quốc hội"): a follow-up
# naming one asks the previous question of that body.
BODY_OPENINGS = (
    "uy ban",
    "to dang",
    "dang doan",
    "ban can su",
    "ban tuyen giao",
    "ban",
    "bo",
    "van phong",
    "mat tran",
    "chinh phu",
    "quoc hoi",
)
