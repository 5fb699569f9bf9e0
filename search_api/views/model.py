"""Small values that every page's view model is made of: labels with their
language, links to resources (with the local page path when the resource is
ours), rows of a property table, and the header every resource page has."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from search_api.views.facts import Facts, Label
from search_api.views.language import Language

# class (local name under ng:, or skos:Concept) -> the page kind used for badges and icons,
# most specific first
KINDS: tuple[tuple[str, str], ...] = (
    ("Provision", "provision"),
    ("Instrument", "instrument"),
    ("Practice", "practice"),
    ("Passage", "passage"),
    ("Document", "document"),
    ("WorkPlanCommitment", "commitment"),
    ("Theme", "concept"),
    ("RightsHolderGroup", "concept"),
    ("SDGTarget", "concept"),
    ("SDGGoal", "concept"),
    ("Concept", "concept"),
    ("Body", "body"),
    ("UNEntity", "body"),
    ("InterAgencyNetwork", "body"),
)


@dataclass
class Link:
    """A resource as a link: ``path`` is its page under /doc/ when it is ours."""

    iri: str
    label: Label
    path: str | None = None
    kind: str = "other"  # provision | instrument | practice | concept | body | document | ...
    type_label: str | None = None  # the most specific class, for a badge
    number: str | None = None
    order: int = 0


@dataclass
class Row:
    """One property and its values (links or texts), for property tables."""

    predicate: Link
    values: list[Link | Label]


@dataclass
class Group:
    """Resources of one kind in a list (``more``: how many were left out)."""

    kind: str
    items: list[Link]
    more: int = 0


@dataclass
class Format:
    name: str
    extension: str
    media_type: str


@dataclass
class Header:
    """What every resource page shows at the top: the label, the types, the stable
    IRI (with a copy button), a citation and the RDF documents."""

    iri: str
    path: str
    label: Label
    kind: str
    types: list[Link]
    cite: str
    formats: list[Format] = field(default_factory=list)


def humanise(local: str) -> str:
    """'GeneralRecommendation' -> 'General recommendation'."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", local) or [local]
    return " ".join([words[0], *(w if w.isupper() else w.lower() for w in words[1:])])


def kind_of(facts: Facts, iri: str) -> tuple[str, str | None]:
    """(page kind, label of the most specific class) from the resource's types."""
    ng = facts.ns["ng"]
    types = facts.types(iri)
    local = [t[len(ng) :] for t in types if t.startswith(ng)]
    if facts.expand("skos:Concept") in types:
        local.append("Concept")
    kind = next((k for name, k in KINDS if name in local), "other")
    # the most specific class is the one no other type of the resource is a subclass of;
    # lacking the hierarchy here, prefer classes that are not the generic kind names
    generic = {name for name, _ in KINDS}
    specific = sorted(n for n in local if n not in generic) or sorted(
        (n for n in local), key=lambda n: [name for name, _ in KINDS].index(n)
    )
    return kind, humanise(specific[0]) if specific else None


def link(facts: Facts, iri: str, lang: Language) -> Link:
    kind, type_label = kind_of(facts, iri)
    return Link(
        iri=iri,
        label=facts.name(iri, lang),
        path=facts.iris.page_path(iri),
        kind=kind,
        type_label=type_label,
        number=facts.number(iri),
        order=facts.order(iri),
    )


def value(facts: Facts, term: object, lang: Language) -> Link | Label:
    if isinstance(term, NamedNode):
        return link(facts, term.value, lang)
    if isinstance(term, Literal):
        return Label(term.value, term.language)
    return Label(str(term))


def links(facts: Facts, iris: list[str], lang: Language) -> list[Link]:
    found = [link(facts, i, lang) for i in dict.fromkeys(iris)]
    return sorted(found, key=lambda x: (x.order, x.label.text.casefold()))
