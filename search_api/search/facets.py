"""Facet counts over the whole result set (every unit that matched and passed the
filters), not only the page shown."""

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


def count(
    units: list[Unit], labels: Labels, lang: str, limit: int = 30
) -> dict[str, list[FacetValue]]:
    out = {}
    for name, values in FACETS.items():
        counter = Counter(v for u in units for v in values(u))
        top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        out[name] = [
            FacetValue(v, v if name in ("type", "year") else labels.name(v, lang), n)
            for v, n in top
        ]
    return out
