"""The units' filter and facet fields in columns, built once per release: for each facet a
sparse unit-by-value incidence matrix (CSR: one int32 per tag, not a Python list per unit),
and the years and the binding flag as arrays. A search tests its filters and counts its
facets over the candidates' rows with array operations instead of a loop over units."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from scipy.sparse import csr_matrix

from search_api.search.units import Unit

# facet name -> how to read its values off a unit
FACETS: dict[str, Callable[[Unit], list[str]]] = {
    "type": lambda u: [u.kind],
    "instrument": lambda u: [u.instrument] if u.instrument else [],
    "theme": lambda u: u.themes,
    "group": lambda u: u.groups,
    "country": lambda u: u.countries,
    "body": lambda u: u.bodies,
    "year": lambda u: [str(u.year)] if u.year else [],
}
NO_YEAR = 0
NO_BINDING = -1


class Columns:
    def __init__(self, units: list[Unit]) -> None:
        self.size = len(units)
        self.values: dict[str, list[str]] = {}  # facet -> code -> value
        self.codes: dict[str, dict[str, int]] = {}  # facet -> value -> code
        self.matrix: dict[str, csr_matrix] = {}
        for name, read in FACETS.items():
            codes: dict[str, int] = {}
            indptr, indices = [0], []
            for unit in units:
                indices.extend(codes.setdefault(v, len(codes)) for v in dict.fromkeys(read(unit)))
                indptr.append(len(indices))
            self.codes[name], self.values[name] = codes, list(codes)
            self.matrix[name] = csr_matrix(
                (
                    np.ones(len(indices), dtype=np.int8),
                    np.asarray(indices, dtype=np.int32),
                    np.asarray(indptr, dtype=np.int64),
                ),
                shape=(len(units), len(codes)),
            )
        self.year = np.array([u.year or NO_YEAR for u in units], dtype=np.int32)
        self.binding = np.array(
            [NO_BINDING if u.binding is None else int(u.binding) for u in units], dtype=np.int8
        )

    def any_of(self, facet: str, values: Iterable[str], rows: np.ndarray) -> np.ndarray:
        """For each of ``rows``: whether the unit has one of ``values`` in ``facet``."""
        codes = [c for c in map(self.codes[facet].get, values) if c is not None]
        out = np.zeros(len(rows), dtype=bool)
        if not codes or not len(rows):
            return out
        wanted = np.zeros(len(self.values[facet]), dtype=bool)
        wanted[codes] = True
        owner, found = self.tags_of(facet, rows)
        out[owner[wanted[found]]] = True
        return out

    def tags_of(self, facet: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The value codes ``rows`` have in ``facet``, each with its position in ``rows``:
        the matrix's rows gathered with array operations (scipy's row indexing spends
        more in its argument checks than in the copy, seven facets per search)."""
        matrix = self.matrix[facet]
        starts = matrix.indptr[rows]
        lengths = matrix.indptr[rows + 1] - starts
        owner = np.repeat(np.arange(len(rows)), lengths)
        # each tag's place in the matrix: its row's start plus its rank within the row
        ends = np.cumsum(lengths)
        within = np.arange(len(owner)) - np.repeat(ends - lengths, lengths)
        return owner, matrix.indices[starts[owner] + within]

    def counts(self, facet: str, rows: np.ndarray) -> list[tuple[str, int]]:
        """Each value of ``facet`` with the number of ``rows`` that have it (none left out)."""
        if not len(rows):
            return []
        found = np.bincount(self.tags_of(facet, rows)[1], minlength=len(self.values[facet]))
        values = self.values[facet]
        return [(values[code], int(found[code])) for code in np.flatnonzero(found)]
