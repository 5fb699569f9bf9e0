"""What the tagger can recognise, read from the graph itself: SKOS labels of themes and
groups, titles, short titles, abbreviations and symbols of instruments (with the
"resolution 43/1" form of resolution symbols), names and abbreviations of bodies and UN
entities, the provisions that citations may resolve to, and countries from pycountry.

A :class:`Term` is one surface form; ``exact`` forms (acronyms, symbols, country names)
match case-sensitively, the others on lower-cased lemmas so that "Law enforcement
officers" matches the label "law enforcement officer".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pycountry
from pyoxigraph import Store

from kg import countries, sparql
from kg.iris import Iris

KINDS = ("theme", "group", "instrument", "provision", "body", "entity", "country")


@dataclass(frozen=True)
class Target:
    """Something a passage can mention: its IRI, kind and a display label."""

    iri: str
    kind: str
    label: str


@dataclass(frozen=True)
class Term:
    text: str
    target: Target
    exact: bool  # match case-sensitively, token by token


@dataclass
class Lexicon:
    language: str
    terms: list[Term] = field(default_factory=list)
    provisions: dict[str, Target] = field(default_factory=dict)  # IRI -> provision
    instruments: dict[str, Target] = field(default_factory=dict)  # IRI -> instrument


_ACRONYM = re.compile(r"^[A-Z0-9][A-Za-z0-9./-]{0,7}$")
_RESOLUTION_SYMBOL = re.compile(
    r"^(?:[A-Z]+/)+(?P<kind>RES|DEC)/(?P<number>[\dA-Z.-]+/[\dA-Z.-]+)$"
)
_KIND_WORDS = {"RES": "resolution", "DEC": "decision"}
# Words that texts drop from the front of a title: "the Decade for People of African
# Descent", "the Minorities Declaration".
_DROPPABLE = re.compile(r"^(?:the |a |an |international |united nations |un )+", re.I)


def _is_acronym(text: str) -> bool:
    """'ICERD', 'UNCT', 'SDGs' are matched as written ('CAT' must not match 'cat'); 'Roma'
    is not, nor 'COVID-19': with a digit no common word collides, and 'Covid-19' is usual."""
    has_digit = any(c.isdigit() for c in text)
    return bool(_ACRONYM.match(text)) and sum(c.isupper() for c in text) >= 2 and not has_digit


def _pick(labels: dict[str, list[str]], language: str) -> list[str]:
    """Labels in the document's language where the graph has them, else in English."""
    return labels.get(language) or labels.get("en") or []


def _rows(store: Store, base: str, query: str) -> list[dict[str, object]]:
    result = sparql.run(store, query, base)
    return [{v.value: row[v] for v in result.value.variables} for row in result.value]


def _concepts(store: Store, base: str, language: str) -> list[Term]:
    rows = _rows(
        store,
        base,
        """SELECT ?c ?kind ?p ?label WHERE {
             { ?c a ng:Theme BIND("theme" AS ?kind) } UNION
             { ?c a ng:RightsHolderGroup BIND("group" AS ?kind) }
             VALUES ?p { skos:prefLabel skos:altLabel }
             ?c ?p ?label }""",
    )
    labels: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    preferred: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        key = (row["c"].value, row["kind"].value)
        lang = row["label"].language or "en"
        labels[key][lang].append(row["label"].value)
        if row["p"].value.endswith("prefLabel"):
            preferred[key[0]][lang] = row["label"].value
    terms = []
    for (iri, kind), by_lang in labels.items():
        names = preferred[iri]
        target = Target(iri, kind, names.get(language) or names.get("en") or iri)
        terms += [Term(t, target, _is_acronym(t)) for t in _pick(by_lang, language)]
    return terms


