"""Streamed dumps of a release: dataset formats keep the named graphs; graph
formats carry the union of all graphs. Prefixes make Turtle and TriG readable."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Store, serialize

from kg.formats import DATASET, Format, by_name
from kg.vocab import prefixes

_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def export(store: Store, fmt: Format, output: BinaryIO, base_iri: str) -> None:
    if fmt.kind == DATASET:
        store.dump(output, fmt.ox, prefixes=prefixes(base_iri))
    else:
        serialize(store.query(_UNION), output, fmt.ox, prefixes=prefixes(base_iri))


DUMPS = {"nq": "normgraph.nq.gz", "trig": "normgraph.trig.gz"}


def write_dumps(release_dir: Path, base_iri: str) -> dict[str, str]:
    """Gzipped N-Quads and TriG of a finished store, written beside it in ``dumps/``
    so the server streams files from disk; returns {relative path: sha256}."""
    store = Store.read_only(str(release_dir / "store"))
    target = release_dir / "dumps"
    target.mkdir(exist_ok=True)
    sums = {}
    for name, filename in DUMPS.items():
        path = target / filename
        # mtime=0: the same content gives the same bytes
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            export(store, by_name(name), gz, base_iri)
        sums[f"dumps/{filename}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums
