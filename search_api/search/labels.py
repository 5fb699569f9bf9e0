"""Display names of resources in a chosen language (with a stated fallback order
ending in English), and the skos:broader hierarchy, read once per release."""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import Store

from kg.iris import Iris
from kg.vocab import prefixes

_NAMES = """
SELECT ?r ?label ?rank WHERE {
  VALUES (?p ?rank) { (skos:prefLabel 0) (ng:shortTitle 1) (rdfs:label 2) }
  ?r ?p ?label .
}"""
_NARROWER = "SELECT ?broad ?narrow WHERE { ?narrow skos:broaderTransitive ?broad }"
FALLBACK = ("en", "fr", "es")


class Labels:
    def __init__(
        self, names: dict[str, dict[str, tuple[int, str]]], narrower: dict[str, set[str]]
    ) -> None:
        self._names, self._narrower = names, narrower

    @classmethod
    def from_store(cls, store: Store, iris: Iris) -> Labels:
        ns = prefixes(iris.base)
        names: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
        for row in store.query(_NAMES, prefixes=ns, use_default_graph_as_union=True):
            lang = getattr(row["label"], "language", None) or ""
            rank = int(row["rank"].value)
            current = names[row["r"].value].get(lang)
            if current is None or rank < current[0]:
                names[row["r"].value][lang] = (rank, row["label"].value)
        narrower: dict[str, set[str]] = defaultdict(set)
        for row in store.query(_NARROWER, prefixes=ns, use_default_graph_as_union=True):
            narrower[row["broad"].value].add(row["narrow"].value)
        return cls(dict(names), dict(narrower))

    def name(self, iri: str, lang: str = "en") -> str:
        """The label in ``lang``, else English, French, Spanish, untagged, anything, the IRI."""
        by_lang = self._names.get(iri, {})
        for candidate in (lang, *FALLBACK, ""):
            if candidate in by_lang:
                return by_lang[candidate][1]
        return next(iter(by_lang.values()), (0, iri))[1]

    def languages(self, iri: str) -> set[str]:
        return set(self._names.get(iri, {}))

    def with_narrower(self, iri: str) -> set[str]:
        """The concept and everything below it."""
        return {iri} | self._narrower.get(iri, set())
