"""Alignment of a document's segments to the provisions of an instrument in the graph
(``--instrument SLUG``): "Article 4" paragraph "3." is ``id/instrument/{slug}/art/4/para/3``,
operative paragraph "5." of a resolution ``.../para/5``, preambular paragraphs go by order
onto the instrument's ng:PreambularParagraph provisions. Sub-paragraphs ((a), (i)) are part
of their paragraph's wording; an article's wording is its own text and its paragraphs',
numbered. What the file has and the corpus lacks, and the reverse, is reported."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Store, Variable

from ingest.segment import Segment
from kg import sparql
from kg.errors import NormgraphError
from kg.iris import Iris


@dataclass(frozen=True)
class Provision:
    iri: str
    number: str
    order: int
    parent: str
    preambular: bool


@dataclass
class Structure:
    """An instrument's provisions as the graph has them."""

    slug: str
    iri: str
    provisions: dict[str, Provision] = field(default_factory=dict)

    @property
    def preamble(self) -> list[str]:
        pre = [p for p in self.provisions.values() if p.preambular]
        return [p.iri for p in sorted(pre, key=lambda p: p.order)]


@dataclass
class Alignment:
    provision_of: dict[int, str] = field(default_factory=dict)  # segment index -> provision IRI
    official: dict[str, str] = field(default_factory=dict)  # provision IRI -> wording
    in_file_only: list[str] = field(default_factory=list)
    in_corpus_only: list[str] = field(default_factory=list)

    def mismatches(self, slug: str) -> list[str]:
        """One line per direction, naming the provisions (empty when all is aligned)."""
        out = []
        if self.in_file_only:
            out.append(f"in the file but not in the corpus of {slug}: {_list(self.in_file_only)}")
        if self.in_corpus_only:
            out.append(f"in the corpus of {slug} but not in the file: {_list(self.in_corpus_only)}")
        return out


def _list(items: list[str], most: int = 12) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def structure(store: Store, iris: Iris, slug: str) -> Structure:
    """The instrument's provisions; an unknown instrument is the user's error."""
    instrument = iris.instrument(slug)
    here = {Variable("i"): instrument}
    found = sparql.run(store, "ASK { ?i a ng:Instrument }", iris.base, substitutions=here).value
    if not bool(found):
        raise NormgraphError(
            f"--instrument {slug}: no instrument with that id in the current release "
            f"(ids are those of corpus/instruments/*.yaml)"
        )
    rows = sparql.run(
        store,
        """SELECT ?i ?p ?n ?o ?parent (BOUND(?pre) AS ?preambular) WHERE {
             ?p ng:partOfInstrument ?i ; eli:number ?n ; ng:order ?o ; dcterms:isPartOf ?parent .
             OPTIONAL { ?p a ng:PreambularParagraph BIND(true AS ?pre) } }""",
        iris.base,
        substitutions=here,
    ).value
    result = Structure(slug, instrument.value)
    for row in rows:
        iri = row["p"].value
        result.provisions[iri] = Provision(
            iri,
            row["n"].value,
            int(row["o"].value),
            row["parent"].value,
            row["preambular"].value == "true",
        )
    return result


def _target(seg: Segment, index: int, found: Structure, iris: Iris) -> str | None:
    """The provision IRI a segment's path names (sub-items name their paragraph)."""
    if seg.kind == "preambular":
        preamble = found.preamble
        return preamble[index] if index < len(preamble) else None
    steps = [(kind, number) for kind, number in seg.path if kind in ("art", "para")]
    if not steps:
        return None
    try:
        return iris.provision(found.slug, *steps).value
    except ValueError:
        return None


def _item_marker(seg: Segment) -> str:
    items = [number for kind, number in seg.path if kind in ("item", "subitem")]
    return f"({items[-1]}) " if items else ""


def align(segments: list[Segment], found: Structure, iris: Iris) -> Alignment:
    result = Alignment()
    pieces: dict[str, list[str]] = defaultdict(list)
    preambular = 0
    prefix = found.iri + "/"
    for i, seg in enumerate(segments):
        if seg.kind == "text":
            continue  # title, chapeau ("The General Assembly,"), closing lines: no provision
        iri = _target(seg, preambular, found, iris)
        preambular += seg.kind == "preambular"
        if iri is None or iri not in found.provisions:
            result.in_file_only.append(_named(seg, iri, prefix))
            continue
        marker = _item_marker(seg)
        if not marker:
            result.provision_of[i] = iri
        pieces[iri].append(marker + seg.text)
        parent = found.provisions[iri].parent
        if parent in found.provisions and found.provisions[iri].number and not marker:
            pieces[parent].append(f"{found.provisions[iri].number}. {seg.text}")
        elif parent in found.provisions:
            pieces[parent].append(marker + seg.text)
    result.official = {iri: "\n".join(texts) for iri, texts in pieces.items()}
    result.in_corpus_only = [
        p.iri[len(prefix) :]
        for p in sorted(found.provisions.values(), key=_document_order(found))
        if p.iri not in result.official
    ]
    result.in_file_only = list(dict.fromkeys(result.in_file_only))
    return result


def _named(seg: Segment, iri: str | None, prefix: str) -> str:
    if seg.kind == "preambular":
        return seg.label.lower()  # "preambular paragraph 3": the corpus lists fewer
    return iri[len(prefix) :] if iri and iri.startswith(prefix) else seg.label


def _document_order(found: Structure):
    """Sort key: the chain of ng:order values from the instrument down."""

    def key(p: Provision) -> list[int]:
        chain = []
        while p is not None:
            chain.append(p.order)
            p = found.provisions.get(p.parent)
        return chain[::-1]

    return key
