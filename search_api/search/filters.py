"""Search filters, each declared once: its parameter, what values it takes, how
it tests a unit, and how it reads in a sentence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from search_api.search.labels import Labels
from search_api.search.units import Unit

UNIT_KINDS = ("provision", "instrument", "practice", "concept", "commitment", "passage")


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
    param: str
    describe: str
    test: Callable[[Unit, Filters, Labels], bool]
    active: Callable[[Filters], bool] = field(default=lambda f: True)


def _any_of(values: tuple[str, ...], have: list[str]) -> bool:
    return not values or bool(set(values) & set(have))


def _concepts(wanted: tuple[str, ...], have: list[str], labels: Labels) -> bool:
    """A theme or group includes its narrower concepts."""
    if not wanted:
        return True
    expanded = set().union(*(labels.with_narrower(w) for w in wanted))
    return bool(expanded & set(have))


FILTERS: tuple[Filter, ...] = (
    Filter("type", "of type {}", lambda u, f, _: not f.kinds or u.kind in f.kinds),
    Filter(
        "instrument",
        "in {}",
        lambda u, f, _: (
            not f.instruments or u.instrument in f.instruments or u.iri in f.instruments
        ),
    ),
    Filter("theme", "about {}", lambda u, f, lab: _concepts(f.themes, u.themes, lab)),
    Filter("group", "concerning {}", lambda u, f, lab: _concepts(f.groups, u.groups, lab)),
    Filter("country", "in country {}", lambda u, f, _: _any_of(f.countries, u.countries)),
    Filter("body", "by body {}", lambda u, f, _: _any_of(f.bodies, u.bodies)),
    Filter("year", "in {}", lambda u, f, _: not f.years or u.year in f.years),
    Filter(
        "year_from",
        "from {}",
        lambda u, f, _: f.year_from is None or (u.year is not None and u.year >= f.year_from),
    ),
    Filter(
        "year_to",
        "up to {}",
        lambda u, f, _: f.year_to is None or (u.year is not None and u.year <= f.year_to),
    ),
    Filter("binding", "binding: {}", lambda u, f, _: f.binding is None or u.binding == f.binding),
)


def keep(unit: Unit, filters: Filters, labels: Labels) -> bool:
    return all(f.test(unit, filters, labels) for f in FILTERS)
