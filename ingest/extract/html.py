"""HTML text with selectolax (the Lexbor HTML5 parser): block elements become blocks,
headings stay headings, ordered-list items get their number ("1.", "(a)", "(i)") so that
paragraph numbering survives, and page furniture (navigation, scripts, forms) is dropped."""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingest.errors import Rejected
from ingest.extract.model import Block, Extracted
from ingest.extract.numbering import letters, numbered, roman
from ingest.extract.sniff import decode
from ingest.normalize import normalize

_SKIP = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "svg", "button", "iframe", "select", "head", "object", "canvas", "menu",
}  # fmt: skip
_WHITESPACE = re.compile(r"\s+")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {
    "p", "div", "li", "blockquote", "pre", "dd", "dt", "td", "th", "caption", "section",
    "article", "main", "body", "ol", "ul", "dl", "table", "tr", "tbody", "thead", "figure",
    "figcaption", "address", "center", "hr",
} | _HEADINGS  # fmt: skip


class _Walker:
    """Depth-first walk that collects inline text until a block element closes it."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.label = ""

    def flush(self, heading: bool = False) -> None:
        text = normalize("".join(self.buffer))
        self.buffer = []
        if text:
            if self.label:
                text = numbered(self.label, text)
            self.blocks.append(Block(text, heading=heading))
        self.label = ""

    def walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":  # source line breaks and indentation are not text
                self.buffer.append(_WHITESPACE.sub(" ", child.text_content or ""))
            elif tag == "br":
                self.buffer.append("\n")
            elif tag in _SKIP or tag == "-comment":
                continue
            elif tag in _BLOCKS:
                self.block(child, tag)
            else:
                self.walk(child)

    def block(self, node: LexborNode, tag: str) -> None:
        self.flush()
        if tag == "li":
            self.label = _list_label(node)
        self.walk(node)
        self.flush(heading=tag in _HEADINGS)


def _list_label(item: LexborNode) -> str:
    """The number an ordered list shows before this item, as text ('3.', '(b)', '(iv)')."""
    parent = item.parent
    if parent is None or parent.tag != "ol":
        return ""
    kind = (parent.attributes.get("type") or "1").strip()
    position = int(_int(parent.attributes.get("start")) or 1)
    for sibling in parent.iter():
        if sibling.tag != "li":
            continue
        if sibling.attributes.get("value") and _int(sibling.attributes.get("value")):
            position = int(_int(sibling.attributes.get("value")))
        if sibling == item:
            break
        position += 1
    if kind == "a":
        return f"({letters(position)})"
    if kind == "A":
        return f"{letters(position).upper()}."
    if kind in ("i", "I"):
        numeral = roman(position)
        return f"({numeral})" if kind == "i" else f"{numeral.upper()}."
    return f"{position}."


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip().lstrip("-").isdigit() else None


def extract(data: bytes, path: Path) -> Extracted:
    text = decode(data)
    if text is None:
        raise Rejected(path, "the HTML is not text in any encoding normgraph can tell")
    tree = LexborHTMLParser(text)
    root = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
    walker = _Walker()
    if root is not None:
        walker.walk(root)
        walker.flush()
    title_node = tree.css_first("title")
    title = normalize(title_node.text()) if title_node is not None else None
    html = tree.css_first("html")
    lang = html.attributes.get("lang") if html is not None else None
    return Extracted(
        kind="html",
        media_type="text/html",
        blocks=walker.blocks,
        title=title or None,
        language=(lang or "").split("-")[0].lower() or None,
    )
