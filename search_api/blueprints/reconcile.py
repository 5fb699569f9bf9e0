"""The Reconciliation Service API 0.2 (W3C Entity Reconciliation CG), as OpenRefine
speaks it: /reconcile answers the manifest, query batches (form field ``queries`` or a
JSON body) and data extension (``extend``); beside it the preview card, the flyout,
the three suggest services and property proposals. Every JSON answer may be wrapped
in a JSONP ``callback`` for old clients."""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, jsonify, render_template, request

from search_api.errors import ApiError
from search_api.params import bounded_int, check_known, single
from search_api.reconcile.matching import QueryError, parse_batch, parse_query, type_id
from search_api.reconcile.service import SUGGEST_LIMIT
from search_api.runtime import runtime
from search_api.search import parameters
from search_api.views.language import direction

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")

_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")
_JSONP = {"callback", "_"}  # jQuery's JSONP adds "_" to defeat caches
MAX_PREFIX = 200


def _answer(body: dict) -> Response:
    """JSON, or JavaScript calling ``callback`` with it."""
    callback = single(request.args, "callback") or single(request.form, "callback")
    if callback is None:
        response = jsonify(body)
    elif not _CALLBACK.match(callback) or len(callback) > 100:
        raise ApiError(400, "parameter 'callback' must be a JavaScript function name")
    else:
        payload = json.dumps(body, ensure_ascii=False)
        response = Response(f"/**/{callback}({payload});", mimetype="application/javascript")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _service():
    return runtime().live().reconciler


def _lang() -> str:
    return parameters.lang(request.values)


def _json_field(name: str, raw: str) -> object:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise ApiError(
            400, f"parameter {name!r} is not valid JSON: {error.msg} at character {error.pos}"
        ) from None


def _body() -> dict[str, object]:
    """``queries`` / ``extend`` from the form or query string, or a JSON body: either the
    batch itself or ``{"queries": batch}`` / ``{"extend": request}``."""
    check_known(request.values, {"queries", "query", "extend", "lang", *_JSONP})
    out = {n: _json_field(n, v) for n in ("queries", "extend") if (v := single(request.values, n))}
    if (one := single(request.values, "query")) is not None:  # the deprecated single mode
        out["query"] = _json_field("query", one) if one.lstrip().startswith("{") else one
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ApiError(
                400, 'the JSON body must be an object: a query batch or {"queries": ...}'
            )
        if set(data) <= {"queries", "extend"} and data:
            out.update(data)
        else:
            out["queries"] = data
    return out


@bp.route("", methods=["GET", "POST"])
def reconcile() -> Response:
    body = _body()
    service = _service()
    try:
        if "queries" in body:
            return _answer(service.reconcile(parse_batch(body["queries"]), _lang()))
        if "query" in body:
            batch = service.reconcile({"query": parse_query("query", body["query"])}, _lang())
            return _answer(batch["query"])
        if "extend" in body:
            return _answer(service.extend(body["extend"], _lang()))
    except QueryError as error:
        raise ApiError(400, str(error)) from None
    return _answer(service.manifest(request.url_root))


def _prefix() -> str:
    prefix = single(request.args, "prefix")
    if prefix is None or not prefix.strip():
        raise ApiError(400, "parameter 'prefix' is required (the text typed so far)")
    if len(prefix) > MAX_PREFIX:
        raise ApiError(400, f"parameter 'prefix' is longer than {MAX_PREFIX} characters")
    return prefix


# what suggest clients send (jquery.suggest adds "schema" for properties); "limit" is ours
_SUGGEST = {"prefix", "type", "type_strict", "cursor", "limit", "schema", "lang", *_JSONP}


def _types() -> tuple[str, ...]:
    out = []
    for value in request.args.getlist("type"):
        found = type_id(value)
        if found is None:
            raise ApiError(400, f"parameter 'type': unknown type {value!r}")
        out.append(found)
    return tuple(out)


@bp.get("/suggest/entity")
def suggest_entity() -> Response:
    check_known(request.args, _SUGGEST)
    cursor = bounded_int(request.args, "cursor", 0, 0, 1000)
    limit = bounded_int(request.args, "limit", SUGGEST_LIMIT, 1, 50)
    return _answer(_service().suggest_entities(_prefix(), _types(), _lang(), cursor, limit))


@bp.get("/suggest/type")
def suggest_type() -> Response:
    check_known(request.args, _SUGGEST)
    return _answer(_service().suggest_types(_prefix()))


@bp.get("/suggest/property")
def suggest_property() -> Response:
    check_known(request.args, _SUGGEST)
    return _answer(_service().suggest_properties(_prefix(), single(request.args, "type")))


@bp.get("/propose_properties")
def propose_properties() -> Response:
    check_known(request.args, {"type", "limit", *_JSONP})
    type_ref = single(request.args, "type")
    if not type_ref:
        raise ApiError(400, "parameter 'type' is required (the type to propose properties for)")
    limit = bounded_int(request.args, "limit", None, 1, 100)
    try:
        return _answer(_service().propose_properties(type_ref, limit))
    except QueryError as error:
        raise ApiError(400, f"parameter 'type': {error}") from None


def _card() -> dict:
    ref = single(request.args, "id")
    if not ref:
        raise ApiError(400, "parameter 'id' is required (an entity id or IRI)")
    card = _service().card(ref, _lang())
    if card is None:
        raise ApiError(404, f"no entity {ref!r} here")
    card["page"] = f"{request.url_root}doc/{card['id']}"
    return card


@bp.get("/preview")
def preview() -> Response:
    check_known(request.args, {"id", "lang"})
    lang = _lang()
    html = render_template("reconcile_preview.html", card=_card(), lang=lang, dir=direction(lang))
    return Response(html, mimetype="text/html", headers={"Access-Control-Allow-Origin": "*"})


@bp.get("/flyout")
def flyout() -> Response:
    check_known(request.args, {"id", "lang", *_JSONP})
    card = _card()
    html = render_template("_reconcile_card.html", card=card)
    return _answer({"id": card["id"], "html": html})
