"""Resource pages (the HTML side of /doc/...): one view model per kind of
resource — instrument, provision, concept, practice, document — and a generic
page for everything else. Every page is drawn from the graph (types, labels,
properties), so records that other parts of the project add show up on it. Each
page type declares what its sections show (``shows``) and what it leaves out on
purpose (``hidden``); what is left over is computed from the finished sections
(search_api.views.sections) and listed under "More about" and "Referred to by"."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import ClassVar

from pyoxigraph import Literal, NamedNode, Store

from kg.iris import Iris
from search_api.views.facts import INBOUND_CAP, Facts, Label
from search_api.views.graph import Graph, neighbourhood
from search_api.views.language import Language
from search_api.views.model import Format, Group, Header, Link, Row, kind_of, link, links, value
from search_api.views.sections import Hidden, Shows, leftovers, shown

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
# what a page leaves out on purpose, by rule; every page leaves out the derived statements
DERIVED_STATEMENTS = Hidden(
    "entailed super-properties and closures restate others", DERIVED, DERIVED
)
OTHER_NAMES = "the header shows the name in the reader's language; the data documents have all"
NUMBERING = Hidden(
    "a provision's number and order place it in the text", ("eli:number", "ng:order")
)


@dataclass
class Tags:
    themes: list[Link] = field(default_factory=list)
    groups: list[Link] = field(default_factory=list)


@dataclass
class Page:
    """Shared by every resource page: the header, and what no section shows (filled in
    after the sections are built: :func:`with_leftovers`)."""

    template: ClassVar[str] = "resource.html"
    shows: ClassVar[dict[str, Shows]] = {}  # section (field) -> the statements it displays
    hidden: ClassVar[tuple[Hidden, ...]] = ()  # left out on purpose, beyond DERIVED_STATEMENTS
    header: Header
    # the resource's statements that no section shows and no rule hides
    more: list[Row] = field(default_factory=list, kw_only=True)
    inbound: list[Row] = field(default_factory=list, kw_only=True)  # about it, likewise
    # resources that refer to this one beyond what a page reads (0: none)
    left_out: int = field(default=0, kw_only=True)


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
    shows: ClassVar[dict[str, Shows]] = {
        "titles": Shows(("dcterms:title",)),
        "provisions": Shows(("dcterms:hasPart",), ("ng:partOfInstrument", "dcterms:isPartOf")),
        "tags": Shows(TAGS),
        "implemented_by": Shows(inbound=("ng:implements",)),
    }
    hidden: ClassVar[tuple[Hidden, ...]] = (Hidden(OTHER_NAMES, ("rdfs:label", "skos:prefLabel")),)
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
    shows: ClassVar[dict[str, Shows]] = {
        "instrument": Shows(("ng:partOfInstrument",)),
        "trail": Shows(("dcterms:isPartOf",), ("dcterms:hasPart",)),
        "heading": Shows(("dcterms:title",)),
        "summaries": Shows(("dcterms:abstract",)),
        "official": Shows(("ng:officialText",)),
        "parts": Shows(("dcterms:hasPart",), ("dcterms:isPartOf",)),
        "tags": Shows(TAGS),
    }
    hidden: ClassVar[tuple[Hidden, ...]] = (Hidden(OTHER_NAMES, ("rdfs:label",)), NUMBERING)
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
    shows: ClassVar[dict[str, Shows]] = {
        "labels": Shows(("skos:prefLabel", "rdfs:label")),
        "alt_labels": Shows(("skos:altLabel", "rdfs:label")),
        "definitions": Shows(("skos:definition",)),
        "schemes": Shows(("skos:inScheme", "skos:topConceptOf")),
        "broader": Shows(("skos:broader",), ("skos:narrower",)),
        "narrower": Shows(("skos:narrower",), ("skos:broader",)),
        "related": Shows(("skos:related",), ("skos:related",)),
        "exact_matches": Shows(("skos:exactMatch",)),
        "close_matches": Shows(("skos:closeMatch",)),
        "tagged": Shows(inbound=(*TAGGING, "dcterms:subject")),
    }
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
    shows: ClassVar[dict[str, Shows]] = {
        "description": Shows(("dcterms:description", "dcterms:abstract")),
        "countries": Shows(("ng:inCountry",)),
        "regions": Shows(("ng:region",)),
        "start_year": Shows(("ng:startYear",)),
        "end_year": Shows(("ng:endYear",)),
        "actors": Shows(("ng:implementingActor",)),
        "implements": Shows(("ng:implements",)),
        "tags": Shows(TAGS),
        "targets": Shows(("ng:contributesToTarget",)),
    }
    hidden: ClassVar[tuple[Hidden, ...]] = (Hidden(OTHER_NAMES, ("rdfs:label", "dcterms:title")),)
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
    shows: ClassVar[dict[str, Shows]] = {
        "wording_of": Shows(("ng:wordingOf",)),
        "passages": Shows(inbound=("dcterms:isPartOf",)),
        "more_passages": Shows(inbound=("dcterms:isPartOf",)),  # counts the passages left out
    }
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
    page = builder(_Context(facts, lang, _header(facts, lang, release, formats)))
    return with_leftovers(page, facts, lang)


def with_leftovers(page: Page, facts: Facts, lang: Language) -> Page:
    """``page`` with what none of its finished sections shows filled in."""
    frame = {f.name for f in fields(Page)}
    sections = {f.name: getattr(page, f.name) for f in fields(page) if f.name not in frame}
    hidden = (DERIVED_STATEMENTS, *page.hidden)
    page.more, page.inbound = leftovers(
        facts, shown(sections, page.shows, facts), hidden, lang, LIST_CAP
    )
    page.left_out = facts.left_out
    return page


@dataclass
class _Context:
    facts: Facts
    lang: Language
    header: Header

    @property
    def iri(self) -> str:
        return self.facts.iri

    def objects(self, *curies: str) -> list:
        """The resource's values of these properties, in this order."""
        return [o for curie in curies for o in self.facts.objects(self.iri, curie)]

    def iris(self, *curies: str) -> list[str]:
        return [o.value for o in self.objects(*curies) if isinstance(o, NamedNode)]

    def referrers(self, *curies: str) -> list[str]:
        """Resources that point at this one with these properties."""
        return list(dict.fromkeys(s for curie in curies for s in self.facts.subjects(curie)))

    def links(self, iris: list[str]) -> list[Link]:
        return links(self.facts, iris, self.lang)

    def rows(self, *curies: str) -> list[Row]:
        """Property rows for these predicates, in this order."""
        out = []
        for curie in curies:
            values = self.objects(curie)
            if values:
                predicate = link(self.facts, self.facts.expand(curie), self.lang)
                out.append(Row(predicate, [value(self.facts, v, self.lang) for v in values]))
        return out

    def tags(self) -> Tags:
        return Tags(
            self.links(self.iris("ng:addressesTheme")),
            self.links(self.iris("ng:concernsGroup")),
        )


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
    return GenericPage(header=ctx.header)


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
    provisions = ctx.referrers("ng:partOfInstrument")
    implementers = ctx.referrers("ng:implements")
    implementers += [
        s
        for s, props in facts.out.items()
        if any(o.value in provisions for o in props.get(facts.expand("ng:implements"), []))
    ]
    related = ctx.rows("ng:recalls", "ng:buildsOn")
    for curie in ("ng:recalls", "ng:buildsOn", "ng:commemorates"):
        subjects = ctx.referrers(curie)
        if subjects:
            predicate = link(facts, facts.expand(curie), lang)
            predicate.label = Label(f"{predicate.label.text} (by)", predicate.label.lang)
            related.append(Row(predicate, ctx.links(subjects)))
    return InstrumentPage(
        header=ctx.header,
        titles=[Label(o.value, o.language) for o in ctx.objects("dcterms:title")],
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
    )


