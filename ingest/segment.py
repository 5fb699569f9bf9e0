"""The structure of legal and UN documents, recognised in extracted blocks.

Articles ("Article 4", "Artículo 4", "Article premier"), numbered paragraphs ("12."),
sub-paragraphs ("(a)", "(i)"), the preambular paragraphs of resolutions and declarations
("Recalling ...", "Reaffirming ...") and their numbered operative paragraphs, and section
headings ("II. Recommendations", "Part III", headings of HTML, DOCX and Markdown) become
:class:`Segment` s with a structural path such as ``(("art", "4"), ("para", "3"))``. The
path is what alignment maps onto provision IRIs and what passage labels are made of.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ingest.extract.model import Block
from ingest.normalize import join_lines

Path = tuple[tuple[str, str], ...]

_ARTICLE = re.compile(
    r"^(?:article|art\.|artículo|artigo)\s+"
    r"(?P<n>\d{1,3}(?:\s?(?:bis|ter|quater))?|[IVXLC]{1,6}|premier|primero|first)\b\.?"
    r"(?:\s*[-:.\u2013\u2014]\s*|\s+)?(?P<rest>.*)$",
    re.I,
)
_PARA = re.compile(r"^(?P<n>\d{1,4})[.)]\s+(?P<rest>\S.*)$", re.S)
_LETTER = re.compile(r"^\((?P<n>[a-z]{1,2})\)\s+(?P<rest>\S.*)$", re.S)
_ROMAN = re.compile(r"^\((?P<n>(?:x{0,2})(?:ix|iv|v?i{0,3}))\)\s+(?P<rest>\S.*)$", re.S)
_PART = re.compile(
    r"^(?:part|chapter|section|annex|partie|chapitre|anexo|parte|capítulo)\s+"
    r"(?:[IVXLC]+|\d+|[A-Z])\b",
    re.I,
)
_NUMBERED_HEADING = re.compile(r"^(?:[IVXLC]{1,6}|[A-H]|\d{1,2})\.\s+\S")
_ENDS_SENTENCE = re.compile(r"[.;:,!?]['\")\]]?$")
_CHAPEAU = re.compile(r"^The\s+[A-Z][^.]{2,120},$|^(?:L'|La |Le |El |La )[^.]{2,120},$")
_PREAMBLE = re.compile(
    r"^(?:Recalling|Reaffirming|Recogni[sz]ing|Noting|Taking (?:note|into account)|Welcoming|"
    r"Bearing in mind|Convinced|(?:Deeply |Gravely |Seriously )?[Cc]oncerned|Alarmed|Guided|"
    r"Emphasi[sz]ing|Stressing|Acknowledging|Considering|Aware|Mindful|Desiring|Determined|"
    r"Expressing|Underlining|Reiterating|Affirming|Having|Inspired|Believing|Encouraged|"
    r"Appreciating|Commending|Deploring|Condemning|Observing|Noting|Further|Also|Rappelant|"
    r"Réaffirmant|Reconnaissant|Notant|Considérant|Convaincue?|Soulignant|Recordando|"
    r"Reafirmando|Reconociendo|Observando|Considerando|Convencid[oa])\b"
)
_MAX_HEADING = 120
_MAX_PASSAGE = 4000  # characters; about a page


@dataclass
class Segment:
    """One unit of structure with its text; ``kind`` is one of KINDS."""

    kind: str
    path: Path
    text: str
    heading: str = ""  # the section heading it falls under, for display
    page: int | None = None

    @property
    def label(self) -> str:
        return label(self.path)


KINDS = ("article", "paragraph", "operative", "preambular", "item", "text")


def label(path: Path) -> str:
    """('art','4'),('para','3'),('item','a') -> 'Article 4, paragraph 3 (a)'."""
    words = {"art": "Article", "para": "paragraph", "pp": "preambular paragraph"}
    out = ""
    for kind, number in path:
        if kind in ("item", "subitem"):
            out += f" ({number})" if out else f"Item ({number})"
        else:
            word = words[kind]
            out += f", {word} {number}" if out else f"{word[0].upper()}{word[1:]} {number}"
    return out


@dataclass
class _Unit:
    text: str
    heading: bool
    page: int | None


def _starts_unit(line: str) -> bool:
    para = _PARA.match(line)
    numbered = para is not None and len(para["n"]) <= 3  # "2020. The ..." is a year
    return numbered or bool(_LETTER.match(line) or _ROMAN.match(line) or _heading_line(line))


def _heading_line(line: str) -> bool:
    """A line that is an article or section heading on its own."""
    if len(line) > _MAX_HEADING:
        return False
    match = _ARTICLE.match(line)
    if match:
        # "Article 4", "Article 4. Definitions"; not "Article 4 of the Declaration says"
        rest = match.group("rest")
        if not rest:
            return True
        title_like = not rest[0].islower() and len(rest.split()) <= 8
        return title_like and not _ENDS_SENTENCE.search(line)
    if _PART.match(line) and not _ENDS_SENTENCE.search(line):
        return True
    if not _NUMBERED_HEADING.match(line) or len(line) >= 80 or _ENDS_SENTENCE.search(line):
        return False
    # "1. Introduction" is a heading; "3. The State party should ensure that" a paragraph
    # cut by a page break
    return not line[0].isdigit() or len(line.split()) <= 5


def _units(blocks: list[Block]) -> Iterator[_Unit]:
    """Blocks split where a line starts a numbered item or a heading (plain text and PDFs
    often run them together), each unit's lines joined without line-end hyphenation."""
    for block in blocks:
        lines = [line for line in block.text.split("\n") if line.strip()]
        if block.heading:
            yield _Unit(join_lines(lines), True, block.page)
            continue
        current: list[str] = []
        for line in lines:
            if current and _starts_unit(line):
                yield _Unit(join_lines(current), False, block.page)
                current = []
            current.append(line)
            if _heading_line(line) and len(current) == 1:
                yield _Unit(join_lines(current), True, block.page)
                current = []
        if current:
            yield _Unit(join_lines(current), False, block.page)


