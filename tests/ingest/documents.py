"""Writers of documents in every format ingest reads (PDF with fpdf2, DOCX with
python-docx, text, Markdown, HTML), for the ingest tests and for bench/ingest.py: the
documents are generated, never read from outside the repository."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import docx
from fpdf import FPDF


class _Paged(FPDF):
    """A PDF whose pages, given a running head, carry it and a page number in the footer."""

    def __init__(self, running_head: str | None) -> None:
        super().__init__()
        self.running_head = running_head

    def header(self) -> None:
        if self.running_head:
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, self.running_head, align="C")
            self.ln(12)

    def footer(self) -> None:
        if self.running_head:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, str(self.page_no()), align="C")


def new_pdf(running_head: str | None = None) -> FPDF:
    """A PDF open on its first page in the body font; what the extractor strips (running
    heads, page numbers) only with a ``running_head``."""
    pdf = _Paged(running_head)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    return pdf


def write_paragraphs(pdf: FPDF, paragraphs: Iterable[str]) -> None:
    """Each paragraph as a block of wrapped lines, with a gap after it."""
    for paragraph in paragraphs:
        pdf.multi_cell(0, 5, paragraph)
        pdf.ln(4)


def write_docx(
    path: Path, body: Iterable[str], heading: str | None = None, items: Iterable[str] = ()
) -> Path:
    """A Word document: an optional heading (also its title), plain paragraphs, then
    automatically numbered ones."""
    document = docx.Document()
    if heading:
        document.core_properties.title = heading
        document.add_heading(heading, level=1)
    for text in body:
        document.add_paragraph(text)
    for text in items:
        document.add_paragraph(text, style="List Number")
    document.save(str(path))
    return path


class Documents:
    """Writers for test documents in every supported format, in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def text(self, name: str, content: str) -> Path:
        path = self.folder / name
        path.write_text(content, encoding="utf-8")
        return path

    def pdf(self, name: str, paragraphs: list[str], header: str = "A/HRC/99/1") -> Path:
        """A PDF with a running header, page numbers in the footer and line-end hyphenation."""
        pdf = new_pdf(f"{header} - fixture document")
        write_paragraphs(pdf, paragraphs)
        return self._save(pdf, name)

    def encrypted_pdf(self, name: str) -> Path:
        pdf = new_pdf()
        write_paragraphs(pdf, ["A confidential text about minorities."])
        pdf.set_encryption(owner_password="owner", user_password="secret")
        return self._save(pdf, name)

    def image_only_pdf(self, name: str) -> Path:
        pdf = new_pdf()
        pdf.rect(20, 20, 120, 80, style="F")  # a scanned page: marks, no text layer
        return self._save(pdf, name)

    def docx(self, name: str, heading: str, items: list[str], body: list[str] = ()) -> Path:
        """Word document with a heading, automatically numbered paragraphs and plain ones."""
        return write_docx(self.folder / name, body, heading, items)

    def _save(self, pdf: FPDF, name: str) -> Path:
        path = self.folder / name
        pdf.output(str(path))
        return path


def write_two_column_report(path: Path, symbol: str, title: str, paragraphs: list[str],
                            footnotes: list[str]) -> Path:  # fmt: skip
    """A page set like a UN report: the symbol as running head, a full-width title, the
    paragraphs in two columns (the first half on the left), footnotes in small type under
    a rule at the foot, and the page number."""
    pdf = _Paged(symbol)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=13)
    pdf.multi_cell(0, 7, title)
    pdf.ln(4)
    top, width, gutter = pdf.get_y(), (pdf.epw - 10) / 2, 10
    half = (len(paragraphs) + 1) // 2
    pdf.set_font("Helvetica", size=10)
    for column, chunk in enumerate((paragraphs[:half], paragraphs[half:])):
        pdf.set_y(top)
        for paragraph in chunk:
            pdf.set_x(pdf.l_margin + column * (width + gutter))
            pdf.multi_cell(width, 5, paragraph)
            pdf.ln(3)
    pdf.set_y(-60)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 50, pdf.get_y())
    pdf.ln(2)
    pdf.set_font("Helvetica", size=7)
    for note in footnotes:
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(0, 3.5, note)
    pdf.output(str(path))
    return path
