"""Search filters: what a request narrows the results to, and :func:`failures`, which
tests them over the candidates' rows in columns (search_api.search.columns)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from search_api.search.columns import NO_YEAR, Columns
from search_api.search.labels import Labels
from search_api.search.units import KINDS

# the kinds of search unit, in the order of search_api.search.units.KINDS (their one list)
UNIT_KINDS = tuple(dict.fromkeys(kind for _, kind in KINDS))
# what answers a question, and so makes up the ranked list unless a request asks for a type;
# concepts and bodies go to the panel of entities (search_api.search.panel)
DOCUMENT_KINDS = ("provision", "instrument", "practice", "commitment", "passage")


@dataclass(frozen=True)
class Filters:
    """What a request narrows the results to (empty: no narrowing)."""

    kinds: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    binding: bool | None = None


# Filters field -> the facet whose values it picks from ("any of" these values)
PICKS = {
    "kinds": "type",
    "instruments": "instrument",
    "themes": "theme",
    "groups": "group",
    "countries": "country",
    "bodies": "body",
    "years": "year",
}


def failures(
    filters: Filters, labels: Labels, columns: Columns, rows_of: dict[str, int]
) -> Callable[[np.ndarray], dict[str, np.ndarray]]:
    """For candidate rows: the filters set, each with which rows fail it (none: they pass),
    prepared once per search: a theme or group includes its narrower concepts. The facets
    read it too: a unit counts for a facet when it fails no filter but its own."""
    wide = replace(
        filters,
        themes=tuple(set().union(*(labels.with_narrower(t) for t in filters.themes))),
        groups=tuple(set().union(*(labels.with_narrower(g) for g in filters.groups))),
        years=tuple(str(y) for y in filters.years),
    )
    # an instrument filter also keeps the instrument itself, named by its own IRI
    named = np.array([rows_of[i] for i in wide.instruments if i in rows_of], dtype=np.int64)

    def failed(rows: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        for field, facet in PICKS.items():
            if getattr(wide, field):
                passes = columns.any_of(facet, getattr(wide, field), rows)
                if field == "instruments":
                    passes |= np.isin(rows, named)
                out[field] = ~passes
        year = columns.year[rows]
        if wide.year_from is not None:
            out["year_from"] = (year == NO_YEAR) | (year < wide.year_from)
        if wide.year_to is not None:
            out["year_to"] = (year == NO_YEAR) | (year > wide.year_to)
        if wide.binding is not None:
            out["binding"] = columns.binding[rows] != int(wide.binding)
        return out

    return failed
