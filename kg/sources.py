"""A source file and the triples it contributes, destined for one named graph.

Turtle files (ontology, shapes, thesauri) are parsed here; curated YAML is
turned into a SourceGraph by kg.corpus. Blank nodes are skolemised in document
order, so the same file always yields the same IRIs and a rebuild is
byte-identical.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Triple, parse

from kg.errors import CorpusError
from kg.iris import Iris


@dataclass
class SourceGraph:
    """Triples from one file. ``name`` is the path shown to users (relative to
    its root folder); ``locations`` maps resource IRIs to the line that defines them."""

    name: str
    graph: NamedNode
    sha256: str
    triples: list[Triple] = field(default_factory=list)
    locations: dict[str, int] = field(default_factory=dict)
    # (resource IRI, corpus key) -> line of that key, to point at the exact value
    key_lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def quads(self) -> list[Quad]:
        return [Quad(t.subject, t.predicate, t.object, self.graph) for t in self.triples]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def graph_name(root_kind: str, root: Path, path: Path) -> tuple[str, list[str]]:
    """Display name ('instruments/unmd-1992.yaml') and graph path parts for a file."""
    relative = path.relative_to(root)
    parts = [root_kind, *relative.parent.parts, relative.stem]
    return relative.as_posix(), parts


def read_turtle(root_kind: str, root: Path, path: Path, iris: Iris) -> SourceGraph:
    """Parse a Turtle file whose relative IRIs resolve against the base IRI."""
    name, parts = graph_name(root_kind, root, path)
    source = SourceGraph(name=name, graph=iris.graph(*parts), sha256=file_sha256(path))
    skolem: dict[str, NamedNode] = {}

    def ground(term):
        if isinstance(term, BlankNode):
            if term.value not in skolem:
                skolem[term.value] = iris.genid("/".join(parts), len(skolem) + 1)
            return skolem[term.value]
        return term

    try:
        for triple in parse(path=path, format=RdfFormat.TURTLE, base_iri=iris.base):
            source.triples.append(
                Triple(ground(triple.subject), triple.predicate, ground(triple.object))
            )
    except SyntaxError as error:
        raise CorpusError(path, None, f"not valid Turtle: {error}") from None
    return source


def read_turtle_dir(root_kind: str, root: Path, iris: Iris) -> list[SourceGraph]:
    """Every ``*.ttl`` below ``root``, in path order."""
    if not root.is_dir():
        raise CorpusError(root, None, "is not a directory")
    return [read_turtle(root_kind, root, p, iris) for p in sorted(root.rglob("*.ttl"))]


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term):
    """One pyoxigraph term as rdflib's (as N-Triples would give it, without the round trip:
    ingest validates every document, and parsing was most of the cost)."""
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return rdflib.Literal(
        term.value, datatype=None if datatype == _XSD_STRING else rdflib.URIRef(datatype)
    )


def to_rdflib(sources: list[SourceGraph]) -> rdflib.Graph:
    """The union of some sources as one rdflib graph (for pySHACL and owlrl)."""
    graph = rdflib.Graph()
    graph.addN(
        (_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object), graph)
        for source in sources
        for t in source.triples
    )
    return graph


def from_rdflib(triples: list[tuple]) -> list[Triple]:
    """rdflib triples back to pyoxigraph triples, through N-Triples."""
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(triple)
    data = graph.serialize(format="nt", encoding="utf-8")
    return list(parse(data, format=RdfFormat.N_TRIPLES))
