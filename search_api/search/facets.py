"""Facet counts over the whole result set (every unit that matched and passed the
filters), not only the page shown. Each facet is counted with every filter but its
own ("disjunctive" facets): ticking one type keeps the other types on offer, with
the counts they would add, so several values of one facet can be chosen."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from search_api.search.labels import Labels
from search_api.search.units import Unit


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


# facet name -> how to read its values off a unit
FACETS = {
    "type": lambda u: [u.kind],
    "instrument": lambda u: [u.instrument] if u.instrument else [],
    "theme": lambda u: u.themes,
    "group": lambda u: u.groups,
    "country": lambda u: u.countries,
    "body": lambda u: u.bodies,
    "year": lambda u: [str(u.year)] if u.year else [],
}


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
    name: str, units: list[Unit], labels: Labels, lang: str, limit: int = 30
) -> list[FacetValue]:
    values = FACETS[name]
    counter = Counter(v for u in units for v in values(u))
    top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [
        FacetValue(v, v if name in ("type", "year") else labels.name(v, lang), n) for v, n in top
    ]


def count(
    units: list[Unit], labels: Labels, lang: str, limit: int = 30
) -> dict[str, list[FacetValue]]:
    return {name: count_one(name, units, labels, lang, limit) for name in FACETS}
