"""Units of search: provisions, instruments, practices, concepts, work-plan
commitments and passages, each with its IRI, kind, label, searchable text,
instrument, tags and year. Collected from a release's graph; stored in the
release (``search/units.sqlite``) beside the indexes built from them."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyoxigraph import Literal, Store

from kg.iris import Iris
from kg.vocab import prefixes

# class (local name) -> unit kind; the first matching class wins
KINDS: tuple[tuple[str, str], ...] = (
    ("Provision", "provision"),
    ("Instrument", "instrument"),
    ("Practice", "practice"),
    ("WorkPlanCommitment", "commitment"),
    ("Passage", "passage"),
    ("Theme", "concept"),
    ("RightsHolderGroup", "concept"),
    ("Body", "body"),
)
# literal properties that make up a unit's searchable text, in this order
TEXT = (
    "rdfs:label",
    "skos:prefLabel",
    "dcterms:title",
    "ng:shortTitle",
    "ng:abbreviation",
    "ng:symbol",
    "skos:altLabel",
    "dcterms:abstract",
    "dcterms:description",
    "skos:definition",
    "ng:officialText",
    "ng:text",
)
# of those, the unit's own wording (what a snippet quotes), after its names and labels
WORDING = TEXT[TEXT.index("dcterms:abstract") :]
TAGS = {"themes": "ng:addressesTheme", "groups": "ng:concernsGroup", "countries": "ng:inCountry"}

_UNITS = """
SELECT ?u ?class ?p ?o WHERE {
  VALUES ?class { %(classes)s }
  ?u a ?class .
  VALUES ?p { %(predicates)s }
  ?u ?p ?o .
}"""
_CONTEXT = """
SELECT ?u ?instrument ?date ?binding ?body WHERE {
  { ?u ng:partOfInstrument ?instrument } UNION { ?u a ng:Instrument BIND(?u AS ?instrument) }
  OPTIONAL { ?instrument eli:date_document ?date }
  OPTIONAL { ?instrument ng:legallyBinding ?binding }
  OPTIONAL { ?instrument ng:adoptedBy|ng:monitoredBy ?body }
}"""
# a passage is tagged with the countries it names (a practice with those it takes place in)
_NAMED_COUNTRIES = """
SELECT ?u ?country WHERE { ?u ng:mentions ?country . ?country a ng:Country }"""
_YEARS = """
SELECT ?u ?year WHERE {
  { ?u ng:startYear ?year }
  UNION { ?u a ng:WorkPlanCommitment ; dcterms:issued ?d BIND(YEAR(?d) AS ?year) }
}"""


@dataclass
class Unit:
    iri: str
    kind: str
    label: str
    text: str
    instrument: str | None = None
    year: int | None = None
    binding: bool | None = None
    themes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    wording: str = ""  # the summary, description or official text, without the labels

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def _english_first(values: list[Literal]) -> list[str]:
    return [v.value for v in sorted(values, key=lambda v: getattr(v, "language", "") != "en")]


def _one_language(values: list[Literal]) -> list[str]:
    """The English (or untagged) values, else all: one wording, not its translations."""
    english = [v.value for v in values if getattr(v, "language", None) in (None, "", "en")]
    return english or [v.value for v in values]


def collect(store: Store, iris: Iris) -> list[Unit]:
    """Every unit of the graph, sorted by IRI (a stable order for the indexes)."""
    ns = prefixes(iris.base)
    classes = " ".join(f"ng:{name}" for name, _ in KINDS)
    predicates = " ".join((*TEXT, *TAGS.values()))
    rows = store.query(
        _UNITS % {"classes": classes, "predicates": predicates},
        prefixes=ns,
        use_default_graph_as_union=True,
    )
    kind_of = {ns["ng"] + name: kind for name, kind in KINDS}
    rank = {ns["ng"] + name: i for i, (name, _) in enumerate(KINDS)}
    expanded = {
        curie: ns[curie.split(":")[0]] + curie.split(":")[1]
        for curie in (*TEXT, *TAGS.values(), "ng:order")
    }
    values: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    classes_of: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        u = row["u"].value
        classes_of[u].add(row["class"].value)
        values[u][row["p"].value].append(row["o"])
    units = {}
    for u, props in values.items():
        cls = min(classes_of[u], key=lambda c: rank[c])
        texts = [t for curie in TEXT for t in _english_first(props[expanded[curie]])]
        label = (texts or [iris.local(u)])[0]
        unit = Unit(u, kind_of[cls], label, " \n".join(dict.fromkeys(texts)))
        own = [t for curie in WORDING for t in _one_language(props[expanded[curie]])]
        unit.wording = " ".join(dict.fromkeys(own))
        for name, curie in TAGS.items():
            setattr(unit, name, sorted({o.value for o in props[expanded[curie]]}))
        if unit.kind == "concept":  # a theme or group is about itself (for filters and facets)
            own = unit.themes if cls.endswith("/Theme") else unit.groups
            own.append(u)
        units[u] = unit
    _add_context(store, ns, units)
    return [units[k] for k in sorted(units)]


def _add_context(store: Store, ns: dict[str, str], units: dict[str, Unit]) -> None:
    for row in store.query(_CONTEXT, prefixes=ns, use_default_graph_as_union=True):
        unit = units.get(row["u"].value)
        if unit is None:
            continue
        unit.instrument = row["instrument"].value
        if row["date"] is not None:
            unit.year = int(row["date"].value[:4])
        if row["binding"] is not None:
            unit.binding = row["binding"].value == "true"
        if row["body"] is not None and row["body"].value not in unit.bodies:
            unit.bodies.append(row["body"].value)
    for row in store.query(_NAMED_COUNTRIES, prefixes=ns, use_default_graph_as_union=True):
        unit = units.get(row["u"].value)
        if unit is not None and row["country"].value not in unit.countries:
            unit.countries = sorted([*unit.countries, row["country"].value])
    for row in store.query(_YEARS, prefixes=ns, use_default_graph_as_union=True):
        unit = units.get(row["u"].value)
        if unit is not None and row["year"] is not None:
            unit.year = int(row["year"].value)


# ---------------------------------------------------------------- the units table
_SCHEMA = """
CREATE TABLE units (
  row INTEGER PRIMARY KEY,      -- position in the dense index
  iri TEXT UNIQUE NOT NULL,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  text TEXT NOT NULL,
  text_hash TEXT NOT NULL,
  data TEXT NOT NULL            -- the rest of the unit, as JSON
)"""


def write_table(path: Path, units: list[Unit]) -> None:
    with sqlite3.connect(path) as db:
        db.execute(_SCHEMA)
        db.executemany(
            "INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (i, u.iri, u.kind, u.label, u.text, u.text_hash, json.dumps(_rest(u)))
                for i, u in enumerate(units)
            ],
        )
    # a finished table is never written again; readers open it read-only


def _rest(unit: Unit) -> dict:
    data = asdict(unit)
    for key in ("iri", "kind", "label", "text"):
        data.pop(key)
    return data


def read_table(path: Path) -> list[Unit]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT iri, kind, label, text, data FROM units ORDER BY row").fetchall()
    finally:
        db.close()
    units = []
    for iri, kind, label, text, data in rows:
        units.append(Unit(iri, kind, label, text, **json.loads(data)))
    return units
