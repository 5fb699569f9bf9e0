"""Resource pages (the HTML side of /doc/...): one view model per kind of
resource — instrument, provision, concept, practice, document — and a generic
page for everything else. Every page is drawn from the graph (types, labels,
properties), so records that other parts of the project add show up on it; what a
typed page does not place in its own sections is listed under "More about"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from pyoxigraph import Literal, NamedNode, Store

from kg.iris import Iris
from search_api.views.facts import INBOUND_CAP, Facts, Label
from search_api.views.graph import Graph, neighbourhood
from search_api.views.language import Language
from search_api.views.model import Format, Header, Link, Row, kind_of, link, links, value

LIST_CAP = 200  # items per list on a page; the rest is counted and left to search
# derived statements (entailed super-properties and closures) are not listed again
DERIVED = (
    "rdf:type",
    "dcterms:subject",
    "dcterms:references",
    "dcterms:alternative",
    "skos:broaderTransitive",
    "skos:narrowerTransitive",
)
TAGS = ("ng:addressesTheme", "ng:concernsGroup")
TAGGING = ("ng:addressesTheme", "ng:concernsGroup", "ng:contributesToTarget", "ng:mentions")


@dataclass
class Tags:
    themes: list[Link] = field(default_factory=list)
    groups: list[Link] = field(default_factory=list)


@dataclass
class Group:
    """Resources of one kind in a list (``more``: how many were left out)."""

    kind: str
    items: list[Link]
    more: int = 0


@dataclass
class Page:
    """Shared by every resource page."""

    template: ClassVar[str] = "resource.html"
    header: Header
    more: list[Row]  # statements the page does not show in a section of its own
    inbound: list[Row]  # statements of other resources about this one, likewise
    left_out: int  # resources that refer to this one beyond what a page reads (0: none)


@dataclass
class GenericPage(Page):
    """Any resource without a page type of its own: all its properties."""


@dataclass
class ProvisionItem:
    """One provision of an instrument, in the order of the text."""

    link: Link
    depth: int
    heading: Label | None
    summary: Label | None
    official: Label | None  # the official wording, where ingested


@dataclass
class InstrumentPage(Page):
    template: ClassVar[str] = "instrument.html"
    titles: list[Label]
    facts: list[Row]
    provisions: list[ProvisionItem]
    bodies: list[Row]
    tags: Tags
    related: list[Row]
    implemented_by: list[Group]
    graph: Graph


@dataclass
class ProvisionPage(Page):
    template: ClassVar[str] = "provision.html"
    instrument: Link | None
    trail: list[Link]  # from the instrument down to the parent
    heading: Label | None
    summaries: list[Label]
    official: list[Label]
    parts: list[Link]
    previous: Link | None
    next: Link | None
    tags: Tags
    cited_by: list[Row]


@dataclass
class ConceptPage(Page):
    template: ClassVar[str] = "concept.html"
    labels: list[Label]  # preferred labels, every language
    alt_labels: list[Label]
    definition: Label | None
    definitions: list[Label]
    schemes: list[Link]
    broader: list[Link]
    narrower: list[Link]
    related: list[Link]
    exact_matches: list[str]  # concepts of other vocabularies (UNBIS) that mean the same
    close_matches: list[str]
    tagged: list[Group]
    search: list[tuple[str, str]]  # the search page's query for "search within this concept"
    graph: Graph


@dataclass
class PracticePage(Page):
    template: ClassVar[str] = "practice.html"
    description: Label | None
    countries: list[Link]
    regions: list[str]
    start_year: str | None
    end_year: str | None
    actors: list[Label]
    implements: list[Link]
    tags: Tags
    targets: list[Link]
    facts: list[Row]
    graph: Graph


@dataclass
class PassageItem:
    link: Link
    text: Label | None
    wording_of: list[Link]


@dataclass
class DocumentPage(Page):
    template: ClassVar[str] = "document.html"
    facts: list[Row]
    wording_of: list[Link]
    passages: list[PassageItem]
    more_passages: int


# ---------------------------------------------------------------- the data function
def resource_page(
    store: Store,
    iris: Iris,
    iri: str,
    lang: Language,
    release: str,
    formats: list[Format],
    inbound_cap: int = INBOUND_CAP,
) -> Page:
    """The view model of the page of ``iri``, by what the resource is."""
    facts = Facts.read(store, iris, iri, inbound_cap)
    kind = kind_of(facts, iri)[0]
    builder = {
        "instrument": _instrument,
        "provision": _provision,
        "concept": _concept,
        "practice": _practice,
        "document": _document,
    }.get(kind, _generic)
    return builder(_Context(facts, lang, _header(facts, lang, release, formats)))


@dataclass
class _Context:
    facts: Facts
    lang: Language
    header: Header
    used: set[str] = field(default_factory=set)  # predicates a section has shown
    used_inbound: set[str] = field(default_factory=set)

    @property
    def iri(self) -> str:
        return self.facts.iri

    def take(self, *curies: str) -> list:
        """The resource's values of these properties, marked as shown."""
        out = []
        for curie in curies:
            self.used.add(self.facts.expand(curie))
            out += self.facts.objects(self.iri, curie)
        return out

    def take_iris(self, *curies: str) -> list[str]:
        return [o.value for o in self.take(*curies) if isinstance(o, NamedNode)]

    def take_inbound(self, *curies: str) -> list[str]:
        out = []
        for curie in curies:
            self.used_inbound.add(self.facts.expand(curie))
            out += self.facts.subjects(curie)
        return list(dict.fromkeys(out))

    def links(self, iris: list[str]) -> list[Link]:
        return links(self.facts, iris, self.lang)

    def rows(self, *curies: str) -> list[Row]:
        """Property rows for these predicates, in this order, marked as shown."""
        out = []
        for curie in curies:
            values = self.take(curie)
            if values:
                predicate = link(self.facts, self.facts.expand(curie), self.lang)
                out.append(Row(predicate, [value(self.facts, v, self.lang) for v in values]))
        return out

    def tags(self) -> Tags:
        return Tags(
            self.links(self.take_iris("ng:addressesTheme")),
            self.links(self.take_iris("ng:concernsGroup")),
        )

    def base(self) -> dict:
        """The fields of :class:`Page`: whatever no section took."""
        facts, derived = self.facts, {self.facts.expand(c) for c in DERIVED}
        more = [
            Row(link(facts, p, self.lang), [value(facts, v, self.lang) for v in vs])
            for p, vs in sorted(facts.out.get(self.iri, {}).items())
            if p not in self.used and p not in derived
        ]
        inbound = [
            Row(link(facts, p, self.lang), self.links(subjects)[:LIST_CAP])
            for p, subjects in sorted(facts.inbound.items())
            if p not in self.used_inbound and p not in derived
        ]
        return {
            "header": self.header,
            "more": more,
            "inbound": inbound,
            "left_out": facts.left_out,
        }


