"""An ingested document as RDF, for its own named graph: the ng:Document with title,
language and provenance; its ordered ng:Passage s with text, label, the provision whose
wording they give, and their tags (ng:mentions plus ng:addressesTheme / ng:concernsGroup
for concepts, and an ng:Mention record with the count); the official wording on the
provisions (ng:officialText, language-tagged); and the countries it names."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from ingest import provenance
from ingest.tagging import Mention
from kg import countries
from kg.iris import Iris
from kg.vocab import XSD_INTEGER, expand

XSD_LANGUAGE = NamedNode("http://www.w3.org/2001/XMLSchema#language")
_CONCEPT_LINK = {"theme": "ng:addressesTheme", "group": "ng:concernsGroup"}


@dataclass
class Passage:
    n: int
    kind: str
    label: str
    heading: str
    text: str
    page: int | None = None
    provision: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Document:
    slug: str
    title: str
    language: str
    source: provenance.Source
    pages: int = 0
    symbol: str | None = None
    instrument: str | None = None  # IRI of the instrument whose text this is
    passages: list[Passage] = field(default_factory=list)
    official: dict[str, str] = field(default_factory=dict)  # provision IRI -> wording


class _Quads(list):
    """Built as quads of the document's graph: converting 10^5 triples to quads for the
    store cost as much as building them."""

    def __init__(self, iris: Iris, graph: NamedNode) -> None:
        super().__init__()
        self.iris, self.graph = iris, graph
        self._predicates: dict[str, NamedNode] = {}  # a dozen CURIEs, expanded 10^5 times

    def add(self, s: NamedNode, p: str, o) -> None:
        predicate = self._predicates.get(p)
        if predicate is None:
            predicate = self._predicates[p] = expand(p, self.iris.base)
        self.append(Quad(s, predicate, o, self.graph))


def quads(doc: Document, iris: Iris) -> list[Quad]:
    """The document's graph, each triple in its named graph (Iris.document_graph)."""
    out = _Quads(iris, iris.document_graph(doc.slug))
    me = iris.document(doc.slug)
    out.add(me, "rdf:type", iris.term("Document"))
    out.add(me, "dcterms:title", Literal(doc.title, language=doc.language))
    out.add(me, "rdfs:label", Literal(doc.title, language=doc.language))
    out.add(me, "dcterms:language", Literal(doc.language, datatype=XSD_LANGUAGE))
    out.add(me, "dcterms:identifier", Literal(doc.slug))
    if doc.symbol:
        out.add(me, "dcterms:identifier", Literal(doc.symbol))
    if doc.instrument:
        out.add(me, "ng:wordingOf", NamedNode(doc.instrument))
    provenance.describe(out.add, iris, me, doc.slug, doc.source)
    for passage in doc.passages:
        _passage(out, me, doc, passage)
    for provision, text in sorted(doc.official.items()):
        out.add(NamedNode(provision), "ng:officialText", Literal(text, language=doc.language))
    _countries(out, doc)
    return list(out)


def _passage(out: _Quads, document: NamedNode, doc: Document, passage: Passage) -> None:
    me = out.iris.passage(doc.slug, passage.n)
    out.add(me, "rdf:type", out.iris.term("Passage"))
    out.add(me, "dcterms:isPartOf", document)
    out.add(me, "ng:order", Literal(str(passage.n), datatype=XSD_INTEGER))
    out.add(me, "ng:text", Literal(passage.text, language=doc.language))
    out.add(me, "rdfs:label", Literal(f"{doc.title}: {passage.label}", language=doc.language))
    if passage.provision:
        out.add(me, "ng:wordingOf", NamedNode(passage.provision))
    for k, mention in enumerate(sorted(passage.mentions, key=lambda m: m.iri), start=1):
        target = NamedNode(mention.iri)
        out.add(me, "ng:mentions", target)
        if mention.kind in _CONCEPT_LINK:
            out.add(me, _CONCEPT_LINK[mention.kind], target)
        record = out.iris.mention(doc.slug, passage.n, k)
        out.add(me, "ng:hasMention", record)
        out.add(record, "rdf:type", out.iris.term("Mention"))
        out.add(record, "ng:mentionOf", target)
        out.add(record, "ng:mentionCount", Literal(str(mention.count), datatype=XSD_INTEGER))


def _countries(out: _Quads, doc: Document) -> None:
    """Each document graph says what it needs of the countries it names (type, names, code),
    so removing one document leaves the others complete."""
    codes = {m.iri for p in doc.passages for m in p.mentions if m.kind == "country"}
    for iri in sorted(codes):
        countries.describe(out.add, out.iris, iri.rsplit("/", 1)[-1])


def checksum(quads_: list[Quad]) -> str:
    """SHA-256 of the graph's sorted N-Triples: equal graphs, equal sums. All quads are in
    one graph, so each N-Quads line is its N-Triples line with the graph's IRI added."""
    graph = quads_[0].graph_name if quads_ else None
    nquads = serialize(quads_, format=RdfFormat.N_QUADS)
    if graph is not None:  # literals escape line breaks: the suffix occurs only at line ends
        nquads = nquads.replace(f" {graph} .\n".encode(), b" .\n")
    lines = nquads.splitlines()
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line + b"\n")
    return digest.hexdigest()
