"""What every extractor returns: ordered blocks of text with their kind."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """One paragraph, list item or heading, in reading order. ``text`` is normalised and may
    hold several lines when the format gives no better boundary (plain text, PDF blocks)."""

    text: str
    heading: bool = False
    page: int | None = None


@dataclass
class Extracted:
    kind: str  # pdf | html | docx | text | markdown
    media_type: str
    blocks: list[Block] = field(default_factory=list)
    pages: int = 0  # PDF pages; 0 for formats without pages
    title: str | None = None  # from the file's metadata, when it has a usable one
    language: str | None = None  # from the file's metadata, when it says
    head: str = ""  # the raw start of the text, running heads included (where symbols are)

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)
