"""The one exception the ingest stage raises for a file it cannot use."""

from __future__ import annotations


class UnusableFile(Exception):
    """A file that cannot be indexed; str(exc) is the reason, in Vietnamese, for the summary."""
