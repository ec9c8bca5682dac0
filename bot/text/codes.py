"""Party document codes: '57-NQ/TW', and the loose ways members name them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocCode:
    """A Party document code: number, type, issuer ('57', 'NQ', 'TW')."""

    number: str  # digits as written, leading zeros kept: "01"
    doc_type: str  # canonical type: "NQ", "CTr", "QĐi", "KL", ...
    issuer: str | None  # canonical issuer "TW", "TU", "ĐUQH"...; None when a question omits it

    def __str__(self) -> str:
        return (
            f"{self.number}-{self.doc_type}/{self.issuer}"
            if self.issuer
            else (f"{self.number}-{self.doc_type}")
        )

    def matches(self, other: DocCode) -> bool:
        """Same number (ignoring leading zeros) and type; issuers agree when both are known."""
        if self.number.lstrip("0") != other.number.lstrip("0"):
            return False
        if self.doc_type.lower() != other.doc_type.lower():
            return False
        return self.issuer is None or other.issuer is None or self.issuer == other.issuer


def find_codes(text: str) -> list[DocCode]:
    """Strict Party codes written in a document, in order of appearance, without repeats."""
    raise NotImplementedError  # owner: text helper


def find_question_codes(question: str) -> list[DocCode]:
    """Codes a question names, strict or loose ('nq 57', 'chuong trinh 01 thanh uy')."""
    raise NotImplementedError  # owner: text helper
