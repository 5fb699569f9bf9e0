"""Plain text: paragraphs are separated by blank lines; the segmenter splits numbered
items and headings that start a line inside a paragraph."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.errors import Rejected
from ingest.extract.model import Block, Extracted
from ingest.extract.sniff import decode
from ingest.normalize import normalize

_BLANK_LINES = re.compile(r"\n\s*\n")


def decode_or_reject(data: bytes, path: Path) -> str:
    text = decode(data)
    if text is None:
        raise Rejected(path, "not text in any encoding normgraph can tell")
    return text


def blocks_of(text: str) -> list[Block]:
    return [Block(part) for part in _BLANK_LINES.split(normalize(text)) if part.strip()]


def extract(data: bytes, path: Path) -> Extracted:
    return Extracted(
        kind="text", media_type="text/plain", blocks=blocks_of(decode_or_reject(data, path))
    )
