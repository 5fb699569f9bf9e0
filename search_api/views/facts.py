"""The slice of the graph a resource page is drawn from, read by triple patterns:
the resource's own statements, the statements that point at it (capped, and
counted), and for every resource on either side the few facts a page shows about
a neighbour (types, labels, numbers, order, summaries, years). Labels are picked
by language."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Store

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
    "ng:inCountry",
    "eli:date_document",
    # of the predicates (neighbours too): what a displayed statement also says (sections.shown)
    "rdfs:subPropertyOf",
    "owl:inverseOf",
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
INBOUND_CAP = 2000  # resources pointing at one resource that a page reads (a hub stays fast)


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
        self.inbound_counts: dict[str, int] = {}  # predicate -> all subjects, read or not
        self.left_out = 0  # subjects pointing at the resource that were not read
        seen = set()
        for s, p, o in rows:
            if (s, p, str(o)) in seen:
                continue
            seen.add((s, p, str(o)))
            self.out[s][p].append(o)
            if isinstance(o, NamedNode) and o.value == iri and s != iri:
                self.inbound[p].append(s)

    @classmethod
    def read(cls, store: Store, iris: Iris, iri: str, inbound_cap: int = INBOUND_CAP) -> Facts:
        """Read by triple patterns (no query text): the resource's statements, the
        statements pointing at it (the first ``inbound_cap`` subjects; all are counted),
        and the page facts of every resource on either side."""
        ns = prefixes(iris.base)
        term = lambda curie: NamedNode(ns[curie.split(":")[0]] + curie.split(":")[1])  # noqa: E731
        node = NamedNode(iri)
        rows = [
            (iri, q.predicate.value, q.object) for q in store.quads_for_pattern(node, None, None)
        ]
        kept: set[str] = set()
        counts: dict[str, set[str]] = defaultdict(set)
        for q in store.quads_for_pattern(None, None, node):
            subject = q.subject.value
            counts[q.predicate.value].add(subject)
            if subject in kept or len(kept) < inbound_cap:
                kept.add(subject)
                rows.append((subject, q.predicate.value, node))
        neighbours = {o.value for _, _, o in rows if isinstance(o, NamedNode)} | kept
        neighbours |= {p for _, p, _ in rows}
        # two steps out: practices implementing an instrument's provisions, siblings
        parts = [s for s, p, _ in rows if p == term("ng:partOfInstrument").value]
        for part in parts:
            neighbours |= {
                q.subject.value
                for q in store.quads_for_pattern(None, term("ng:implements"), NamedNode(part))
            }
        for parent in [o for s, p, o in rows if s == iri and p == term("dcterms:isPartOf").value]:
            neighbours |= {
                q.subject.value
                for q in store.quads_for_pattern(None, term("dcterms:isPartOf"), parent)
            }
        wanted = {term(c).value for c in NEIGHBOUR_FACTS}
        for n in sorted(neighbours - {iri}):
            rows += [
                (n, q.predicate.value, q.object)
                for q in store.quads_for_pattern(NamedNode(n), None, None)
                if q.predicate.value in wanted
            ]
        facts = cls(iri, iris, rows)
        facts.inbound_counts = {p: len(subjects) for p, subjects in counts.items()}
        facts.left_out = len(set().union(*counts.values()) - kept) if counts else 0
        return facts

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

    def super_properties(self, predicate: str) -> set[str]:
        """Every property that ``predicate`` is a sub-property of, as the release's
        ontology says (transitively)."""
        found: set[str] = set()
        todo = [predicate]
        while todo:
            for parent in self.iris_of(todo.pop(), "rdfs:subPropertyOf"):
                if parent not in found and parent != predicate:
                    found.add(parent)
                    todo.append(parent)
        return found

    def inverses(self, predicate: str) -> set[str]:
        """The properties declared inverse of ``predicate``, in either direction."""
        declared = set(self.iris_of(predicate, "owl:inverseOf"))
        return declared | {p for p in self.out if predicate in self.iris_of(p, "owl:inverseOf")}

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
