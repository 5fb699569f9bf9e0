"""The JSON API: /api/suggest (autocomplete) and /api/concepts (schemes and top
concepts). Search itself (/api/search) comes with the search engine."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, jsonify, request, url_for

from search_api.errors import ApiError
from search_api.params import bounded_int, check_known, single
from search_api.runtime import runtime
from search_api.search.thesaurus import schemes

bp = Blueprint("api", __name__, url_prefix="/api")
LANGS = ("en", "fr", "es", "ar", "ru", "zh")


def _lang() -> str:
    lang = single(request.args, "lang") or "en"
    if lang not in LANGS:
        raise ApiError(400, f"parameter 'lang' must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


@bp.get("/suggest")
def suggest() -> Response:
    check_known(request.args, {"q", "limit", "lang"})
    q = single(request.args, "q")
    if not q or not q.strip():
        raise ApiError(400, "parameter 'q' is required (the text typed so far)")
    if len(q) > 200:
        raise ApiError(400, "parameter 'q' is longer than 200 characters")
    limit = bounded_int(request.args, "limit", 10, 1, 50)
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
