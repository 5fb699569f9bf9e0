"""Facet counts over the whole result set (every unit that matched and passed the
filters), not only the page shown. Each facet is counted with every filter but its
own ("disjunctive" facets): ticking one type keeps the other types on offer, with
the counts they would add, so several values of one facet can be chosen."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search_api.search.columns import Columns
from search_api.search.labels import Labels


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


# facet name -> the field of Filters that narrows by it
OWN_FILTER = {
    "type": "kinds",
    "instrument": "instruments",
    "theme": "themes",
    "group": "groups",
    "country": "countries",
    "body": "bodies",
    "year": "years",
}


def count_one(
    name: str, rows: np.ndarray, columns: Columns, labels: Labels, lang: str, limit: int = 30
) -> list[FacetValue]:
    """The ``limit`` most frequent values of facet ``name`` among ``rows``, exactly."""
    top = sorted(columns.counts(name, rows), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [
        FacetValue(v, v if name in ("type", "year") else labels.name(v, lang), n) for v, n in top
    ]
