"""PDF text with PDFium (pypdfium2): the text of each line from PDFium's text boxes, in
reading order (two-column pages column by column), and a blank line wherever the gap to
the previous line is clearly wider than the page's line spacing: a gap is a paragraph
boundary. Running headers and footers (lines that recur at the top or bottom of most
pages, digits aside) and page numbers are removed; a paragraph cut by a page break is
joined again; line-end hyphenation is undone (normalize.join_lines).

PDFium replaced pypdf's layout mode (issue 15): on the bench's PDF the same passages but
one, two columns read one after the other instead of interleaved line by line, bulleted
items kept apart, and 4 to 7 times the speed (README, "Ingest after issue 15")."""

from __future__ import annotations

import ctypes
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

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
_GAP = 1.3  # a step this many times the line spacing is a paragraph gap
_END_OF_SENTENCE = re.compile(r"[.:;!?]['\")\]]?$")


def extract(data: bytes, path: Path) -> Extracted:
    document = _open(data, path)
    try:
        pages = [_page_lines(document[i]) for i in range(len(document))]
        title = _title(document)
    except Exception as error:  # PDFium fails on damaged content streams
        raise Rejected(path, f"not a readable PDF ({type(error).__name__}: {error})") from None
    finally:
        document.close()
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
        title=title,
        # a UN symbol sits in the masthead and the running heads, which are stripped above
        head="\n".join(pages[0]),
    )


def _open(data: bytes, path: Path) -> pdfium.PdfDocument:
    """The document, opened with the empty user password that many PDFs 'encrypted'
    only against editing have; a real password or a broken file is rejected."""
    try:
        document = pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise Rejected(path, _ENCRYPTED) from None
        raise Rejected(path, f"not a readable PDF ({error})") from None
    except Exception as error:  # untrusted input
        raise Rejected(path, f"not a readable PDF ({type(error).__name__}: {error})") from None
    if len(document) == 0:
        document.close()
        raise Rejected(path, "not a readable PDF (it has no pages)")
    return document


@dataclass
class _Line:
    """One line of text on a page: its boxes' union (PDF units, y upwards) and its text."""

    left: float
    bottom: float
    right: float
    top: float
    parts: list[tuple[float, float, str]]  # (left, right, text) of each box on the line

    @property
    def text(self) -> str:
        """The boxes' texts left to right, a space between two only where they stand
        apart (a box ends where the font changes, often inside a word or before a comma)."""
        out, end = "", None
        for left, right, text in sorted(self.parts):
            if end is not None and left - end > 2.0 and not out.endswith(" "):
                out += " "
            out, end = out + text, right
        return out.strip()


def _page_lines(page) -> list[str]:
    """The page's lines in reading order, with '' for a paragraph gap."""
    textpage = page.get_textpage()
    try:
        boxes = _boxes(textpage)
    finally:
        textpage.close()
    width = page.get_width()
    page.close()
    out: list[str] = []
    for column in _columns(boxes, width):
        if out:
            out.append("")
        out += _with_gaps(_lines(column))
    return [normalize(line) for line in out]


def _boxes(textpage) -> list[tuple[float, float, float, float, str]]:
    """PDFium's text boxes with their text: (left, bottom, right, top, text)."""
    # One call per box into a buffer shared by the page (pypdfium2's get_text_bounded makes
    # two, one for the length: each scans every character of the page). A box's text is at
    # most the page's characters, each with a line break, and PDFium's closing NUL.
    size = 3 * textpage.count_chars() + 3
    buffer = (ctypes.c_ushort * size)()
    boxes = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        got = pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, buffer, size)
        text = ctypes.string_at(buffer, 2 * max(got, 0)).decode("utf-16-le", "ignore")
        text = text.removesuffix("\x00")
        # PDFium marks a hyphen it takes to be a line-end one (U+0002 here, U+FFFE in
        # get_text_range): the hyphen goes back, normalize.join_lines decides the rest
        text = text.replace("\x02", "-").replace("\ufffe", "-")
        if text.strip():
            boxes.append((left, bottom, right, top, text))
    return boxes


