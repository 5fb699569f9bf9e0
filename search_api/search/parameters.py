"""What a search accepts, in one place: the names, allowed values and bounds of its
parameters, and the one reading of them into a SearchRequest. `/api/search`, the
search page, `/openapi.json` and `normgraph search` all read this module, so a
parameter added here appears on every surface."""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import NamedNode

from kg.errors import InvalidRequest
from kg.iris import Iris
from search_api.params import Values, bounded_int, single
from search_api.search.engine import DEFAULT_FUSION, Searcher, SearchRequest
from search_api.search.filters import UNIT_KINDS, Filters
from search_api.search.fuse import METHODS

LANGS = ("en", "fr", "es", "ar", "ru", "zh")
MODES = ("hybrid", "lexical", "dense")
FUSIONS = tuple(METHODS)
BINDING = ("any", "true", "false")
YEARS = (1000, 2999)
PAGES = (1, 1000)
SIZES = (1, 50)
MAX_QUERY = 1000  # characters of a question
MAX_TYPED = 200  # characters typed into the suggest box

# filter parameter -> (the Filters field it fills, how an id of that kind becomes an IRI)
REFERENCES: dict[str, tuple[str, Callable[[Iris, str], NamedNode]]] = {
    "instrument": ("instruments", Iris.instrument),
    "theme": ("themes", Iris.theme),
    "group": ("groups", Iris.group),
    "country": ("countries", Iris.country),
    "body": ("bodies", Iris.body),
}
# what each parameter means: /openapi.json and `normgraph search --help` say it in these words
DESCRIPTIONS = {
    "q": 'the question or words; "quotes" match a phrase',
    "type": "unit types",
    "instrument": "instrument ids or IRIs",
    "theme": "theme ids or IRIs (narrower themes included)",
    "group": "group ids or IRIs (narrower groups included)",
    "country": "country codes (ISO 3166-1 alpha-3) or IRIs",
    "body": "body ids or IRIs",
    "year": "years (any of them)",
    "year_from": "earliest year",
    "year_to": "latest year",
    "binding": "legally binding instruments only, or not",
    "page": "page number",
    "size": "hits per page",
    "lang": "the question's language, also that of labels (default: detected)",
    "mode": "retrieval",
    "fusion": "fusion of the two rankings",
}
SEARCH_PARAMS = frozenset(
    {"q", "type", *REFERENCES, "year", "year_from", "year_to", "binding"}
    | {"page", "size", "lang", "mode", "fusion"}
)


def choice(values: Values, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = single(values, name) or default
    if value not in allowed:
        raise InvalidRequest(
            f"parameter {name!r} must be one of {', '.join(allowed)}, got {value!r}"
        )
    return value


def lang(values: Values, default: str | None = "en") -> str | None:
    """The ``lang`` parameter: one of the six UN languages, or ``default``."""
    value = single(values, "lang") or default
    if value is not None and value not in LANGS:
        raise InvalidRequest(f"parameter 'lang' must be one of {', '.join(LANGS)}, got {value!r}")
    return value


def search_request(
    values: Values, searcher: Searcher, iris: Iris, language: str | None = None
) -> SearchRequest:
    """The search ``values`` ask for; InvalidRequest (a 400, or one line from the
    command) naming the first parameter out of place."""
    q = single(values, "q")
    if not q or not q.strip():
        raise InvalidRequest("parameter 'q' is required (the question or words to search for)")
    if len(q) > MAX_QUERY:
        raise InvalidRequest(f"parameter 'q' is longer than {MAX_QUERY} characters")
    return SearchRequest(
        q=q,
        filters=filters(values, searcher, iris),
        page=bounded_int(values, "page", 1, *PAGES),
        size=bounded_int(values, "size", 10, *SIZES),
        lang=language or lang(values, default=None),  # None: the engine detects it
        mode=choice(values, "mode", MODES, "hybrid"),
        fusion=choice(values, "fusion", FUSIONS, DEFAULT_FUSION),
    )


def filters(values: Values, searcher: Searcher, iris: Iris) -> Filters:
    kinds = tuple(values.getlist("type"))
    for kind in kinds:
        if kind not in UNIT_KINDS:
            raise InvalidRequest(
                f"parameter 'type' must be among {', '.join(UNIT_KINDS)}, got {kind!r}"
            )
    binding = choice(values, "binding", BINDING, "any")
    refs = {
        field: _references(values, name, mint, searcher, iris)
        for name, (field, mint) in REFERENCES.items()
    }
    return Filters(
        kinds=kinds,
        **refs,
        years=_years(values),
        year_from=bounded_int(values, "year_from", None, *YEARS),
        year_to=bounded_int(values, "year_to", None, *YEARS),
        binding=None if binding == "any" else binding == "true",
    )


def _references(
    values: Values,
    name: str,
    mint: Callable[[Iris, str], NamedNode],
    searcher: Searcher,
    iris: Iris,
) -> tuple[str, ...]:
    """IRIs or ids (slugs) of things of one kind, each checked to be in the release."""
    out = []
    for value in values.getlist(name):
        iri = value if value.startswith(("http://", "https://")) else None
        if iri is None:
            try:
                iri = mint(iris, value).value
            except ValueError:
                raise InvalidRequest(f"parameter {name!r}: {value!r} is not an id or IRI") from None
        if not searcher.labels.languages(iri):
            valid = ", ".join(searcher.known(name)) or "none"
            raise InvalidRequest(f"parameter {name!r}: no {name} {value!r} here; valid: {valid}")
        out.append(iri)
    return tuple(out)


def _years(values: Values) -> tuple[int, ...]:
    out = []
    for raw in values.getlist("year"):
        if not raw.isdigit() or not YEARS[0] <= int(raw) <= YEARS[1]:
            raise InvalidRequest(
                f"parameter 'year' must be a year between {YEARS[0]} and {YEARS[1]}, got {raw!r}"
            )
        out.append(int(raw))
    return tuple(out)
