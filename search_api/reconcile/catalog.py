"""What the reconciliation service knows about each thing it can reconcile: its types,
its names in every language (the suggest machinery's labels, with titles and codes
added), a display name and description, and the facts that properties match and data
extension returns. Read once per release from the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Store

from kg.iris import Iris
from kg.vocab import prefixes
from search_api.search.labels import Labels
from search_api.search.suggest import LABEL_PREDICATES, Suggester


@dataclass(frozen=True)
class Type:
    id: str  # the class's local name under the schema space ({base}def/)
    name: str
    description: str


# The types a column can be reconciled against, in the order the manifest offers them.
TYPES = (
    Type(
        "Instrument", "Instrument", "treaties, declarations, resolutions, general recommendations"
    ),
    Type("Provision", "Provision", "articles, paragraphs and sections of instruments"),
    Type("Theme", "Theme", "subjects of the normgraph theme thesaurus"),
    Type("RightsHolderGroup", "Rights-holder group", "groups of the normgraph thesaurus"),
    Type("Body", "Body", "treaty bodies, councils, special procedures, forums, mechanisms"),
    Type("UNEntity", "UN entity", "UN departments, agencies, funds and programmes"),
    Type("Practice", "Practice", "documented good practice"),
    Type("Country", "Country", "countries (ISO 3166-1)"),
    Type("WorkPlanCommitment", "Network commitment", "commitments of the UN Network's work plan"),
)
TYPE_BY_ID = {t.id: t for t in TYPES}
# Names clients also use for a type
TYPE_ALIASES = {"Group": "RightsHolderGroup", "Commitment": "WorkPlanCommitment"}
# Names that reconcile: the suggester's, plus full titles and codes (ISO 3166 for countries)
NAME_PREDICATES = (*LABEL_PREDICATES, ("dcterms:title", 2), ("dcterms:identifier", 4))


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    predicates: tuple[str, ...]
    types: tuple[str, ...]  # the types that have it
    kind: str  # "entity" (values are things), "text", "date", "boolean"
    description: str
    target: str | None = None  # the type of an entity property's values


PROPERTIES = (
    Property(
        "symbol",
        "Document symbol",
        ("ng:symbol",),
        ("Instrument",),
        "text",
        "the UN document symbol or treaty number (A/RES/47/135, ETS No. 157)",
    ),
    Property(
        "adopted",
        "Adopted",
        ("eli:date_document", "dcterms:issued"),
        ("Instrument", "WorkPlanCommitment"),
        "date",
        "date of adoption or issue",
    ),
    Property(
        "binding",
        "Legally binding",
        ("ng:legallyBinding",),
        ("Instrument",),
        "boolean",
        "whether the instrument binds the States that accept it",
    ),
    Property(
        "adoptedBy",
        "Adopting body",
        ("ng:adoptedBy",),
        ("Instrument",),
        "entity",
        "the body that adopted the instrument",
        "Body",
    ),
    Property(
        "instrument",
        "Instrument",
        ("ng:partOfInstrument",),
        ("Provision",),
        "entity",
        "the instrument a provision belongs to",
        "Instrument",
    ),
    Property(
        "themes",
        "Themes",
        ("ng:addressesTheme",),
        ("Instrument", "Provision", "Practice", "WorkPlanCommitment"),
        "entity",
        "themes it addresses",
        "Theme",
    ),
    Property(
        "groups",
        "Groups",
        ("ng:concernsGroup",),
        ("Instrument", "Provision", "Practice", "WorkPlanCommitment"),
        "entity",
        "rights-holder groups it concerns",
        "RightsHolderGroup",
    ),
    Property(
        "country",
        "Country",
        ("dcterms:spatial",),
        ("Practice",),
        "entity",
        "where the practice takes place",
        "Country",
    ),
    Property(
        "scheme",
        "Scheme",
        ("skos:inScheme",),
        ("Theme", "RightsHolderGroup"),
        "entity",
        "the concept scheme (themes or groups)",
    ),
    Property(
        "unbis",
        "UNBIS Thesaurus match",
        ("skos:exactMatch", "skos:closeMatch"),
        ("Theme", "RightsHolderGroup", "Instrument", "Body"),
        "text",
        "the matching concept of the UN's UNBIS Thesaurus (metadata.un.org)",
    ),
    Property(
        "url",
        "Official page",
        ("dcat:landingPage",),
        ("Instrument", "Body", "UNEntity"),
        "text",
        "the official page of the instrument or body",
    ),
)
PROPERTY_BY_ID = {p.id: p for p in PROPERTIES}
_DESCRIBING = ("skos:definition", "dcterms:abstract", "dcterms:description", "skos:note")

_FACTS = """
SELECT ?r ?p ?v WHERE {{
  VALUES ?type {{ {types} }}
  VALUES ?p {{ {predicates} }}
  ?r a ?type ; ?p ?v .
}}"""


@dataclass
class Entity:
    iri: str
    id: str  # the IRI's path after {base}id/, as the view and preview URLs take it
    types: set[str] = field(default_factory=set)
    facts: dict[str, list[Literal | NamedNode]] = field(default_factory=lambda: defaultdict(list))

    def values(self, predicate: str) -> list[Literal | NamedNode]:
        return self.facts.get(predicate, [])

    def text(self, predicate: str, lang: str = "en") -> str | None:
        """A language-tagged value in ``lang``, else English, else any."""
        values = [v for v in self.values(predicate) if isinstance(v, Literal)]
        for wanted in (lang, "en"):
            for v in values:
                if v.language == wanted:
                    return v.value
        return values[0].value if values else None


class Catalog:
    def __init__(
        self, iris: Iris, entities: dict[str, Entity], names: Suggester, labels: Labels
    ) -> None:
        self.iris, self.entities, self.names, self.labels = iris, entities, names, labels

    @classmethod
    def from_store(cls, store: Store, iris: Iris) -> Catalog:
        kinds = {t.id: t.id for t in TYPES}
        names = Suggester.from_store(store, iris, kinds, NAME_PREDICATES)
        predicates = {p for prop in PROPERTIES for p in prop.predicates} | set(_DESCRIBING)
        query = _FACTS.format(
            types=" ".join(f"ng:{t.id}" for t in TYPES), predicates=" ".join(sorted(predicates))
        )
        ns = prefixes(iris.base)
        short = {v: k for k, v in ns.items()}
        entities: dict[str, Entity] = {}
        for entry in names.entries:
            entity = entities.get(entry.iri) or _entity(entry.iri, iris)
            entity.types.add(entry.kind)
            entities[entry.iri] = entity
        for row in store.query(query, prefixes=ns, use_default_graph_as_union=True):
            entity = entities.get(row["r"].value)
            if entity is not None:
                entity.facts[_curie(row["p"].value, short)].append(row["v"])
        return cls(iris, entities, names, Labels.from_store(store, iris))

    def get(self, ref: str) -> Entity | None:
        """An entity by its id (``instrument/unmd-1992``) or full IRI."""
        iri = ref if ref.startswith(("http://", "https://")) else f"{self.iris.base}id/{ref}"
        return self.entities.get(iri)

    def name(self, iri: str, lang: str = "en") -> str:
        return self.labels.name(iri, lang)

    def description(self, entity: Entity, lang: str = "en", unbis: bool = True) -> str:
        """What tells namesakes apart: an instrument's symbol, date and title; for the
        rest the first sentence of its definition, summary or note."""
        parts = []
        if "Instrument" in entity.types:
            parts += [v.value for v in entity.values("ng:symbol")]
            parts += [v.value for v in entity.values("eli:date_document")][:1]
            title = entity.text("dcterms:title", lang)
            if title and title != self.name(entity.iri, lang):
                parts.append(title)
        elif "Provision" in entity.types:
            for instrument in entity.values("ng:partOfInstrument")[:1]:
                parts.append(self.name(instrument.value, lang))
        for predicate in _DESCRIBING:
            if text := entity.text(predicate, lang):
                parts.append(_first_sentence(text))
                break
        for match in self.unbis(entity) if unbis else ():
            parts.append(f"UNBIS {match[1]}: {match[0]}")
        return " · ".join(parts)

    def unbis(self, entity: Entity) -> list[tuple[str, str]]:
        """(UNBIS concept URI, 'exact' or 'close') for each alignment of the entity."""
        return [
            (v.value, kind)
            for predicate, kind in (("skos:exactMatch", "exact"), ("skos:closeMatch", "close"))
            for v in entity.values(predicate)
            if v.value.startswith("http://metadata.un.org/thesaurus/")
        ]

    def type_refs(self, entity: Entity) -> list[dict[str, str]]:
        return [{"id": t.id, "name": t.name} for t in TYPES if t.id in entity.types]


def _entity(iri: str, iris: Iris) -> Entity:
    return Entity(iri=iri, id=iris.page_path(iri) or iri)


def _curie(iri: str, short: dict[str, str]) -> str:
    for namespace, prefix in short.items():
        if iri.startswith(namespace) and namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _first_sentence(text: str, longest: int = 200) -> str:
    end = text.find(". ")
    sentence = text if end < 0 else text[: end + 1]
    return sentence if len(sentence) <= longest else sentence[: longest - 1].rstrip() + "…"
