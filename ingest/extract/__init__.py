"""Text out of files, whatever their format: PDF, HTML, DOCX, plain text, Markdown.

:func:`read_file` checks size and content (sniffed, not only the extension), picks the
extractor for the format and returns :class:`Extracted` blocks, already normalised. A
file that cannot be read raises :class:`ingest.errors.Rejected` with a plain reason.
"""

from __future__ import annotations

from ingest.extract.model import Block, Extracted
from ingest.extract.reader import SUPPORTED, claimed_format, extract_bytes, read_bytes, read_file

__all__ = [
    "SUPPORTED",
    "Block",
    "Extracted",
    "claimed_format",
    "extract_bytes",
    "read_bytes",
    "read_file",
]
