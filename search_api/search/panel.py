"""The panel beside the results: the themes, groups, bodies and countries a query
names or evokes, each with a way to search within it. Named ones come from the
query's tags; a named instrument brings the bodies it sets up or that monitor it
("which committee oversees ICERD" shows CERD); evoked ones are the concepts and
bodies whose own text lies closest to the query's meaning."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from pyoxigraph import Store

from ingest.tagging import Mention
from kg.iris import Iris
from kg.vocab import prefixes

if TYPE_CHECKING:
    from search_api.search.engine import Searcher
    from search_api.search.fuse import Scored

MAX_ENTITIES = 6
EVOKED = 3  # at most this many entities the query does not name
EVOKE_FLOOR = 0.5  # cosine of the query with an entity's text, to show it unnamed
# tagger kind -> (panel kind, the search filter that searches within it)
NAMED = {
    "theme": ("theme", "theme"),
    "group": ("group", "group"),
    "body": ("body", "body"),
    "entity": ("body", "body"),
    "country": ("country", "country"),
}
_OVERSEERS = """
SELECT ?instrument ?body WHERE {
  { ?instrument ng:monitoredBy ?body } UNION { ?instrument ng:establishes ?body }
} ORDER BY ?instrument ?body"""


@dataclass
class Entity:
    iri: str
    kind: str  # theme | group | body | country
    label: str
    named: bool  # the query names it (else it is evoked, or overseen by a named instrument)
    filter: str  # the search parameter that searches within it
    value: str  # and its value there: the id where the IRI is minted under that kind, else the IRI


def overseers(store: Store, iris: Iris) -> dict[str, list[str]]:
    """Instrument IRI -> the bodies it establishes or that monitor it."""
    out: dict[str, list[str]] = {}
    ns = prefixes(iris.base)
    for row in store.query(_OVERSEERS, prefixes=ns, use_default_graph_as_union=True):
        bodies = out.setdefault(row["instrument"].value, [])
        if row["body"].value not in bodies:
            bodies.append(row["body"].value)
    return out


def entities(
    searcher: Searcher, mentions: list[Mention], candidates: dict[int, Scored], lang: str
) -> list[Entity]:
    found: dict[str, Entity] = {}

    base = searcher.release.manifest.base_iri

    def add(iri: str, kind: str, named: bool) -> None:
        if iri not in found and len(found) < MAX_ENTITIES:
            label = searcher.labels.name(iri, lang)
            param = NAMED[kind][1]
            value = iri.rsplit("/", 1)[-1] if iri.startswith(f"{base}id/{param}/") else iri
            found[iri] = Entity(iri, kind, label, named, param, value)

    for m in mentions:
        if m.kind in NAMED:
            add(m.iri, NAMED[m.kind][0], True)
    for m in mentions:
        if m.kind == "instrument":
            for body in searcher.overseers.get(m.iri, []):
                add(body, "body", False)
    for iri, kind in _evoked(searcher, candidates):
        add(iri, kind, False)
    return list(found.values())


def _evoked(searcher: Searcher, candidates: dict[int, Scored]) -> list[tuple[str, str]]:
    units = searcher.units
    rows = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
    entities = rows[searcher.columns.any_of("type", ("concept", "body"), rows)]
    near = sorted((candidates[row] for row in entities.tolist()), key=lambda c: -c.dense)
    out = []
    for c in near[:EVOKED]:
        if c.dense < EVOKE_FLOOR:
            break
        unit = units[c.row]
        kind = "body" if unit.kind == "body" else ("theme" if unit.iri in unit.themes else "group")
        out.append((unit.iri, kind))
    return out
