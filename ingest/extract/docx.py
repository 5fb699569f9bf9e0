"""Word documents with python-docx: body paragraphs and table cells in reading order
(headers, footers and footnotes are other parts of the file and stay out), "Heading"
and "Title" styles become headings, and Word's automatic numbering, which is not in
the text, is rebuilt from numbering.xml ("1.", "(a)", "(i)") so that it survives."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.errors import Rejected
from ingest.extract.model import Block, Extracted
from ingest.extract.numbering import letters, numbered, roman
from ingest.normalize import normalize

_FORMATS = {
    "decimal": str,
    "lowerLetter": letters,
    "upperLetter": lambda n: letters(n).upper(),
    "lowerRoman": roman,
    "upperRoman": lambda n: roman(n).upper(),
}


class _Numbering:
    """Counters of Word's list numbering, per list and level, as Word would show them."""

    def __init__(self, document: DocxDocument) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # a document without lists
        abstract = {
            a.get(qn("w:abstractNumId")): self._levels(a) for a in root.findall(qn("w:abstractNum"))
        }
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})

    @staticmethod
    def _levels(abstract) -> dict[int, tuple[str, str, int]]:
        levels = {}
        for lvl in abstract.findall(qn("w:lvl")):
            fmt, text, start = (
                lvl.find(qn("w:numFmt")),
                lvl.find(qn("w:lvlText")),
                lvl.find(qn("w:start")),
            )
            levels[int(lvl.get(qn("w:ilvl")))] = (
                fmt.get(qn("w:val")) if fmt is not None else "decimal",
                text.get(qn("w:val")) if text is not None else "",
                int(start.get(qn("w:val"))) if start is not None else 1,
            )
        return levels

    def label(self, paragraph: Paragraph, style) -> str:
        numpr = _numpr(paragraph, style)
        if numpr is None or numpr.numId is None:
            return ""
        num_id, level = str(numpr.numId.val), int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        levels = self.levels.get(num_id, {})
        if level not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        text = levels[level][1]
        for k in range(level + 1):
            fmt, _, start = levels.get(k, ("decimal", "", 1))
            value = counters[k] + start - 1 if counters[k] else start
            shown = _FORMATS.get(fmt, lambda n: "")(value)
            text = text.replace(f"%{k + 1}", shown)
        return text.strip() if levels[level][0] in _FORMATS else ""


def _numpr(paragraph: Paragraph, style):
    """The paragraph's list numbering, set on it or inherited from its style ("List Number")."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        style = style.base_style
    return None


def _body_items(document: DocxDocument) -> Iterator[Paragraph]:
    """Paragraphs of the body, table cells included, in document order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                for cell in row.cells:
                    yield from cell.paragraphs


class _Styles:
    """Each paragraph's style, looked up once per style id: python-docx finds the default
    style by scanning every style, for each paragraph that names none (most of them)."""

    def __init__(self) -> None:
        self._by_id: dict[str | None, object] = {}

    def of(self, paragraph: Paragraph):
        style_id = paragraph._p.style
        if style_id not in self._by_id:
            try:
                self._by_id[style_id] = paragraph.style
            except (KeyError, AttributeError):
                self._by_id[style_id] = None
        return self._by_id[style_id]


def _is_heading(style) -> bool:
    name = (style.name or "") if style is not None else ""
    return name.startswith("Heading") or name == "Title"


def extract(data: bytes, path: Path) -> Extracted:
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise Rejected(path, f"not a readable Word document ({error})") from None
    except Exception as error:  # lxml and python-docx raise many types on damaged files
        raise Rejected(path, f"not a readable Word document ({type(error).__name__})") from None
    numbering, styles = _Numbering(document), _Styles()
    blocks = []
    for paragraph in _body_items(document):
        style = styles.of(paragraph)
        label = numbering.label(paragraph, style)
        text = normalize(paragraph.text)
        if text:
            blocks.append(
                Block(numbered(label, text) if label else text, heading=_is_heading(style))
            )
    props = document.core_properties
    return Extracted(
        kind="docx",
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        blocks=blocks,
        title=normalize(props.title) or None if props.title else None,
        language=(props.language or "").split("-")[0].lower() or None,
    )