def _header(facts: Facts, lang: Language, release: str, formats: list[Format]) -> Header:
    iri = facts.iri
    label = facts.name(iri, lang)
    ng, concept = facts.ns["ng"], facts.expand("skos:Concept")
    shown = sorted(t for t in facts.types(iri) if t.startswith(ng) or t == concept)
    return Header(
        iri=iri,
        path=facts.iris.page_path(iri) or "",
        label=label,
        kind=kind_of(facts, iri)[0],
        types=[link(facts, t, lang) for t in shown],
        cite=f"{label.text}. normgraph, release {release}. {iri}",
        formats=formats,
    )


def _capped(kind: str, items: list[Link]) -> Group:
    return Group(kind, items[:LIST_CAP], max(0, len(items) - LIST_CAP))


def _by_kind(ctx: _Context, iris: list[str]) -> list[Group]:
    grouped: dict[str, list[Link]] = {}
    for item in ctx.links(iris):
        grouped.setdefault(item.kind, []).append(item)
    order = ["provision", "instrument", "practice", "commitment", "concept", "passage"]
    return [
        _capped(k, grouped[k])
        for k in sorted(grouped, key=lambda k: (order.index(k) if k in order else 99, k))
    ]


# ---------------------------------------------------------------- page types
def _generic(ctx: _Context) -> GenericPage:
    return GenericPage(**ctx.base())


def _provision_items(ctx: _Context, provisions: list[str]) -> list[ProvisionItem]:
    facts, lang = ctx.facts, ctx.lang

    def chain(iri: str) -> list[str]:
        out, seen = [iri], {iri}
        parent = facts.first(iri, "dcterms:isPartOf")
        while parent and parent != ctx.iri and parent not in seen:
            out.insert(0, parent)
            seen.add(parent)
            parent = facts.first(parent, "dcterms:isPartOf")
        return out

    chains = {p: chain(p) for p in provisions}
    ordered = sorted(provisions, key=lambda p: [(facts.order(x), x) for x in chains[p]])
    return [
        ProvisionItem(
            link=link(facts, p, lang),
            depth=len(chains[p]) - 1,
            heading=facts.pick(p, "dcterms:title", lang),
            summary=facts.pick(p, "dcterms:abstract", lang),
            official=facts.pick(p, "ng:officialText", lang),
        )
        for p in ordered
    ]


