"""Reconciliation queries: a name (and optionally types and property values) in, scored
candidates out. A candidate is certain (``match: true``) only when the query is exactly
one of its names (a label in any language, an alternative label, an abbreviation, a
symbol or a code), no other candidate of the query's types has that name, and no
property value given with the query contradicts it. Everything else is ranked by string
similarity over the same names, so abbreviations, other languages and typos still find
their entity among the first candidates."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ingest import citations
from ingest.lexicon import resolution_form
from search_api.reconcile.catalog import PROPERTY_BY_ID, TYPE_ALIASES, TYPE_BY_ID, Catalog, Entity
from search_api.search import translate
from search_api.search.suggest import fold

STRICTNESS = ("any", "should", "all")
DEFAULT_LIMIT, MAX_LIMIT = 10, 100
FLOOR = 50.0  # below this similarity a name is not a candidate
MISMATCH = 0.6  # score factor for each given property value a candidate contradicts
SHOULD_BONUS = 5.0  # type_strict=should: candidates of the given types come first
TRANSLATED = 0.95  # a name found through the query's English version is less sure
OTHER_NUMBER = 0.85  # a name without the numbers the query has (GR 32 for "GR 36")


class QueryError(ValueError):
    """A query of the batch is malformed; the message names the query and the field."""


@dataclass(frozen=True)
class PropertyValue:
    pid: str
    values: tuple[str, ...]  # strings; entity values by their id or IRI


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple[str, ...] = ()
    strict: str = "any"
    limit: int = DEFAULT_LIMIT
    properties: tuple[PropertyValue, ...] = ()


@dataclass
class Candidate:
    entity: Entity
    score: float
    exact: bool
    checks: dict[str, bool]
    match: bool = False


def key(text: str) -> str:
    """Case, accents and punctuation do not count: 'A/RES/47/135' ~ 'a res 47 135'."""
    return " ".join(re.findall(r"\w+", fold(text)))


def squashed(text: str) -> str:
    """Spaces do not count either: 'GR36' ~ 'GR 36'."""
    return key(text).replace(" ", "")


class Matcher:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._exact: dict[str, set[str]] = defaultdict(set)  # key or squashed key -> IRIs
        self._by_key: dict[str, set[str]] = defaultdict(set)
        for iri, name in _names(catalog):
            k = key(name)
            if k:
                self._by_key[k].add(iri)
                self._exact[k].add(iri)
                self._exact[k.replace(" ", "")].add(iri)
        self._choices: dict[str, list[str]] = defaultdict(list)  # type -> name keys
        for k, iris in self._by_key.items():
            for t in {t for iri in iris for t in catalog.entities[iri].types}:
                self._choices[t].append(k)
        self._provisions = {iri for iri, e in catalog.entities.items() if "Provision" in e.types}

    def named(self, text: str) -> set[str]:
        """The IRIs of which ``text`` is exactly a name."""
        return set(self._exact.get(key(text), set())) | self._exact.get(squashed(text), set())

    def reconcile(self, query: Query) -> list[Candidate]:
        allowed = self._allowed(query)
        scores = self._by_name(query.text, allowed) if query.text.strip() else {}
        if not query.text.strip():  # properties alone
            scores = {iri: (100.0, False) for iri in allowed}
        candidates = []
        for iri, (score, exact) in scores.items():
            entity = self.catalog.entities[iri]
            if query.strict == "should" and set(query.types) & entity.types:
                score += SHOULD_BONUS
            checks = {p.pid: self._holds(entity, p) for p in query.properties}
            score *= MISMATCH ** sum(not ok for ok in checks.values())
            candidates.append(Candidate(entity, round(min(score, 100.0), 2), exact, checks))
        wanted = set(query.types)
        candidates.sort(
            key=lambda c: (-c.score, not c.exact, not wanted & c.entity.types, c.entity.iri)
        )
        if not query.text.strip():
            candidates = [c for c in candidates if all(c.checks.values())]
        self._decide(candidates, query)
        return candidates[: query.limit]

    def _allowed(self, query: Query) -> set[str]:
        entities = self.catalog.entities
        if not query.types or query.strict == "should":
            return set(entities)
        if query.strict == "all":
            return {i for i, e in entities.items() if set(query.types) <= e.types}
        return {i for i, e in entities.items() if set(query.types) & e.types}

    def _by_name(self, text: str, allowed: set[str]) -> dict[str, tuple[float, bool]]:
        """IRI -> (score, exact) over every name of the allowed entities."""
        out: dict[str, tuple[float, bool]] = {}
        for iri in self.named(text) & allowed:
            out[iri] = (100.0, True)
        for iri in self._cited(text) & allowed:
            out[iri] = (100.0, True)
        types = {t for iri in allowed for t in self.catalog.entities[iri].types}
        choices = sorted({k for t in types for k in self._choices.get(t, ())})
        for q, weight in self._readings(text):
            for name, similarity, _ in process.extract(
                q, choices, scorer=fuzz.WRatio, limit=200, score_cutoff=FLOOR
            ):
                score = min(float(similarity), 99.0) * weight  # only an exact name scores 100
                if not _numbers(q) <= _numbers(name):
                    score *= OTHER_NUMBER
                for iri in self._by_key[name] & allowed:
                    if iri not in out or out[iri][0] < score:
                        out[iri] = (score, False)
        return out

    @staticmethod
    def _readings(text: str) -> list[tuple[str, float]]:
        """The query's key, and its English version if it reads as French or Spanish (the
        search's glossary, search_api.search.translate): names in English only still match."""
        q = key(text)
        out = [(q, 1.0)]
        for lang in translate.LANGUAGES:
            english = key(translate.to_english(text, lang, []))
            if english and english not in {k for k, _ in out}:
                out.append((english, TRANSLATED))
        return out

    def _cited(self, text: str) -> set[str]:
        """A provision cited by number with its instrument named exactly: 'ICCPR article
        27', 'article 4 (3) of the UNMD'."""
        found = citations.find(text)
        if len(found) != 1:
            return set()
        cite = found[0]
        rest = text[: cite.start] + " " + text[cite.of_at or cite.end :]
        instruments = {
            iri
            for iri in self.named(rest.strip(" ,"))
            if "Instrument" in self.catalog.entities[iri].types
        }
        out = set()
        for instrument in instruments:
            provision = citations.provision(
                self.catalog.iris, instrument, cite.steps, self._provisions
            )
            if provision:
                out.add(provision)
        return out

    def _holds(self, entity: Entity, given: PropertyValue) -> bool:
        """Whether one of the given values agrees with the entity's."""
        prop = PROPERTY_BY_ID[given.pid]
        have = [v for p in prop.predicates for v in entity.values(p)]
        if prop.kind == "entity":
            linked = {v.value for v in have}
            return any(self._resolve(value) & linked for value in given.values)
        if prop.kind == "date":
            return any(v.value.startswith(value.strip()) for v in have for value in given.values)
        if prop.kind == "boolean":
            truth = {
                "true": "true",
                "yes": "true",
                "1": "true",
                "false": "false",
                "no": "false",
                "0": "false",
            }
            return any(
                truth.get(value.strip().lower()) == v.value for v in have for value in given.values
            )
        return any(key(value) == key(v.value) for v in have for value in given.values)

    def _resolve(self, value: str) -> set[str]:
        """The IRIs an entity value may mean: its id, its IRI or one of its names."""
        entity = self.catalog.get(value.strip())
        if entity is not None:
            return {entity.iri}
        if value.startswith(("http://", "https://")):
            return {value}
        return self.named(value)

    def _decide(self, candidates: list[Candidate], query: Query) -> None:
        """match: true for the one exact candidate, if it is alone among those of the asked
        types (with type_strict=should, OpenRefine's default, other types are listed but
        do not make a name ambiguous) and uncontradicted."""
        exact = [c for c in candidates if c.exact]
        typed = [c for c in exact if set(query.types) & c.entity.types]
        exact = typed or exact
        if len(exact) == 1 and all(exact[0].checks.values()) and exact[0] is candidates[0]:
            exact[0].match = True


