"""The shapes of what ingest writes.

:class:`DocumentCheck` is ingest's own check, run on every file: ingest.document writes
each graph from typed fields, so the shapes' cardinalities, datatypes and node kinds hold
by construction; what the data can still break (an empty text, a count under 1, a tag or
provision that is not of the class its shape asks for) is checked on the document, with
the shapes' messages, before the graph is made.

:class:`DocumentShapes` runs pySHACL with the release's own shapes graph, cut down to the
shapes of ingested content (documents, passages, mentions, official text, countries),
against one document graph plus the types of the things it points to (so that
``sh:class ng:Theme`` can be checked without the whole store): the tests use it to prove
that ingest's graphs conform, and that the two checks refuse the same documents.
"""

from __future__ import annotations

from pyoxigraph import NamedNode, Store, Triple

from ingest.document import Document
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


# class a tag of each kind must have (PassageShape: ng:addressesTheme, ng:concernsGroup)
_TAG_CLASS = {"theme": "Theme", "group": "RightsHolderGroup"}


class DocumentCheck:
    """The data-dependent rules of the ingest shapes (shapes.ttl), compiled to Python and
    checked on a document before its graph is made (kg.countries.describe refuses
    a code that is not ISO 3166-1 alpha-3); pySHACL on each graph took half the ingest."""

    def __init__(self, store: Store, iris: Iris) -> None:
        self.store, self.iris = store, iris
        self._typed: dict[tuple[str, str], bool] = {}  # (IRI, class) -> is it one

    def is_a(self, iri: str, name: str) -> bool:
        """Whether the store types ``iri`` with the ontology class ``name`` (as the SHACL
        check's context does: the rdf:type triples of the store)."""
        key = (iri, name)
        if key not in self._typed:
            quads = self.store.quads_for_pattern(NamedNode(iri), RDF_TYPE, self.iris.term(name))
            self._typed[key] = next(iter(quads), None) is not None
        return self._typed[key]

    def check(self, doc: Document) -> list[str]:
        """What breaks a shape, as '<focus>: <shape message> (found: <value>)'."""
        problems: list[str] = []

        def broken(focus: str, message: str, value: object = "") -> None:
            found = f" (found: {value})" if value != "" else ""
            problems.append(f"{focus}: {message}{found}")

        me = self.iris.document(doc.slug).value
        if not doc.title:
            broken(me, "a document needs exactly one title, in its language")
        if doc.instrument and not self.is_a(doc.instrument, "Instrument"):
            broken(me, "a document gives the text of at most one instrument of the corpus",
                   doc.instrument)  # fmt: skip
        for p in doc.passages:
            self._passage(doc.slug, p, broken)
        for provision, text in sorted(doc.official.items()):
            if not text or not self.is_a(provision, "Provision"):
                broken(provision, "official text sits on a provision of the corpus, at most "
                       "one per language")  # fmt: skip
        return problems

    def _passage(self, slug: str, p, broken) -> None:
        me = self.iris.passage(slug, p.n).value
        if not p.text:
            broken(me, "a passage needs exactly one non-empty text, in its language")
        if p.n < 1:
            broken(me, "a passage needs its position in the document, from 1", p.n)
        if p.provision and not self.is_a(p.provision, "Provision"):
            broken(me, "a passage gives the wording of at most one provision of the corpus",
                   p.provision)  # fmt: skip
        for m in p.mentions:
            if m.count < 1:
                broken(me, "a mention needs its count, at least 1", m.count)
            name = _TAG_CLASS.get(m.kind)
            if name and not self.is_a(m.iri, name):
                broken(me, f"{m.kind}s must be ids from ontology/{m.kind}s.ttl", m.iri)
