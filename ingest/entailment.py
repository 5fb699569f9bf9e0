"""The entailments a document graph needs so that it answers the same queries as the
curated graph (where kg.reason materialises them at build): every tag is also a
``dcterms:subject``, every ``ng:mentions`` a ``dcterms:references``, every passage a
``prov:Entity``. Read from the release's own ontology (super-properties and superclasses,
transitively), applied to each document's triples, and kept in the document's graph so
that replacing or removing the document takes them along."""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import NamedNode, Quad, Store

from kg import sparql
from kg.iris import Iris
from kg.vocab import RDF_TYPE

_BUILT_IN = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#")


class Entailment:
    def __init__(self, store: Store, iris: Iris) -> None:
        self.properties = self._closure(store, iris, "rdfs:subPropertyOf")
        self.classes = self._closure(store, iris, "rdfs:subClassOf")

    @staticmethod
    def _closure(store: Store, iris: Iris, relation: str) -> dict[str, list[NamedNode]]:
        query = f"SELECT DISTINCT ?sub ?super WHERE {{ ?sub {relation}+ ?super }}"
        found: dict[str, set[str]] = defaultdict(set)
        for row in sparql.run(store, query, iris.base).value:
            sub, sup = row["sub"], row["super"]
            named = isinstance(sub, NamedNode) and isinstance(sup, NamedNode) and sub != sup
            if named and not sup.value.startswith(_BUILT_IN):  # owl:Thing helps no query
                found[sub.value].add(sup.value)
        return {sub: [NamedNode(s) for s in sorted(sups)] for sub, sups in found.items()}

    def quads(self, asserted: list[Quad]) -> list[Quad]:
        """What ``asserted`` entails through the ontology and does not already say, each in
        the graph of the quad it follows from."""
        have = set(asserted)
        out: dict[Quad, None] = {}
        for q in asserted:
            for sup in self.properties.get(q.predicate.value, ()):
                out.setdefault(Quad(q.subject, sup, q.object, q.graph_name), None)
            if q.predicate == RDF_TYPE and isinstance(q.object, NamedNode):
                for sup in self.classes.get(q.object.value, ()):
                    out.setdefault(Quad(q.subject, RDF_TYPE, sup, q.graph_name), None)
        return [q for q in out if q not in have]