def _provision(ctx: _Context) -> ProvisionPage:
    facts, lang, iri = ctx.facts, ctx.lang, ctx.iri
    instrument = next(iter(ctx.iris("ng:partOfInstrument")), None)
    parent = next(iter(ctx.iris("dcterms:isPartOf")), None)
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
    parts = ctx.referrers("dcterms:isPartOf")
    cited_by = []
    for curie in ("ng:implements", "ng:wordingOf", "ng:mentions"):
        subjects = ctx.referrers(curie)
        if subjects:
            predicate = link(facts, facts.expand(curie), lang)
            cited_by.append(Row(predicate, ctx.links(subjects)[:LIST_CAP]))
    return ProvisionPage(
        header=ctx.header,
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
    )


def _part_of(facts: Facts, subject: str, parent: str) -> bool:
    return any(
        isinstance(o, NamedNode) and o.value == parent
        for o in facts.objects(subject, "dcterms:isPartOf")
    )


def _concept(ctx: _Context) -> ConceptPage:
    facts, lang, iri = ctx.facts, ctx.lang, ctx.iri
    narrower = ctx.iris("skos:narrower") + ctx.referrers("skos:broader")
    related = ctx.iris("skos:related") + ctx.referrers("skos:related")
    tagged = ctx.referrers(*TAGGING, "dcterms:subject")
    return ConceptPage(
        header=ctx.header,
        labels=facts.texts(iri, "skos:prefLabel", lang),
        alt_labels=[Label(o.value, o.language) for o in ctx.objects("skos:altLabel")],
        definition=facts.pick(iri, "skos:definition", lang),
        definitions=facts.texts(iri, "skos:definition", lang),
        schemes=ctx.links(ctx.iris("skos:inScheme")),
        broader=ctx.links(ctx.iris("skos:broader")),
        narrower=ctx.links(narrower),
        related=ctx.links(related),
        exact_matches=ctx.iris("skos:exactMatch"),
        close_matches=ctx.iris("skos:closeMatch"),
        tagged=_by_kind(ctx, tagged),
        search=_within(facts, iri, ctx.header.label.text),
        graph=neighbourhood(facts, lang),
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
        return [o.value for o in ctx.objects(*curies) if isinstance(o, Literal)]

    description = facts.pick(iri, "dcterms:description", lang) or facts.pick(
        iri, "dcterms:abstract", lang
    )
    return PracticePage(
        header=ctx.header,
        description=description,
        countries=ctx.links(ctx.iris("ng:inCountry")),
        regions=sorted(literals("ng:region")),
        start_year=next(iter(literals("ng:startYear")), None),
        end_year=next(iter(literals("ng:endYear")), None),
        actors=[Label(o.value, o.language) for o in ctx.objects("ng:implementingActor")],
        implements=ctx.links(ctx.iris("ng:implements")),
        tags=ctx.tags(),
        targets=ctx.links(ctx.iris("ng:contributesToTarget")),
        facts=ctx.rows(
            "prov:wasAttributedTo",
            "dcterms:bibliographicCitation",
            "dcterms:source",
            "dcat:landingPage",
        ),
        graph=neighbourhood(facts, lang),
    )


def _document(ctx: _Context) -> DocumentPage:
    facts, lang = ctx.facts, ctx.lang
    parts = [p for p in ctx.referrers("dcterms:isPartOf") if kind_of(facts, p)[0] == "passage"]
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
        header=ctx.header,
        facts=ctx.rows(
            "dcterms:title",
            "dcterms:identifier",
            "dcterms:language",
            "dcterms:source",
            "prov:generatedAtTime",
        ),
        wording_of=ctx.links(ctx.iris("ng:wordingOf")),
        passages=passages,
        more_passages=max(0, len(ordered) - LIST_CAP),
    )
