"""Opening a release's store, and the census of what it holds."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, Triple

from kg.iris import Iris
from kg.release import Release
from kg.vocab import EXTERNAL, prefixes

# What `normgraph info` and the manifest count: name -> class (by prefix).
CENSUS: dict[str, str] = {
    "instruments": "ng:Instrument",
    "provisions": "ng:Provision",
    "concepts": "skos:Concept",
    "themes": "ng:Theme",
    "groups": "ng:RightsHolderGroup",
    "bodies": "ng:Body",
    "entities": "ng:UNEntity",
    "sdgs": "ng:SDGGoal|ng:SDGTarget",
    "networks": "ng:InterAgencyNetwork",
    "practices": "ng:Practice",
    "commitments": "ng:WorkPlanCommitment",
    "events": "ng:Event",
    "documents": "ng:Document",
    "passages": "ng:Passage",
}


# A query a web page runs: its text (normgraph's prefixes need no declaring) and IRIs for
# some of its variables, by name -> its rows or triples. The default graph is the union
# of the release's graphs, on the embedded store (union_query) or an external engine.
PageQuery = Callable[[str, dict[str, str] | None], Iterable]


def with_iris(text: str, substitutions: dict[str, str] | None) -> str:
    """A page query's text with IRIs written in for its variables: the same text for
    the embedded store and an external engine (the protocol has no bindings)."""
    for name, iri in (substitutions or {}).items():
        text = re.sub(rf"[?$]{name}\b", str(NamedNode(iri)), text)  # NamedNode: a valid IRI
    return text


def union_query(store: Store, base_iri: str) -> PageQuery:
    """The embedded store answering a page's queries."""
    ns = prefixes(base_iri)

    def run(text: str, substitutions: dict[str, str] | None = None) -> Iterable:
        text = with_iris(text, substitutions)
        return store.query(text, prefixes=ns, use_default_graph_as_union=True)

    return run


def create(path: Path) -> Store:
    return Store(str(path))


def open_read_only(release: Release) -> Store:
    """Any number of processes may hold a release open this way."""
    return Store.read_only(str(release.store_path))


def census(store: Store, iris: Iris) -> dict[str, int]:
    """Triples, graphs and instances per counted class (entailed types included)."""
    counts = {"triples": len(store), "graphs": sum(1 for _ in store.named_graphs())}
    prefixes = {"ng": iris.term("").value, **EXTERNAL}
    for name, curie in CENSUS.items():
        classes = " ".join(curie.split("|"))
        query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?x a ?c }}"
        rows = store.query(query, prefixes=prefixes, use_default_graph_as_union=True)
        counts[name] = int(next(iter(rows))["n"].value)
    return counts


def checksum(store: Store) -> str:
    """SHA-256 of the sorted N-Quads: equal for equal content, whatever the load order."""
    digest = hashlib.sha256()
    for line in sorted(store.dump(format=RdfFormat.N_QUADS).splitlines()):
        digest.update(line + b"\n")
    return digest.hexdigest()


_DESCRIBE = """
CONSTRUCT {
  ?r ?p ?o . ?o ?olp ?olabel .
  ?s ?ip ?r . ?s ?slp ?slabel . ?s ng:order ?order . ?s eli:number ?number .
}
WHERE {
  { ?r ?p ?o .
    OPTIONAL { ?o ?olp ?olabel FILTER(?olp IN (rdfs:label, skos:prefLabel)) } }
  UNION
  { ?s ?ip ?r .
    OPTIONAL { ?s ?slp ?slabel FILTER(?slp IN (rdfs:label, skos:prefLabel)) }
    OPTIONAL { ?s ng:order ?order } OPTIONAL { ?s eli:number ?number } }
}
"""


def describe(query: PageQuery, iri: str) -> list[Triple]:
    """A resource's own triples, the labels of what it links to, and its inbound links
    with their labels (and order and number, so provisions list in order)."""
    return sorted(set(query(_DESCRIBE, {"r": iri})), key=str)


def exists(store: Store, iri: str) -> bool:
    """Is the IRI the subject of any triple?"""
    return next(iter(store.quads_for_pattern(NamedNode(iri), None, None)), None) is not None


def replacement(store: Store, iri: str) -> tuple[bool, str | None]:
    """(deprecated?, the IRI that replaces it) for a retired resource."""
    node = NamedNode(iri)
    deprecated = any(
        q.object.value == "true"
        for q in store.quads_for_pattern(node, NamedNode(EXTERNAL["owl"] + "deprecated"), None)
    )
    successor = next(
        iter(store.quads_for_pattern(node, NamedNode(EXTERNAL["dcterms"] + "isReplacedBy"), None)),
        None,
    )
    return deprecated, successor.object.value if successor else None
