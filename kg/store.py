"""Opening a release's store, and the census of what it holds."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, Triple, Variable

from kg.iris import Iris
from kg.release import Release
from kg.vocab import EXTERNAL

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


def describe(store: Store, iri: str, base_iri: str) -> list[Triple]:
    """A resource's own triples, the labels of what it links to, and its inbound links
    with their labels (and order and number, so provisions list in order)."""
    prefixes = {"ng": f"{base_iri}def/", **EXTERNAL}
    result = store.query(
        _DESCRIBE,
        prefixes=prefixes,
        use_default_graph_as_union=True,
        substitutions={Variable("r"): NamedNode(iri)},
    )
    return sorted(set(result), key=str)


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
