"""The shipped ontology and corpus in an in-memory store, read once per session
(no release build: these tests check the curated data, not the build)."""

from __future__ import annotations

import pytest
from pyoxigraph import Quad, Store

from kg.corpus import read_corpus
from kg.embedded import corpus_dir, ontology_dir
from kg.iris import Iris
from kg.sources import read_turtle_dir
from kg.vocab import prefixes

BASE = "https://w3id.org/normgraph/"


class Corpus:
    """SPARQL over the union of the ontology and corpus files, with ``ng:`` and friends."""

    def __init__(self) -> None:
        iris = Iris(BASE)
        self.sources = [
            *read_turtle_dir("ontology", ontology_dir(), iris),
            *read_corpus(corpus_dir(), iris),
        ]
        self.store = Store()
        self.store.bulk_extend(
            Quad(t.subject, t.predicate, t.object, s.graph) for s in self.sources for t in s.triples
        )
        self.prefixes = {
            **prefixes(BASE),
            "inst": BASE + "id/instrument/",
            "theme": BASE + "id/theme/",
        }

    def select(self, query: str) -> list[dict[str, str]]:
        rows = self.store.query(query, prefixes=self.prefixes, use_default_graph_as_union=True)
        names = [v.value for v in rows.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in rows]

    def values(self, query: str) -> list[str]:
        return [next(iter(row.values())) for row in self.select(query)]

    def ask(self, query: str) -> bool:
        return bool(
            self.store.query(query, prefixes=self.prefixes, use_default_graph_as_union=True)
        )

    def local(self, iri: str) -> str:
        return iri.removeprefix(BASE)


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return Corpus()
