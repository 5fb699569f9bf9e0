"""The slice of the graph a resource page is drawn from, read in one query: the
resource's own statements, the statements that point at it, and for every
resource on either side the few facts a page shows about a neighbour (types,
labels, numbers, order, summaries, years). Labels are picked by language."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Store, Variable

from kg.iris import Iris
from kg.vocab import EXTERNAL, prefixes
from search_api.views.language import Language

# facts read about neighbours (CURIEs); the resource itself gets all its statements
NEIGHBOUR_FACTS = (
    "rdf:type",
    "rdfs:label",
    "skos:prefLabel",
    "skos:notation",
    "dcterms:title",
    "ng:shortTitle",
    "ng:abbreviation",
    "ng:symbol",
    "ng:order",
    "eli:number",
    "dcterms:abstract",
    "ng:officialText",
    "ng:text",
    "dcterms:isPartOf",
    "ng:partOfInstrument",
    "ng:implements",
    "ng:wordingOf",
    "ng:startYear",
    "ng:endYear",
    "ng:country",
    "eli:date_document",
)
# display names, best first
NAME_PREDICATES = ("skos:prefLabel", "ng:shortTitle", "rdfs:label", "dcterms:title")
# names of the external terms pages show most, for predicates that carry no label
TERM_NAMES = {
    "eli:date_document": "adopted",
    "eli:first_date_entry_in_force": "entry into force",
    "eli:number": "number",
    "dcat:landingPage": "official page",
    "dcterms:source": "sources",
    "dcterms:title": "title",
    "dcterms:abstract": "summary",
    "dcterms:description": "description",
    "dcterms:identifier": "identifier",
    "dcterms:language": "language",
    "dcterms:isPartOf": "part of",
    "dcterms:hasPart": "has part",
    "dcterms:created": "established",
    "dcterms:isReplacedBy": "replaced by",
    "rdfs:label": "label",
    "skos:prefLabel": "preferred label",
    "skos:altLabel": "also known as",
    "skos:definition": "definition",
    "skos:broader": "broader concept",
    "skos:narrower": "narrower concept",
    "skos:inScheme": "in scheme",
    "prov:wasAttributedTo": "UN entities involved",
    "dcterms:bibliographicCitation": "documented in",
    "dcterms:issued": "stated",
    "dcterms:date": "year",
    "skos:note": "note",
    "skos:exactMatch": "same as",
    "skos:closeMatch": "close to",
    "skos:related": "related concept",
    "org:subOrganizationOf": "part of",
    "org:hasMember": "members",
    # terms of ingested documents, until the ontology of this checkout labels them
    "ng:wordingOf": "wording of",
    "ng:mentions": "mentions",
    "ng:officialText": "official text",
    "ng:text": "text",
    "prov:generatedAtTime": "ingested at",
}
NEIGHBOUR_CAP = 5000  # rows about neighbours; a hub concept stays a fast page

_AROUND = """
SELECT DISTINCT ?r ?s ?p ?o WHERE {
  { ?r ?p ?o BIND(?r AS ?s) }
  UNION { ?s ?p ?r BIND(?r AS ?o) }
  UNION { { ?r ?s ?_b } UNION { ?_c ?s ?r } ?s rdfs:label ?o BIND(rdfs:label AS ?p) }
}"""
_NEIGHBOURS = """
SELECT DISTINCT ?r ?s ?p ?o WHERE {
  { ?r ?_l ?s FILTER(isIRI(?s)) } UNION { ?s ?_l ?r }
  UNION { ?s ng:implements ?_part . ?_part ng:partOfInstrument ?r }
  UNION { ?r dcterms:isPartOf ?_parent . ?s dcterms:isPartOf ?_parent }
  ?s ?p ?o FILTER(?p IN (%s))
} LIMIT %d"""


@dataclass(frozen=True)
class Label:
    """A display string and the language it is in (None: untagged or not a label)."""

    text: str
    lang: str | None = None


class Facts:
    """subject -> predicate -> objects, for one resource and its neighbours."""

    def __init__(self, iri: str, iris: Iris, rows: list[tuple[str, str, object]]) -> None:
        self.iri, self.iris = iri, iris
        self.ns = prefixes(iris.base)
        self.out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.inbound: dict[str, list[str]] = defaultdict(list)  # predicate -> subjects
        seen = set()
        for s, p, o in rows:
            if (s, p, str(o)) in seen:
                continue
            seen.add((s, p, str(o)))
            self.out[s][p].append(o)
            if isinstance(o, NamedNode) and o.value == iri and s != iri:
                self.inbound[p].append(s)

    @classmethod
    def read(cls, store: Store, iris: Iris, iri: str) -> Facts:
        ns = prefixes(iris.base)
        bound = {Variable("r"): NamedNode(iri)}
        rows = [
            (r["s"].value, r["p"].value, r["o"])
            for r in store.query(
                _AROUND, prefixes=ns, use_default_graph_as_union=True, substitutions=bound
            )
        ]
        wanted = ", ".join(NEIGHBOUR_FACTS)
        query = _NEIGHBOURS % (wanted, NEIGHBOUR_CAP)
        rows += [
            (r["s"].value, r["p"].value, r["o"])
            for r in store.query(
                query, prefixes=ns, use_default_graph_as_union=True, substitutions=bound
            )
        ]
        return cls(iri, iris, rows)

    # ------------------------------------------------------------ lookups
    def expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return self.ns[prefix] + local

    def objects(self, subject: str, curie: str) -> list:
        return self.out.get(subject, {}).get(self.expand(curie), [])

    def iris_of(self, subject: str, curie: str) -> list[str]:
        return [o.value for o in self.objects(subject, curie) if isinstance(o, NamedNode)]

    def first(self, subject: str, curie: str) -> str | None:
        values = self.objects(subject, curie)
        return values[0].value if values else None

    def subjects(self, curie: str) -> list[str]:
        """Resources that point at this one with ``curie``."""
        return sorted(set(self.inbound.get(self.expand(curie), [])))

    def types(self, subject: str) -> set[str]:
        return {o.value for o in self.objects(subject, "rdf:type")}

    def is_a(self, subject: str, curie: str) -> bool:
        return self.expand(curie) in self.types(subject)

    def texts(self, subject: str, curie: str, lang: Language | None = None) -> list[Label]:
        """Literals of a property, the page's language order first."""
        out = [
            Label(o.value, o.language)
            for o in self.objects(subject, curie)
            if isinstance(o, Literal)
        ]
        if lang is None:
            return out
        rank = {code: i for i, code in enumerate(lang.order)}
        return sorted(out, key=lambda t: (rank.get(t.lang or "", len(rank)), t.lang or ""))

    def pick(self, subject: str, curie: str, lang: Language) -> Label | None:
        """One literal in the best language of ``lang.order``, then untagged, then any."""
        texts = self.texts(subject, curie)
        for code in (*lang.order, None):
            for text in texts:
                if text.lang == code:
                    return text
        return texts[0] if texts else None

    def name(self, subject: str, lang: Language) -> Label:
        for curie in NAME_PREDICATES:
            found = self.pick(subject, curie, lang)
            if found:
                return found
        curie = short(subject, self.iris)
        if curie in TERM_NAMES:
            return Label(TERM_NAMES[curie], "en")
        return Label(curie)

    def number(self, subject: str) -> str | None:
        return self.first(subject, "eli:number")

    def order(self, subject: str) -> int:
        value = self.first(subject, "ng:order")
        return int(value) if value and value.lstrip("-").isdigit() else 0


def short(iri: str, iris: Iris) -> str:
    """A CURIE or the part after the base, for IRIs without a label."""
    for prefix, ns in EXTERNAL.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    if iri.startswith(iris.base + "def/"):
        return "ng:" + iri[len(iris.base) + 4 :]
    return iris.local(iri)