def _named(store: Store, base: str, language: str, query: str, kinds: dict[str, str]):
    """Terms for things with titles or names (instruments, bodies, entities)."""
    rows = _rows(store, base, query)
    forms: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    kind_of: dict[str, str] = {}
    for row in rows:
        iri, prop = row["x"].value, row["p"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        kind_of[iri] = kinds.get(row["type"].value.rsplit("/", 1)[-1], kind_of.get(iri, ""))
        forms[iri][prop][row["v"].language or "en"].append(row["v"].value)
    out: dict[str, tuple[Target, list[tuple[str, bool]]]] = {}
    for iri, props in forms.items():
        names = [_pick(props.get(p, {}), language) for p in ("shortTitle", "label", "title")]
        label = next((n[0] for n in names if n), iri)
        texts: list[tuple[str, bool]] = []
        for prop in ("title", "shortTitle", "label"):
            texts += [(t, _is_acronym(t)) for t in _pick(props.get(prop, {}), language)]
        texts += [(t, _is_acronym(t)) for ts in props.get("abbreviation", {}).values() for t in ts]
        texts += [(t, True) for ts in props.get("symbol", {}).values() for t in ts]
        out[iri] = (Target(iri, kind_of[iri], label), texts)
    return out


def resolution_form(symbol: str) -> str | None:
    """How texts cite a resolution or decision by number: 'A/RES/47/135' -> 'resolution
    47/135', 'A/HRC/RES/43/1' -> 'resolution 43/1'; None for other symbols."""
    match = _RESOLUTION_SYMBOL.match(symbol)
    return f"{_KIND_WORDS[match['kind']]} {match['number']}" if match else None


def _variants(text: str) -> set[str]:
    """Shorter forms by which texts name a title: without a leading "the", "International",
    "United Nations" or "UN"; the part before the first comma ("World Conference against
    Racism, Racial Discrimination, ..."); the part after a colon ("The Highest Aspiration:
    A Call to Action for Human Rights")."""
    parts = {text}
    if ", " in text:
        parts.add(text.split(", ", 1)[0])
    if ": " in text:
        parts.add(text.split(": ", 1)[1])
    out = {_DROPPABLE.sub("", part) for part in parts} | parts
    return {v for v in out if v != text and len(v.split()) >= 3}


def _terms(named: dict[str, tuple[Target, list[tuple[str, bool]]]]) -> list[Term]:
    """Each thing's own forms, and derived ones ("resolution 43/1", shortened titles) where
    they name that thing only."""
    terms: list[Term] = []
    derived: dict[str, set[str]] = defaultdict(set)
    for iri, (target, texts) in named.items():
        terms += [Term(text, target, exact) for text, exact in texts]
        for text, exact in texts:
            if form := resolution_form(text):
                derived[form].add(iri)
            if not exact:
                for variant in _variants(text):
                    derived[variant].add(iri)
    own = {text.lower() for _, texts in named.values() for text, _ in texts}
    for text, iris in derived.items():
        if len(iris) == 1 and text.lower() not in own:
            terms.append(Term(text, named[next(iter(iris))][0], False))
    return terms


def _instruments(store: Store, base: str, language: str) -> tuple[list[Term], dict[str, Target]]:
    named = _named(
        store,
        base,
        language,
        """SELECT ?x ?type ?p ?v WHERE {
             ?x a ng:Instrument . BIND(ng:Instrument AS ?type)
             VALUES ?p { dcterms:title ng:shortTitle ng:abbreviation ng:symbol rdfs:label }
             ?x ?p ?v }""",
        {"Instrument": "instrument"},
    )
    return _terms(named), {iri: target for iri, (target, _) in named.items()}


def _organizations(store: Store, base: str, language: str) -> list[Term]:
    named = _named(
        store,
        base,
        language,
        """SELECT ?x ?type ?p ?v WHERE {
             VALUES ?type { ng:Body ng:UNEntity ng:InterAgencyNetwork }
             ?x a ?type .
             VALUES ?p { rdfs:label ng:abbreviation }
             ?x ?p ?v }""",
        {"Body": "body", "UNEntity": "entity", "InterAgencyNetwork": "entity"},
    )
    return _terms(named)


def _provisions(store: Store, base: str) -> dict[str, Target]:
    rows = _rows(
        store,
        base,
        """SELECT ?x (SAMPLE(?l) AS ?label) WHERE {
             ?x ng:partOfInstrument ?i . OPTIONAL { ?x rdfs:label ?l } } GROUP BY ?x""",
    )
    return {
        r["x"].value: Target(r["x"].value, "provision", r["label"].value if r["label"] else "")
        for r in rows
    }


def _countries(iris: Iris, language: str) -> list[Term]:
    """Country names from ISO 3166-1 in the document's language (pycountry ships the
    translations); names with a comma ("Korea, Republic of") are not how texts say them."""
    translate = countries.translator(language)
    terms = []
    for country in pycountry.countries:
        target = Target(iris.country(country.alpha_3).value, "country", country.name)
        names = {country.name, getattr(country, "common_name", country.name)}
        names |= {getattr(country, "official_name", country.name)}
        for name in names:
            local = translate(name)
            if "," not in local and "(" not in local:
                terms.append(Term(local, target, True))
    return terms


def load(store: Store, iris: Iris, language: str) -> Lexicon:
    """Everything the graph can name in ``language`` (English where it has nothing better)."""
    instrument_terms, instruments = _instruments(store, iris.base, language)
    organizations = _organizations(store, iris.base, language)
    # A resolution titled after the body it creates ("Human Rights Council"): the bare name
    # in running text means the body.
    names = {t.text.lower() for t in organizations}
    terms = [
        *_concepts(store, iris.base, language),
        *(t for t in instrument_terms if t.text.lower() not in names),
        *organizations,
        *_countries(iris, language),
    ]
    return Lexicon(
        language=language,
        terms=[t for t in terms if t.text.strip()],
        provisions=_provisions(store, iris.base),
        instruments=instruments,
    )
