"""Opening a release's store, and the census of what it holds."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Store

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
