"""The index folder: build it (incrementally, atomically) and load it back."""

from __future__ import annotations

from dataclasses import dataclass, field


class IndexMismatch(Exception):
    """The index on disk was built with another backend, model, dimensions or normaliser."""


class IndexMissing(Exception):
    """There is no index yet (run `nqbot index`)."""


@dataclass
class BuildSummary:
    """What one `nqbot index` run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"path", "reason"}
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """The --json form."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": list(self.skipped),
            "chunks": self.chunks,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
        }
