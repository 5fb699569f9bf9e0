"""Autocomplete over the labels of concepts, instruments, bodies and entities, in
every language the graph carries. Built once per release, in memory."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pyoxigraph import Store

from kg.iris import Iris
from kg.vocab import prefixes

# (predicate, rank): the lower the rank, the better the label names its resource
LABEL_PREDICATES = (
    ("skos:prefLabel", 0),
    ("ng:shortTitle", 1),
    ("rdfs:label", 2),
    ("ng:abbreviation", 3),
    ("ng:symbol", 4),
    ("skos:altLabel", 5),
)


def _labels_query(kinds: dict[str, str], predicates: tuple[tuple[str, int], ...]) -> str:
    pairs = " ".join(f"({p} {rank})" for p, rank in predicates)
    types = " ".join(f"ng:{name}" for name in kinds)
    return f"""
SELECT DISTINCT ?r ?label ?type ?pref WHERE {{
  VALUES (?p ?rank) {{ {pairs} }}
  VALUES ?type {{ {types} }}
  ?r a ?type ; ?p ?label .
  FILTER(isLiteral(?label))
  BIND(?rank AS ?pref)
}}"""


KINDS = {
    "Theme": "theme",
    "RightsHolderGroup": "group",
    "Instrument": "instrument",
    "Body": "body",
    "UNEntity": "entity",
    "Practice": "practice",
}


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching ('Égalité' ~ 'egalite')."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Entry:
    folded: str
    label: str
    lang: str | None
    iri: str
    kind: str
    rank: int


@dataclass(frozen=True)
class Suggestion:
    iri: str
    label: str
    matched: str
    lang: str | None
    kind: str


class Suggester:
    def __init__(self, entries: list[Entry], display: dict[tuple[str, str], str]) -> None:
        self.entries, self.display = entries, display

    @classmethod
    def from_store(
        cls,
        store: Store,
        iris: Iris,
        kinds: dict[str, str] = KINDS,
        predicates: tuple[tuple[str, int], ...] = LABEL_PREDICATES,
    ) -> Suggester:
        """``kinds``: class local name -> kind, the classes whose labels are read;
        ``predicates``: which properties name them, with their ranks."""
        entries, display = [], {}
        query = _labels_query(kinds, predicates)
        for row in store.query(
            query, prefixes=prefixes(iris.base), use_default_graph_as_union=True
        ):
            label = row["label"]
            kind = kinds[row["type"].value.rsplit("/", 1)[-1]]
            lang = getattr(label, "language", None)
            rank = int(row["pref"].value)
            entries.append(Entry(fold(label.value), label.value, lang, row["r"].value, kind, rank))
            if rank <= 2:  # a display name per resource and language
                key = (row["r"].value, lang or "")
                display.setdefault(key, label.value)
        return cls(entries, display)

    def name(self, iri: str, lang: str) -> str:
        for candidate in (lang, "en", ""):
            if (iri, candidate) in self.display:
                return self.display[(iri, candidate)]
        return next((v for (i, _), v in self.display.items() if i == iri), iri)

    def suggest(
        self, query: str, limit: int = 10, lang: str = "en", kinds: set[str] | None = None
    ) -> list[Suggestion]:
        """Labels that start with the query first, then words that do, then substrings;
        one suggestion per resource (of ``kinds`` only, when given)."""
        q = fold(query.strip())
        if not q:
            return []
        scored = []
        for e in self.entries:
            if kinds is not None and e.kind not in kinds:
                continue
            if e.folded.startswith(q):
                tier = 0
            elif f" {q}" in f" {e.folded}":
                tier = 1
            elif q in e.folded:
                tier = 2
            else:
                continue
            scored.append(((tier, e.lang not in (lang, None), e.rank, len(e.label)), e))
        seen, out = set(), []
        for _, e in sorted(scored, key=lambda pair: pair[0]):
            if e.iri in seen:
                continue
            seen.add(e.iri)
            out.append(Suggestion(e.iri, self.name(e.iri, lang), e.label, e.lang, e.kind))
            if len(out) == limit:
                break
        return out