def _instrument(ctx: _Context) -> InstrumentPage:
    facts, lang = ctx.facts, ctx.lang
    provisions = ctx.take_inbound("ng:partOfInstrument")
    ctx.take_inbound("dcterms:isPartOf")
    implementers = ctx.take_inbound("ng:implements")
    implementers += [
        s
        for s, props in facts.out.items()
        if any(o.value in provisions for o in props.get(facts.expand("ng:implements"), []))
    ]
    ctx.take("dcterms:hasPart", "rdfs:label", "skos:prefLabel")
    related = ctx.rows("ng:recalls", "ng:buildsOn")
    for curie in ("ng:recalls", "ng:buildsOn", "ng:commemorates"):
        subjects = ctx.take_inbound(curie)
        if subjects:
            predicate = link(facts, facts.expand(curie), lang)
            predicate.label = Label(f"{predicate.label.text} (by)", predicate.label.lang)
            related.append(Row(predicate, ctx.links(subjects)))
    return InstrumentPage(
        titles=[Label(o.value, o.language) for o in ctx.take("dcterms:title")],
        facts=ctx.rows(
            "ng:shortTitle",
            "ng:abbreviation",
            "ng:symbol",
            "eli:date_document",
            # how it was adopted and the treaty life cycle, in the order they happen (issue 12)
            "ng:adoptionMethod",
            "ng:votesInFavour",
            "ng:votesAgainst",
            "ng:abstentions",
            "ng:voteRecord",
            "ng:openedForSignature",
            "ng:signaturePlace",
            "eli:first_date_entry_in_force",
            "ng:entryIntoForceRule",
            "ng:ratificationsForEntryIntoForce",
            "ng:untsVolume",
            "ng:untsRegistrationNumber",
            "ng:reportingRule",
            "ng:legallyBinding",
            "dcat:landingPage",
            "dcterms:source",
        ),
        provisions=_provision_items(ctx, provisions),
        bodies=ctx.rows("ng:adoptedBy", "ng:monitoredBy", "ng:establishes"),
        tags=ctx.tags(),
        related=related,
        implemented_by=_by_kind(ctx, list(dict.fromkeys(implementers))),
        graph=neighbourhood(facts, lang),
        **ctx.base(),
    )


def _provision(ctx: _Context) -> ProvisionPage:
    facts, lang, iri = ctx.facts, ctx.lang, ctx.iri
    instrument = next(iter(ctx.take_iris("ng:partOfInstrument")), None)
    parent = next(iter(ctx.take_iris("dcterms:isPartOf")), None)
    trail, seen = [], set()
    step = parent
    while step and step not in seen:
        seen.add(step)
        trail.insert(0, link(facts, step, lang))
        step = facts.first(step, "dcterms:isPartOf")
    siblings = sorted(
        (s for s, props in facts.out.items() if parent and _part_of(facts, s, parent)),
        key=lambda s: (facts.order(s), s),
    )
    at = siblings.index(iri) if iri in siblings else -1
    ctx.take("dcterms:hasPart", "rdfs:label", "eli:number", "ng:order")
    ctx.take_inbound("dcterms:hasPart")
    parts = ctx.take_inbound("dcterms:isPartOf")
    cited_by = []
    for curie in ("ng:implements", "ng:wordingOf", "ng:mentions"):
        subjects = ctx.take_inbound(curie)
        if subjects:
            predicate = link(facts, facts.expand(curie), lang)
            cited_by.append(Row(predicate, ctx.links(subjects)[:LIST_CAP]))
    return ProvisionPage(
        instrument=link(facts, instrument, lang) if instrument else None,
        trail=trail,
        heading=facts.pick(iri, "dcterms:title", lang),
        summaries=facts.texts(iri, "dcterms:abstract", lang),
        official=facts.texts(iri, "ng:officialText", lang),
        parts=ctx.links(parts),
        previous=link(facts, siblings[at - 1], lang) if at > 0 else None,
        next=link(facts, siblings[at + 1], lang) if 0 <= at < len(siblings) - 1 else None,
        tags=ctx.tags(),
        cited_by=cited_by,
        **_without(ctx, "dcterms:title", "dcterms:abstract", "ng:officialText"),
    )