def _lines(boxes: list[tuple]) -> list[_Line]:
    """Boxes on the same line (their vertical middles within the other's height), top to
    bottom; PDFium gives a box per run of text, several where the font changes."""
    lines: list[_Line] = []
    for left, bottom, right, top, text in sorted(boxes, key=lambda b: (-b[3], b[0])):
        middle = (bottom + top) / 2
        line = lines[-1] if lines else None
        if line is not None and line.bottom <= middle <= line.top:
            line.left, line.right = min(line.left, left), max(line.right, right)
            line.bottom, line.top = min(line.bottom, bottom), max(line.top, top)
            line.parts.append((left, right, text))
        else:
            lines.append(_Line(left, bottom, right, top, [(left, right, text)]))
    return lines


def _with_gaps(lines: list[_Line]) -> list[str]:
    """A blank line where the step from one line's bottom to the next is more than
    1.3 times the line spacing (the lower quartile of the page's steps, as paragraph and
    list gaps are often half of them) or than 2 line heights: a paragraph gap."""
    if not lines:
        return []
    steps = [a.bottom - b.bottom for a, b in itertools.pairwise(lines)]
    spacing = sorted(steps)[len(steps) // 4] if steps else 0.0
    out = [lines[0].text]
    for before, line, step in zip(lines, lines[1:], steps, strict=False):
        height = before.top - before.bottom
        if step > _GAP * min(spacing, height * 1.5):
            out.append("")
        out.append(line.text)
    return out


def _columns(boxes: list[tuple], width: float) -> list[list[tuple]]:
    """Boxes in reading order. A page set in two columns has a gutter: an upright strip
    near the middle that (almost) no text box crosses, with text on both sides; it is read
    as the full-width boxes above the columns, the left column, the right one, then the
    full-width boxes below. Any other page is one column."""
    if len(boxes) < 8:
        return [boxes]
    crossing, gutter = _gutter(boxes, width)
    left = [b for b in boxes if b[2] <= gutter]
    right = [b for b in boxes if b[0] >= gutter]
    if crossing > len(boxes) * 0.1 or not (_column(left) and _column(right)):
        return [boxes]
    top = max(b[3] for b in left + right)
    # footnotes and the like sit under both columns: below the right column's last line
    margin = Counter(round(b[0]) for b in right).most_common(1)[0][0]
    bottom = min(b[1] for b in right if abs(b[0] - margin) < 3)
    spanning = [b for b in boxes if b[0] < gutter < b[2]]
    above = [b for b in spanning if b[1] >= top - 1]
    below = [b for b in boxes if b[3] < bottom - 1 and b not in above]
    left = [b for b in left if b[3] >= bottom - 1]
    right = [b for b in right if b[3] >= bottom - 1]
    return [part for part in (above, left, right, below) if part]


def _gutter(boxes: list[tuple], width: float) -> tuple[int, int]:
    """The x (every 2 units across the middle 30% of the page) that the fewest boxes
    cross, the leftmost of equals, and how many cross it."""
    xs = np.arange(int(width * 0.35), int(width * 0.65), 2)
    if not len(xs):
        return len(boxes), 0  # a page too narrow for columns
    edges = np.array([(b[0], b[2]) for b in boxes])
    crossing = ((edges[:, :1] < xs) & (edges[:, 1:] > xs)).sum(axis=0)
    best = int(np.argmin(crossing))  # the first of the smallest: the leftmost x
    return int(crossing[best]), int(xs[best])


def _column(boxes: list[tuple]) -> bool:
    """Whether the boxes look like a column of text: four lines or more, most of them
    starting at one left margin (not the ends of lines that a code sample or a table cell
    leaves on either side of a gap)."""
    lines = _lines(boxes)
    if len(lines) < 4:
        return False
    margin = Counter(round(line.left) for line in lines).most_common(1)[0][0]
    return sum(abs(line.left - margin) < 3 for line in lines) >= 0.6 * len(lines)


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


def _title(document: pdfium.PdfDocument) -> str | None:
    title = document.get_metadata_dict(skip_empty=True).get("Title", "")
    title = normalize(str(title)) if title else ""
    # Word and converters often leave placeholders such as 'Microsoft Word - x.docx'
    if not title or title.lower().startswith(("microsoft word", "untitled")) or "." in title[-5:]:
        return None
    return title
