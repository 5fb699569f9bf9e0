"""The entailments a document graph needs so that it answers the same queries as the
curated graph (where kg.reason materialises them at build): every tag is also a
``dcterms:subject``, every ``ng:mentions`` a ``dcterms:references``, every passage a
``prov:Entity``. Read from the release's own ontology (super-properties and superclasses,
transitively), applied to each document's triples, and kept in the document's graph so
that replacing or removing the document takes them along."""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import NamedNode, Store, Triple

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

    def triples(self, asserted: list[Triple]) -> list[Triple]:
        """What ``asserted`` entails through the ontology and does not already say."""
        have = set(asserted)
        out: dict[Triple, None] = {}
        for t in asserted:
            for sup in self.properties.get(t.predicate.value, ()):
                out.setdefault(Triple(t.subject, sup, t.object), None)
            if t.predicate == RDF_TYPE and isinstance(t.object, NamedNode):
                for sup in self.classes.get(t.object.value, ()):
                    out.setdefault(Triple(t.subject, RDF_TYPE, sup), None)
        return [t for t in out if t not in have]
