"""The JSON API: /api/search (hybrid search with filters and facets),
/api/suggest (autocomplete) and /api/concepts (schemes and top concepts)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from search_api.cache import release_answer
from search_api.errors import ApiError
from search_api.params import bounded_int, check_known, single
from search_api.runtime import runtime
from search_api.search.engine import DEFAULT_FUSION, SearchRequest
from search_api.search.filters import UNIT_KINDS, Filters
from search_api.search.fuse import METHODS
from search_api.search.thesaurus import schemes

bp = Blueprint("api", __name__, url_prefix="/api")
# The parameters' allowed values, in one place: the checks below and /openapi.json read them.
LANGS = ("en", "fr", "es", "ar", "ru", "zh")
MODES = ("hybrid", "lexical", "dense")
BINDING = ("any", "true", "false")
YEARS = (1000, 2999)
PAGES = (1, 1000)
SIZES = (1, 50)
MAX_QUERY = 1000
MAX_TYPED = 200


def _lang(default: str | None = "en") -> str | None:
    lang = single(request.args, "lang") or default
    if lang is not None and lang not in LANGS:
        raise ApiError(400, f"parameter 'lang' must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


SEARCH_PARAMS = {
    "q",
    "type",
    "instrument",
    "theme",
    "group",
    "country",
    "body",
    "year",
    "year_from",
    "year_to",
    "binding",
    "page",
    "size",
    "lang",
    "mode",
    "fusion",
}


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = single(request.args, name) or default
    if value not in allowed:
        raise ApiError(
            400, f"parameter {name!r} must be one of {', '.join(allowed)}, got {value!r}"
        )
    return value


def _refs(name: str, mint) -> tuple[str, ...]:
    """IRIs or ids (slugs) of things of one kind, each checked to exist."""
    live = runtime().live()
    out = []
    for value in request.args.getlist(name):
        iri = value if value.startswith(("http://", "https://")) else None
        if iri is None:
            try:
                iri = mint(value).value
            except ValueError:
                raise ApiError(400, f"parameter {name!r}: {value!r} is not an id or IRI") from None
        if not live.searcher.labels.languages(iri):
            valid = ", ".join(live.searcher.known(name)) or "none"
            raise ApiError(400, f"parameter {name!r}: no {name} {value!r} here; valid: {valid}")
        out.append(iri)
    return tuple(out)


def _year(name: str) -> int | None:
    return bounded_int(request.args, name, None, *YEARS)


def _years() -> tuple[int, ...]:
    out = []
    for raw in request.args.getlist("year"):
        if not raw.isdigit() or not YEARS[0] <= int(raw) <= YEARS[1]:
            raise ApiError(
                400,
                f"parameter 'year' must be a year between {YEARS[0]} and {YEARS[1]}, got {raw!r}",
            )
        out.append(int(raw))
    return tuple(out)


def _filters() -> Filters:
    kinds = tuple(request.args.getlist("type"))
    for kind in kinds:
        if kind not in UNIT_KINDS:
            raise ApiError(
                400, f"parameter 'type' must be among {', '.join(UNIT_KINDS)}, got {kind!r}"
            )
    binding = _choice("binding", BINDING, "any")
    iris = runtime().live().iris
    return Filters(
        kinds=kinds,
        instruments=_refs("instrument", iris.instrument),
        themes=_refs("theme", iris.theme),
        groups=_refs("group", iris.group),
        countries=_refs("country", iris.country),
        bodies=_refs("body", iris.body),
        years=_years(),
        year_from=_year("year_from"),
        year_to=_year("year_to"),
        binding=None if binding == "any" else binding == "true",
    )


def search_request(lang: str | None = None) -> SearchRequest:
    """The search a request asks for (the API and the search page take the same
    parameters); 400 for anything out of place."""
    q = single(request.args, "q")
    if not q or not q.strip():
        raise ApiError(400, "parameter 'q' is required (the question or words to search for)")
    if len(q) > MAX_QUERY:
        raise ApiError(400, f"parameter 'q' is longer than {MAX_QUERY} characters")
    return SearchRequest(
        q=q,
        filters=_filters(),
        page=bounded_int(request.args, "page", 1, *PAGES),
        size=bounded_int(request.args, "size", 10, *SIZES),
        lang=lang or _lang(default=None),  # None: the engine detects the question's language
        mode=_choice("mode", MODES, "hybrid"),
        fusion=_choice("fusion", tuple(METHODS), DEFAULT_FUSION),
    )


@bp.get("/search")
def search() -> Response:
    check_known(request.args, SEARCH_PARAMS)
    live = runtime().live()
    wanted = search_request()  # 400s before the cache is consulted

    def render() -> str:
        body = asdict(live.searcher.search(wanted))
        for hit in body["hits"]:
            hit["page"] = _page(live, hit["iri"])
        for entity in body["entities"]:
            entity["page"] = _page(live, entity["iri"])
            entity["within"] = url_for("api.search", **within(request.args, entity))
        return current_app.json.dumps(body)  # as jsonify writes it

    return release_answer(live, render, "application/json", "json")


def within(args, entity: dict) -> dict[str, list[str]]:
    """The query string of this search narrowed to ``entity``, from the first page."""
    out = {k: args.getlist(k) for k in args if k != "page"}
    chosen = out.get(entity["filter"], [])
    out[entity["filter"]] = chosen if entity["value"] in chosen else [*chosen, entity["value"]]
    return out


@bp.get("/suggest")
def suggest() -> Response:
    check_known(request.args, {"q", "limit", "lang"})
    q = single(request.args, "q")
    if not q or not q.strip():
        raise ApiError(400, "parameter 'q' is required (the text typed so far)")
    if len(q) > MAX_TYPED:
        raise ApiError(400, f"parameter 'q' is longer than {MAX_TYPED} characters")
    limit = bounded_int(request.args, "limit", 10, *SIZES)
    live = runtime().live()
    found = live.suggester.suggest(q, limit, _lang())
    items = [{**asdict(s), "page": _page(live, s.iri)} for s in found]
    return jsonify(query=q, suggestions=items)


@bp.get("/concepts")
def concepts() -> Response:
    check_known(request.args, {"lang"})
    live = runtime().live()
    return jsonify(schemes=[asdict(s) for s in schemes(live.store, live.iris, _lang())])


def _page(live, iri: str) -> str | None:
    path = live.iris.page_path(iri)
    return url_for("linked_data.page", path=path) if path else None