def _names(catalog: Catalog) -> list[tuple[str, str]]:
    """(IRI, name): every label the suggester reads, and 'resolution 61/295' for a
    resolution's symbol where no other thing has that form."""
    pairs = [(e.iri, e.label) for e in catalog.names.entries]
    forms: dict[str, set[str]] = defaultdict(set)
    for iri, name in pairs:
        if form := resolution_form(name):
            forms[form].add(iri)
    return pairs + [(next(iter(iris)), form) for form, iris in forms.items() if len(iris) == 1]


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def parse_batch(batch: object) -> dict[str, Query]:
    """A query batch as clients send it (``{"q0": {"query": "CERD", ...}}``), checked."""
    if not isinstance(batch, dict) or not batch:
        raise QueryError("'queries' must be a non-empty JSON object of queries by key")
    return {str(k): parse_query(str(k), v) for k, v in batch.items()}


def parse_query(name: str, raw: object) -> Query:
    if isinstance(raw, str):  # very old clients send bare strings
        raw = {"query": raw}
    if not isinstance(raw, dict):
        raise QueryError(f"query {name!r} must be an object")
    unknown = sorted(set(raw) - {"query", "type", "type_strict", "limit", "properties"})
    if unknown:
        raise QueryError(f"query {name!r}: unknown field(s) {', '.join(unknown)}")
    text = raw.get("query", "")
    if not isinstance(text, str):
        raise QueryError(f"query {name!r}: 'query' must be a string")
    properties = _properties(name, raw.get("properties", []))
    if not text.strip() and not properties:
        raise QueryError(f"query {name!r}: give a non-empty 'query' or some 'properties'")
    return Query(
        text=text,
        types=_types(name, raw.get("type")),
        strict=_strict(name, raw.get("type_strict", "any")),
        limit=_limit(name, raw.get("limit", DEFAULT_LIMIT)),
        properties=properties,
    )