@dataclass
class _State:
    segments: list[Segment] = field(default_factory=list)
    article: str | None = None
    para: str | None = None
    letter: str | None = None
    heading: str = ""
    preamble: int = 0  # preambular paragraphs seen
    chapeau: bool = False  # "The General Assembly," seen: a preamble follows

    def base(self) -> Path:
        return (("art", self.article),) if self.article else ()

    def emit(self, kind: str, path: Path, text: str, page: int | None) -> None:
        self.segments.append(Segment(kind, path, text, self.heading, page))

    def append(self, text: str) -> None:
        """Continue the last segment: a paragraph that runs over several blocks. A passage
        stays passage-sized: past _MAX_PASSAGE the text goes on in a new one, same path."""
        last = self.segments[-1]
        if len(last.text) + len(text) > _MAX_PASSAGE:
            self.segments.append(replace(last, text=text))
        else:
            self.segments[-1] = replace(last, text=f"{last.text}\n{text}")

    # -- one unit ---------------------------------------------------------------
    def feed(self, unit: _Unit) -> None:
        text = unit.text
        article = _ARTICLE.match(text)
        if article and (unit.heading or _heading_line(text)):
            self.start_article(article, unit)
        elif unit.heading or _heading_line(text):
            self.heading, self.article, self.letter = text, None, None
        elif (match := _PARA.match(text)) and self.plausible(match["n"]):
            self.numbered(match, unit)
        elif (match := _ROMAN.match(text)) and not self.is_next_letter(match.group("n")):
            self.item("subitem", match, unit)
        elif match := _LETTER.match(text):
            self.item("item", match, unit)
        else:
            self.unnumbered(unit)

    def start_article(self, match: re.Match, unit: _Unit) -> None:
        number = match.group("n")
        self.article = "1" if number.lower() in ("premier", "primero", "first") else number
        self.para = self.letter = None
        rest = match.group("rest").strip()
        if rest and _ENDS_SENTENCE.search(rest) and len(rest) > 60:  # "Article 1. States shall ..."
            self.emit("article", self.base(), rest, unit.page)

    def numbered(self, match: re.Match, unit: _Unit) -> None:
        self.para, self.letter = match.group("n"), None
        kind = "operative" if self.preamble and not self.article else "paragraph"
        self.emit(kind, (*self.base(), ("para", self.para)), match.group("rest"), unit.page)

    def plausible(self, number: str) -> bool:
        """Paragraph numbers past 999 only in sequence: "2020. The year ..." is a year."""
        return len(number) <= 3 or (self.para is not None and int(number) == int(self.para) + 1)

    def is_next_letter(self, numeral: str) -> bool:
        """'(i)' after '(h)' is a letter; after anything else a roman numeral."""
        return bool(self.letter) and len(numeral) == 1 and ord(numeral) == ord(self.letter[-1]) + 1

    def item(self, kind: str, match: re.Match, unit: _Unit) -> None:
        number = match.group("n")
        parent = (*self.base(), *((("para", self.para),) if self.para else ()))
        if kind == "item":
            self.letter = number
            path = (*parent, ("item", number))
        else:
            path = (
                *parent,
                *((("item", self.letter),) if self.letter else ()),
                ("subitem", number),
            )
        self.emit("item", path, match.group("rest"), unit.page)

    def unnumbered(self, unit: _Unit) -> None:
        text, last = unit.text, self.segments[-1] if self.segments else None
        continues = last is not None and (
            text[:1].islower() or (last.text.endswith((":", ";", ",")) and last.kind != "text")
        )
        if continues and last.kind != "preambular":
            self.append(text)
        elif self.article:
            if last is not None and last.path[:1] == self.base():
                self.append(text)  # a further paragraph of the same article
            else:
                self.emit("article", self.base(), text, unit.page)
        elif self.opens_preamble(text):
            self.preamble += 1
            self.emit("preambular", (("pp", str(self.preamble)),), text, unit.page)
        else:
            self.chapeau = self.chapeau or bool(_CHAPEAU.match(text))
            self.emit("text", (), text, unit.page)

    def opens_preamble(self, text: str) -> bool:
        """A preambular paragraph: before any numbered one, opening with a participle such
        as "Recalling", and after a chapeau ("The General Assembly,") or ending with a comma."""
        if self.para is not None or not _PREAMBLE.match(text):
            return False
        if any(s.kind in ("paragraph", "operative", "article") for s in self.segments):
            return False
        return self.chapeau or self.preamble > 0 or text.endswith((",", ";"))


def segment(blocks: list[Block]) -> list[Segment]:
    """Ordered segments of the document's structure, each with its text."""
    state = _State()
    for unit in _units(blocks):
        if unit.text:
            state.feed(unit)
    return state.segments


def title_of(blocks: list[Block]) -> str | None:
    """A title when the file's metadata has none: its first heading, or its first short line."""
    for block in blocks[:5]:
        first = block.text.split("\n")[0].strip()
        if block.heading or (0 < len(first) <= _MAX_HEADING and not _ENDS_SENTENCE.search(first)):
            return join_lines(block.text.split("\n")) if block.heading else first
    return None