def _part_of(facts: Facts, subject: str, parent: str) -> bool:
    return any(
        isinstance(o, NamedNode) and o.value == parent
        for o in facts.objects(subject, "dcterms:isPartOf")
    )


def _without(ctx: _Context, *curies: str) -> dict:
    ctx.take(*curies)
    return ctx.base()


def _concept(ctx: _Context) -> ConceptPage:
    facts, lang, iri = ctx.facts, ctx.lang, ctx.iri
    narrower = ctx.take_iris("skos:narrower") + ctx.take_inbound("skos:broader")
    related = ctx.take_iris("skos:related") + ctx.take_inbound("skos:related")
    tagged = ctx.take_inbound(*TAGGING, "dcterms:subject")
    ctx.take_inbound(
        "skos:broaderTransitive", "skos:inScheme", "skos:topConceptOf", "skos:narrower"
    )
    ctx.take("rdfs:label", "skos:topConceptOf")
    return ConceptPage(
        labels=facts.texts(iri, "skos:prefLabel", lang),
        alt_labels=[Label(o.value, o.language) for o in ctx.take("skos:altLabel")],
        definition=facts.pick(iri, "skos:definition", lang),
        definitions=facts.texts(iri, "skos:definition", lang),
        schemes=ctx.links(ctx.take_iris("skos:inScheme")),
        broader=ctx.links(ctx.take_iris("skos:broader")),
        narrower=ctx.links(narrower),
        related=ctx.links(related),
        exact_matches=ctx.take_iris("skos:exactMatch"),
        close_matches=ctx.take_iris("skos:closeMatch"),
        tagged=_by_kind(ctx, tagged),
        search=_within(facts, iri, ctx.header.label.text),
        graph=neighbourhood(facts, lang),
        **_without(ctx, "skos:prefLabel", "skos:definition"),
    )


def _within(facts: Facts, iri: str, label: str) -> list[tuple[str, str]]:
    """A search for the concept's name, narrowed to it where the search has a filter
    for its kind (themes and groups, by their id)."""
    for curie, param in (("ng:Theme", "theme"), ("ng:RightsHolderGroup", "group")):
        if facts.is_a(iri, curie):
            return [("q", label), (param, iri.rsplit("/", 1)[-1])]
    return [("q", label)]


def _practice(ctx: _Context) -> PracticePage:
    facts, lang, iri = ctx.facts, ctx.lang, ctx.iri

    def literals(*curies: str) -> list[str]:
        return [o.value for o in ctx.take(*curies) if isinstance(o, Literal)]

    description = facts.pick(iri, "dcterms:description", lang) or facts.pick(
        iri, "dcterms:abstract", lang
    )
    return PracticePage(
        description=description,
        countries=ctx.links(ctx.take_iris("ng:inCountry")),
        regions=sorted(literals("ng:region")),
        start_year=next(iter(literals("ng:startYear")), None),
        end_year=next(iter(literals("ng:endYear")), None),
        actors=[Label(o.value, o.language) for o in ctx.take("ng:implementingActor")],
        implements=ctx.links(ctx.take_iris("ng:implements")),
        tags=ctx.tags(),
        targets=ctx.links(ctx.take_iris("ng:contributesToTarget")),
        facts=ctx.rows(
            "prov:wasAttributedTo",
            "dcterms:bibliographicCitation",
            "dcterms:source",
            "dcat:landingPage",
        ),
        graph=neighbourhood(facts, lang),
        **_without(ctx, "dcterms:description", "dcterms:abstract", "rdfs:label", "dcterms:title"),
    )


def _document(ctx: _Context) -> DocumentPage:
    facts, lang = ctx.facts, ctx.lang
    parts = [p for p in ctx.take_inbound("dcterms:isPartOf") if kind_of(facts, p)[0] == "passage"]
    ordered = sorted(parts, key=lambda p: (facts.order(p), p))
    passages = [
        PassageItem(
            link=link(facts, p, lang),
            text=facts.pick(p, "ng:text", lang),
            wording_of=[link(facts, w, lang) for w in facts.iris_of(p, "ng:wordingOf")],
        )
        for p in ordered[:LIST_CAP]
    ]
    return DocumentPage(
        facts=ctx.rows(
            "dcterms:title",
            "dcterms:identifier",
            "dcterms:language",
            "dcterms:source",
            "prov:generatedAtTime",
        ),
        wording_of=ctx.links(ctx.take_iris("ng:wordingOf")),
        passages=passages,
        more_passages=max(0, len(ordered) - LIST_CAP),
        **ctx.base(),
    )
