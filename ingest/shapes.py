"""SHACL for what ingest writes: the release's own shapes graph, cut down to the shapes
of ingested content (documents, passages, mentions, official text, countries), checked
against one document graph plus the types of the things it points to (so that
``sh:class ng:Theme`` can be checked without the whole store)."""

from __future__ import annotations

from pyoxigraph import NamedNode, Store, Triple

from kg.iris import Iris
from kg.sources import SourceGraph, to_rdflib
from kg.validate import Violation, validate
from kg.vocab import RDF_TYPE

INGEST_SHAPES = (
    "DocumentShape",
    "SourceFileShape",
    "IngestActivityShape",
    "PassageShape",
    "MentionShape",
    "OfficialTextShape",
    "CountryShape",
)


def _closure(triples: list[Triple], roots: set[str]) -> list[Triple]:
    """The shapes' triples and those of the nodes they hang from them (property shapes,
    lists), followed through subjects reachable from the roots."""
    by_subject: dict[str, list[Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject.value, []).append(t)
    seen, todo, out = set(), list(roots), []
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in by_subject.get(node, []):
            out.append(t)
            if isinstance(t.object, NamedNode):  # property shapes, lists, sh:node targets
                todo.append(t.object.value)
    return out


class DocumentShapes:
    def __init__(self, store: Store, iris: Iris) -> None:
        graph = iris.graph("ontology", "shapes")
        triples = [
            Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        ]
        roots = {iris.term(name).value for name in INGEST_SHAPES}
        self.shapes = SourceGraph("ontology/shapes.ttl", graph, "", _closure(triples, roots))
        self.shapes_graph = to_rdflib([self.shapes])  # converted once for the whole run
        self.store, self.iris = store, iris

    def _context(self, triples: list[Triple]) -> list[Triple]:
        """rdf:type of every IRI the document points to or describes without typing."""
        typed = {t.subject.value for t in triples if t.predicate == RDF_TYPE}
        wanted = {
            term.value
            for t in triples
            for term in (t.subject, t.object)
            if isinstance(term, NamedNode) and term.value not in typed
        }
        out = []
        for iri in sorted(wanted):
            for q in self.store.quads_for_pattern(NamedNode(iri), RDF_TYPE, None, None):
                out.append(Triple(q.subject, q.predicate, q.object))
        return out

    def check(self, name: str, graph: NamedNode, triples: list[Triple]) -> list[Violation]:
        data = SourceGraph(name, graph, "", [*triples, *self._context(triples)])
        return validate([data], self.shapes, self.iris, self.shapes_graph)
