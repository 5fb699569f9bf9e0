"""Streamed dumps of a release: dataset formats keep the named graphs; graph
formats carry the union of all graphs. Prefixes make Turtle and TriG readable."""

from __future__ import annotations

from typing import BinaryIO

from pyoxigraph import Store, serialize

from kg.formats import DATASET, Format
from kg.vocab import prefixes

_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def export(store: Store, fmt: Format, output: BinaryIO, base_iri: str) -> None:
    if fmt.kind == DATASET:
        store.dump(output, fmt.ox, prefixes=prefixes(base_iri))
    else:
        serialize(store.query(_UNION), output, fmt.ox, prefixes=prefixes(base_iri))
