"""Search filters, each declared once: the field of the request it reads and how it
tests a unit; :func:`failures` prepares them once per search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from search_api.search.labels import Labels
from search_api.search.units import Unit

UNIT_KINDS = (
    "provision",
    "instrument",
    "practice",
    "concept",
    "commitment",
    "passage",
    "body",
)
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


@dataclass(frozen=True)
class Filter:
    field: str  # the field of Filters it reads; unset (empty or None), it keeps everything
    test: Callable[[Unit, Filters], bool]


def _any_of(values: tuple[str, ...], have: list[str]) -> bool:
    return any(v in values for v in have)


FILTERS: tuple[Filter, ...] = (
    Filter("kinds", lambda u, f: u.kind in f.kinds),
    Filter("instruments", lambda u, f: u.instrument in f.instruments or u.iri in f.instruments),
    Filter("themes", lambda u, f: _any_of(f.themes, u.themes)),
    Filter("groups", lambda u, f: _any_of(f.groups, u.groups)),
    Filter("countries", lambda u, f: _any_of(f.countries, u.countries)),
    Filter("bodies", lambda u, f: _any_of(f.bodies, u.bodies)),
    Filter("years", lambda u, f: u.year in f.years),
    Filter("year_from", lambda u, f: u.year is not None and u.year >= f.year_from),
    Filter("year_to", lambda u, f: u.year is not None and u.year <= f.year_to),
    Filter("binding", lambda u, f: u.binding == f.binding),
)


def failures(filters: Filters, labels: Labels) -> Callable[[Unit], frozenset[str]]:
    """The fields of ``filters`` a unit fails (none: it passes), prepared once per search:
    a theme or group includes its narrower concepts, and only the filters set are tested.
    The facets read it too: a unit counts for a facet when it fails no filter but its own."""
    wide = replace(
        filters,
        themes=tuple(set().union(*(labels.with_narrower(t) for t in filters.themes))),
        groups=tuple(set().union(*(labels.with_narrower(g) for g in filters.groups))),
    )
    active = [f for f in FILTERS if getattr(wide, f.field) not in ((), None)]
    return lambda unit: frozenset(f.field for f in active if not f.test(unit, wide))
