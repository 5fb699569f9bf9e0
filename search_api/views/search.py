"""The search page: the engine's answer to the request in the URL, turned into
what the page shows — hits with badges, safe highlighted snippets, tags and the
account of their scores; facets as checkbox lists whose every option carries the
query string it toggles; pagination. Without a query: the concept schemes to browse."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from kg.iris import Iris
from search_api.search.engine import SearchResults
from search_api.search.filters import UNIT_KINDS
from search_api.search.thesaurus import Scheme
from search_api.views.facts import Label

Query = list[tuple[str, str]]  # a URL's query, in order

# facet (engine name) -> (URL parameter, title), in the order the page shows them
FACETS: tuple[tuple[str, str, str], ...] = (
    ("type", "type", "Type"),
    ("instrument", "instrument", "Instrument"),
    ("theme", "theme", "Theme"),
    ("group", "group", "Group"),
    ("country", "country", "Country"),
    ("year", "year", "Year"),
    ("body", "body", "Body"),
)
KIND_LABELS = {kind: kind.capitalize() for kind in UNIT_KINDS}  # "body" -> "Body"
TAG_KINDS = {"themes": "theme", "groups": "group", "countries": "country", "bodies": "body"}
BY_REFERENCE = {"instrument", "theme", "group", "country", "body"}  # IRIs; URLs use their ids
SCORE_PARTS = (
    ("lexical", "Words (BM25)"),
    ("dense", "Meaning (cosine)"),
    ("fused", "Fused rank score"),
    ("concept", "Concept boost"),
    ("pinned", "Named in the query"),
)


@dataclass
class Option:
    value: str  # as it goes in the URL
    label: str
    count: int
    selected: bool
    toggle: Query  # the query string with this option switched


@dataclass
class Facet:
    param: str
    title: str
    options: list[Option]


@dataclass
class Tag:
    label: str
    kind: str  # theme | group | country | body
    path: str  # page path of the concept, country or body


@dataclass
class Part:
    name: str
    label: str
    value: float


@dataclass
class Hit:
    iri: str
    path: str | None
    kind: str
    kind_label: str
    label: str
    instrument: Label | None
    instrument_path: str | None
    snippet: Markup
    score: float
    parts: list[Part]
    matched: list[Tag]
    tags: list[Tag]
    year: int | None


@dataclass
class EntityCard:
    """A theme, group, body or country in the panel above the results."""

    label: str
    kind: str  # theme | group | body | country
    kind_label: str
    path: str | None  # its page
    named: bool  # the question names it (else it is evoked)
    within: Query  # this search narrowed to it


ENTITY_KINDS = {"theme": "Theme", "group": "Group", "body": "Body", "country": "Country"}


@dataclass
class Browse:
    """A concept scheme and its top concepts, to start from without a query."""

    label: str
    concepts: list[Tag]


@dataclass
class PageLink:
    number: int
    query: Query
    current: bool


@dataclass
class SearchPage:
    """The search page (template ``search.html``; ``?format=json`` gives this as JSON)."""

    q: str
    query: Query  # the request's own query string
    total: int = 0
    first: int = 0  # position of the first hit shown, from 1
    last: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    matched: list[Tag] = field(default_factory=list)
    entities: list[EntityCard] = field(default_factory=list)
    pages: list[PageLink] = field(default_factory=list)
    previous: Query | None = None
    next: Query | None = None
    took_ms: float = 0.0
    release: str = ""
    browse: list[Browse] = field(default_factory=list)  # shown without a query


_MARK = re.compile(r"&lt;(/?)b&gt;")


def safe_snippet(snippet: str) -> Markup:
    """The engine's snippet (HTML with <b> around matches) re-escaped from scratch:
    only the highlighting survives, as <mark>."""
    escaped = html.escape(html.unescape(snippet), quote=True)
    return Markup(_MARK.sub(lambda m: f"<{m.group(1)}mark>", escaped))


def _slug(value: str, param: str) -> str:
    return value.rsplit("/", 1)[-1] if param in BY_REFERENCE else value


def _toggle(query: Query, param: str, value: str) -> Query:
    """``query`` with ``param=value`` added or removed, back on page 1."""
    pair = (param, value)
    kept = [p for p in query if p != pair and p[0] != "page"]
    return kept if pair in query else [*kept, pair]


def _tag(kind: str, ref: dict[str, str], iris: Iris) -> Tag:
    return Tag(ref["label"], kind, iris.page_path(ref["iri"]))


def _hit(hit, iris: Iris) -> Hit:
    tags = [
        _tag(kind, ref, iris)
        for field_name, kind in TAG_KINDS.items()
        for ref in hit.tags.get(field_name, [])
    ]
    return Hit(
        iri=hit.iri,
        path=iris.page_path(hit.iri),
        kind=hit.kind,
        kind_label=KIND_LABELS[hit.kind],
        label=hit.label,
        instrument=Label(hit.instrument["label"]) if hit.instrument else None,
        instrument_path=iris.page_path(hit.instrument["iri"]) if hit.instrument else None,
        snippet=safe_snippet(hit.snippet),
        score=hit.score,
        parts=[Part(name, label, hit.parts.get(name, 0.0)) for name, label in SCORE_PARTS],
        matched=[
            Tag(m["label"], "concept", iris.page_path(m["iri"])) for m in hit.matched_concepts
        ],
        tags=tags,
        year=hit.year,
    )


def _facets(results: SearchResults, query: Query) -> list[Facet]:
    out = []
    for name, param, title in FACETS:
        chosen = [v for k, v in query if k == param]
        options = []
        for entry in results.facets.get(name, []):
            value = _slug(entry["value"], param)
            label = (
                KIND_LABELS.get(entry["label"], entry["label"])
                if name == "type"
                else entry["label"]
            )
            options.append(
                Option(value, label, entry["count"], value in chosen, _toggle(query, param, value))
            )
        shown = {o.value for o in options}
        for value in chosen:  # a chosen value stays on the list, even when nothing is left
            if value not in shown:
                options.append(Option(value, value, 0, True, _toggle(query, param, value)))
        if name == "year":
            options.sort(key=lambda o: o.value, reverse=True)
        if options:
            out.append(Facet(param, title, options))
    return out


def _entities(results: SearchResults, query: Query, iris: Iris) -> list[EntityCard]:
    out = []
    for e in results.entities:
        param, value = e.filter, e.value
        within = [(k, v) for k, v in query if k != "page" and (k, v) != (param, value)]
        out.append(
            EntityCard(
                e.label,
                e.kind,
                ENTITY_KINDS.get(e.kind, e.kind),
                iris.page_path(e.iri),
                e.named,
                [*within, (param, value)],
            )
        )
    return out


def _pages(
    results: SearchResults, query: Query
) -> tuple[list[PageLink], Query | None, Query | None]:
    count = max(1, math.ceil(results.total / results.size))
    here = results.page
    base = [p for p in query if p[0] != "page"]
    at = lambda n: base + ([("page", str(n))] if n > 1 else [])  # noqa: E731
    numbers = sorted({1, count, *range(max(1, here - 2), min(count, here + 2) + 1)})
    links = [PageLink(n, at(n), n == here) for n in numbers] if count > 1 else []
    previous = at(here - 1) if here > 1 else None
    following = at(here + 1) if here < count else None
    return links, previous, following


def search_page(
    results: SearchResults | None, query: Query, iris: Iris, browse: list[Scheme]
) -> SearchPage:
    """The view model of ``/`` for the engine's ``results`` (None: no query yet)."""
    q = next((v for k, v in query if k == "q"), "")
    if results is None:
        start = [
            Browse(
                s.label, [Tag(c.label, "concept", iris.page_path(c.iri)) for c in s.top_concepts]
            )
            for s in browse
        ]
        return SearchPage(q=q, query=query, browse=start)
    pages, previous, following = _pages(results, query)
    first = (results.page - 1) * results.size + 1 if results.hits else 0
    return SearchPage(
        q=q,
        query=query,
        total=results.total,
        first=first,
        last=first + len(results.hits) - 1 if results.hits else 0,
        hits=[_hit(h, iris) for h in results.hits],
        facets=_facets(results, query),
        matched=[
            Tag(m["label"], "concept", iris.page_path(m["iri"])) for m in results.matched_concepts
        ],
        entities=_entities(results, query, iris),
        pages=pages,
        previous=previous,
        next=following,
        took_ms=results.took_ms,
        release=results.release,
    )