def type_id(value: str) -> str | None:
    """A type as clients name it: its id, an alias, or the class IRI."""
    local = value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    local = TYPE_ALIASES.get(local, local)
    return local if local in TYPE_BY_ID else None


def _types(name: str, raw: object) -> tuple[str, ...]:
    if raw is None or raw == "":
        return ()
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise QueryError(f"query {name!r}: 'type' must be a type id or a list of them")
    out = []
    for value in values:
        found = type_id(value)
        if found is None:
            known = ", ".join(TYPE_BY_ID)
            raise QueryError(f"query {name!r}: unknown type {value!r}; known types: {known}")
        out.append(found)
    return tuple(out)


def _strict(name: str, raw: object) -> str:
    if raw not in STRICTNESS:
        raise QueryError(f"query {name!r}: 'type_strict' must be one of {', '.join(STRICTNESS)}")
    return str(raw)


def _limit(name: str, raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 1 <= raw <= MAX_LIMIT:
        raise QueryError(f"query {name!r}: 'limit' must be a number between 1 and {MAX_LIMIT}")
    return int(raw)


def _properties(name: str, raw: object) -> tuple[PropertyValue, ...]:
    if not isinstance(raw, list):
        raise QueryError(f"query {name!r}: 'properties' must be a list of {{pid, v}}")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "v" not in item or not ("pid" in item or "p" in item):
            raise QueryError(f"query {name!r}: each property needs 'pid' and 'v'")
        pid = item.get("pid", item.get("p"))  # "p": the name older clients send
        if pid not in PROPERTY_BY_ID:
            known = ", ".join(PROPERTY_BY_ID)
            raise QueryError(f"query {name!r}: unknown property {pid!r}; known: {known}")
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        out.append(PropertyValue(pid, tuple(_value(name, pid, v) for v in values)))
    return tuple(out)


def _value(name: str, pid: str, raw: object) -> str:
    if isinstance(raw, dict):
        if not isinstance(raw.get("id"), str):
            raise QueryError(f"query {name!r}: property {pid!r}: an entity value needs an 'id'")
        return raw["id"]
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str | int | float):
        return str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
    raise QueryError(f"query {name!r}: property {pid!r}: values are strings, numbers or {{id}}")
