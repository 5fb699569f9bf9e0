"""The JSON API: /api/search (hybrid search with filters and facets),
/api/suggest (autocomplete) and /api/concepts (schemes and top concepts)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from search_api.cache import release_answer
from search_api.errors import ApiError
from search_api.params import bounded_int, check_known, single
from search_api.runtime import runtime
from search_api.search import parameters
from search_api.search.engine import SearchRequest
from search_api.search.parameters import MAX_TYPED, SEARCH_PARAMS, SIZES
from search_api.search.thesaurus import schemes

bp = Blueprint("api", __name__, url_prefix="/api")


def search_request(language: str | None = None) -> SearchRequest:
    """The search this request asks for (the API and the search page take the same
    parameters: search_api.search.parameters); 400 for anything out of place."""
    live = runtime().live()
    return parameters.search_request(request.args, live.searcher, live.iris, language)


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
    found = live.suggester.suggest(q, limit, parameters.lang(request.args))
    items = [{**asdict(s), "page": _page(live, s.iri)} for s in found]
    return jsonify(query=q, suggestions=items)


@bp.get("/concepts")
def concepts() -> Response:
    check_known(request.args, {"lang"})
    live = runtime().live()
    return jsonify(schemes=[asdict(s) for s in schemes(live.query, parameters.lang(request.args))])


def _page(live, iri: str) -> str | None:
    path = live.iris.page_path(iri)
    return url_for("linked_data.page", path=path) if path else None
