"""PDF text with pypdf's layout mode, which keeps vertical gaps as blank lines: a gap is a
paragraph boundary. Running headers and footers (lines that recur at the top or bottom of
most pages, digits aside) and page numbers are removed; a paragraph cut by a page break
is joined again; line-end hyphenation is undone (normalize.join_lines)."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from ingest.errors import Rejected
from ingest.extract.model import Block, Extracted
from ingest.normalize import normalize

_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-\u2013\u2014]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-\u2013\u2014]?(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.I,
)
_ENCRYPTED = "the PDF is encrypted; ingest needs a copy without a password"
_EDGE_LINES = 2  # how many lines at the top and bottom of a page may be running heads
_RUNNING_MAX = 70  # running heads are short (symbol, title, date); body lines run full width
_END_OF_SENTENCE = re.compile(r"[.:;!?]['\")\]]?$")


def extract(data: bytes, path: Path) -> Extracted:
    reader = _open(data, path)
    try:
        pages = [_page_lines(page) for page in reader.pages]
    except Exception as error:  # pypdf raises many types on damaged content streams
        raise Rejected(path, f"not a readable PDF ({type(error).__name__}: {error})") from None
    if not any(line.strip() for lines in pages for line in lines):
        raise Rejected(
            path,
            "the PDF has no text layer (image-only or scanned); run OCR on it first",
        )
    running = _running_lines(pages)
    blocks: list[Block] = []
    for number, lines in enumerate(pages, start=1):
        kept = _strip_edges(lines, running)
        _append_page(blocks, _paragraphs(kept, number))
    return Extracted(
        kind="pdf",
        media_type="application/pdf",
        blocks=blocks,
        pages=len(pages),
        title=_title(reader),
        # a UN symbol sits in the masthead and the running heads, which are stripped above
        head="\n".join(pages[0]),
    )


def _open(data: bytes, path: Path) -> PdfReader:
    # pypdf logs warnings about every irregularity of real-world PDFs; the outcome is ours to say
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise Rejected(path, _ENCRYPTED)
        if len(reader.pages) == 0:  # forces the page tree to be read: a broken one fails here
            raise Rejected(path, "not a readable PDF (it has no pages)")
        return reader
    except Rejected:
        raise
    except FileNotDecryptedError:
        raise Rejected(
            path, "the PDF is encrypted; ingest needs a copy without a password"
        ) from None
    except Exception as error:  # untrusted input: pypdf raises many types, PdfReadError first
        raise Rejected(path, f"not a readable PDF ({type(error).__name__}: {error})") from None


def _decrypts_without_password(reader: PdfReader) -> bool:
    """Many PDFs are 'encrypted' only against editing, with an empty user password."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported cipher or a missing crypto library: still encrypted
        return False


def _page_lines(page) -> list[str]:
    text = page.extract_text(extraction_mode="layout")
    return [normalize(line) for line in text.split("\n")]


def _shape(line: str) -> str:
    """A line with its digits masked: 'A/HRC/45/44 page 3' recurs as 'A/HRC/#/# page #'."""
    return re.sub(r"\d+", "#", line.lower())


def _edges(lines: list[str]) -> list[str]:
    filled = [line for line in lines if line]
    return [x for x in filled[:_EDGE_LINES] + filled[-_EDGE_LINES:] if len(x) <= _RUNNING_MAX]


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Shapes of lines that recur at a page edge on most pages: running heads and feet."""
    if len(pages) < 2:
        return set()
    counts = Counter(shape for lines in pages for shape in {_shape(x) for x in _edges(lines)})
    needed = max(2, int(len(pages) * 0.6))
    return {shape for shape, n in counts.items() if n >= needed}


def _strip_edges(lines: list[str], running: set[str]) -> list[str]:
    """Drop running heads, feet and page numbers at the top and bottom of a page."""
    filled = [i for i, line in enumerate(lines) if line]
    edge = set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])
    return [
        line
        for i, line in enumerate(lines)
        if not (i in edge and (_shape(line) in running or _PAGE_NUMBER.match(line)))
    ]


def _paragraphs(lines: list[str], page: int) -> list[Block]:
    """Blank lines separate paragraphs; lines of one paragraph are kept apart by newlines
    for the segmenter (it splits off numbered items and headings) and joined later."""
    blocks, current = [], []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            blocks.append(Block("\n".join(current), page=page))
            current = []
    return blocks


def _append_page(blocks: list[Block], page_blocks: list[Block]) -> None:
    """Join a paragraph that a page break cut: the last one did not end a sentence and
    the next one starts in lower case."""
    if blocks and page_blocks:
        last, first = blocks[-1], page_blocks[0]
        if not _END_OF_SENTENCE.search(last.text) and first.text[:1].islower():
            blocks[-1] = Block(last.text + "\n" + first.text, page=last.page)
            page_blocks = page_blocks[1:]
    blocks.extend(page_blocks)


def _title(reader: PdfReader) -> str | None:
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:  # a broken info dictionary only loses the title
        return None
    title = normalize(str(title)) if title else ""
    # Word and converters often leave placeholders such as 'Microsoft Word - x.docx'
    if not title or title.lower().startswith(("microsoft word", "untitled")) or "." in title[-5:]:
        return None
    return title
