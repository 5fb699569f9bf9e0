"""Search inside SPARQL: ``ngf:similarity(?unit, "text")`` is the cosine similarity
between a unit's stored embedding and the text's (or between two texts), as an
xsd:double, so a query can rank graph results by meaning:

    PREFIX ngf: <https://w3id.org/normgraph/fn/>
    SELECT ?p ?score WHERE {
      ?p a ng:Provision .
      BIND(ngf:similarity(?p, "mother tongue education") AS ?score)
    } ORDER BY DESC(?score) LIMIT 10

The text is embedded once per query (cached), not once per row; the unit side
uses the vectors stored in the release. An IRI that is not a search unit gives no
value (the BIND leaves ?score unbound)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
from pyoxigraph import Literal, NamedNode

from search_api.search.encoder import Encoder
from search_api.search.index import SEARCH_DIR, UNITS, VECTORS
from search_api.search.units import read_table

XSD_DOUBLE = NamedNode("http://www.w3.org/2001/XMLSchema#double")


def similarity_iri(base_iri: str) -> NamedNode:
    return NamedNode(f"{base_iri}fn/similarity")


class Functions:
    """Per process: the encoder, and the vectors of the last release asked for."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self._release: str | None = None
        self._rows: dict[str, int] = {}
        self._vectors: np.ndarray | None = None

    def _open(self, release_path: str) -> None:
        if release_path != self._release:
            folder = Path(release_path) / SEARCH_DIR
            units = read_table(folder / UNITS)
            self._rows = {u.iri: i for i, u in enumerate(units)}
            self._vectors = np.load(folder / VECTORS, mmap_mode="r")
            self._release = release_path

    def for_release(self, release_path: str, base_iri: str) -> dict[NamedNode, Callable]:
        if not (Path(release_path) / SEARCH_DIR / VECTORS).is_file():
            return {}
        self._open(release_path)
        embed = lru_cache(maxsize=64)(lambda text: self.encoder.encode([text])[0])

        def vector(term) -> np.ndarray | None:
            if isinstance(term, NamedNode):
                row = self._rows.get(term.value)
                return None if row is None else self._vectors[row]
            if isinstance(term, Literal):
                return embed(term.value)
            return None

        def similarity(a, b) -> Literal | None:
            va, vb = vector(a), vector(b)
            if va is None or vb is None:
                return None
            return Literal(repr(float(np.dot(va, vb))), datatype=XSD_DOUBLE)

        return {similarity_iri(base_iri): similarity}


def functions(model_id: str, backend: str = "auto", cache_dir: str | None = None) -> Functions:
    """Factory used by the query processes (see kg.sparql_pool.QueryJob.functions)."""
    cache = Path(cache_dir) if cache_dir else None
    return Functions(Encoder(model_id, threads=1, backend=backend, cache_dir=cache))
