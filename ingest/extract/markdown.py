"""Markdown with markdown-it-py (CommonMark): headings, paragraphs and list items become
blocks; ordered items keep their number; inline markup (emphasis, links, code) is
reduced to its text."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.extract.model import Block, Extracted
from ingest.extract.numbering import numbered
from ingest.extract.text import decode_or_reject
from ingest.normalize import normalize


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content if child.type != "html_inline" else "")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def extract(data: bytes, path: Path) -> Extracted:
    source = decode_or_reject(data, path)
    tokens = MarkdownIt("commonmark").parse(source)
    blocks: list[Block] = []
    heading = False
    labels: list[str] = []  # pending number of the list item being read, innermost last
    for token in tokens:
        if token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "list_item_open":
            labels.append(f"{token.info}{token.markup}" if token.info else "")
        elif token.type == "list_item_close":
            labels.pop()
        elif token.type in ("inline", "code_block", "fence"):
            text = normalize(_inline_text(token) if token.type == "inline" else token.content)
            if not text:
                continue
            if labels and labels[-1]:
                text = numbered(labels[-1], text)
                labels[-1] = ""  # a second paragraph of the same item has no number
            blocks.append(Block(text, heading=heading))
    return Extracted(kind="markdown", media_type="text/markdown", blocks=blocks)
