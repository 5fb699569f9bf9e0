"""Linked Data for every IRI under the base (W3C "Cool URIs", 303 pattern):
/id/... and /def/... answer 303 to /doc/... (HTML) or /data/....{ttl,jsonld,nt,rdf};
documents carry Vary, ETag, Last-Modified, Cache-Control and Link alternates,
and answer If-None-Match with 304. Retired IRIs answer 301 or 410."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import rdflib
from flask import Blueprint, Response, redirect, render_template, request, url_for
from pyoxigraph import RdfFormat, serialize

from kg.formats import Format, by_extension, by_name
from kg.store import describe, exists, replacement
from kg.vocab import prefixes
from search_api.blueprints.pages import page_format, page_language
from search_api.cache import release_answer
from search_api.descriptions import jsonld_context
from search_api.errors import ApiError
from search_api.negotiation import pick, prefers_html
from search_api.params import check_known
from search_api.runtime import Live, runtime
from search_api.views.model import Format as PageFormat
from search_api.views.resource import resource_page

bp = Blueprint("linked_data", __name__)

LD_FORMATS: list[Format] = [by_name(n) for n in ("ttl", "jsonld", "nt", "rdfxml")]
PAGE_PARAMS = {"format", "lang"}


def _resolve(path: str) -> tuple[Live, str]:
    """The live release and the IRI for a page path; 301/410/404 for retired or unknown."""
    live = runtime().live()
    try:
        iri = live.iris.from_page_path(path).value
    except ValueError:
        raise ApiError(404, f"{path!r} is not the path of a valid IRI") from None
    deprecated, successor = replacement(live.store, iri)
    if deprecated:
        target = successor and live.iris.page_path(successor)
        if target:
            raise _Redirect(url_for("linked_data.identifier", path=target), 301)
        if successor:
            raise _Redirect(successor, 301)
        raise ApiError(410, f"{iri} has been retired and has no replacement")
    if not exists(live.store, iri):
        raise ApiError(404, f"{iri} is not a resource of this dataset")
    return live, iri


class _Redirect(Exception):
    def __init__(self, location: str, status: int) -> None:
        self.location, self.status = location, status


@bp.errorhandler(_Redirect)
def _redirect(r: _Redirect) -> Response:
    response = redirect(r.location, r.status)
    response.vary.add("Accept")
    return response


@bp.get("/id/<path:path>")
def identifier(path: str) -> Response:
    return _see_other(path)


@bp.get("/def/<path:name>")
def term(name: str) -> Response:
    return _see_other(f"def/{name}")


def _see_other(path: str) -> Response:
    check_known(request.args, PAGE_PARAMS)
    _resolve(path)
    if prefers_html(request):
        location = url_for("linked_data.page", path=path, **request.args)
    else:
        fmt = pick(request, LD_FORMATS)
        location = url_for("linked_data.data", path=f"{path}.{fmt.extension}")
    response = redirect(location, 303)
    response.vary.add("Accept")
    return response


def _document(
    live: Live, render: Callable[[], bytes | str], mimetype: str, path: str, variant: str
) -> Response:
    """The answer ``render`` gives, rendered once per release and equal request."""
    response = release_answer(live, render, mimetype, variant, name=path)
    response.vary.add("Accept")
    links = [f'<{url_for("linked_data.page", path=path)}>; rel="alternate"; type="text/html"']
    links += [
        f'<{url_for("linked_data.data", path=f"{path}.{f.extension}")}>; rel="alternate"; '
        f'type="{f.media_types[0]}"'
        for f in LD_FORMATS
    ]
    response.headers["Link"] = ", ".join(links)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/doc/<path:path>")
def page(path: str) -> Response:
    """The page of a resource, by its kind (search_api.views.resource); ``format=json``
    gives the same view model as JSON."""
    check_known(request.args, PAGE_PARAMS)
    fmt = page_format()
    live, iri = _resolve(path)
    lang = page_language()
    formats = [PageFormat(f.name, f.extension, f.media_types[0]) for f in LD_FORMATS]
    variant = f"{fmt}-{'-'.join(lang.order)}"

    def render() -> str:
        view = resource_page(live.store, live.iris, iri, lang, live.release.id, formats)
        if fmt == "json":
            return json.dumps(asdict(view), ensure_ascii=False)
        return render_template(view.template, page=view)

    mimetype = "application/json" if fmt == "json" else "text/html"
    response = _document(live, render, mimetype, path, variant)
    response.vary.add("Accept-Language")
    return response


@bp.get("/data/<path:path>")
def data(path: str) -> Response:
    check_known(request.args, set())
    stem, _, extension = path.rpartition(".")
    fmt = by_extension(extension)
    if not stem or fmt not in LD_FORMATS:
        raise ApiError(404, f"no data document {path!r}: use .ttl, .jsonld, .nt or .rdf")
    live, iri = _resolve(stem)

    def render() -> bytes | str:
        triples = describe(live.query, iri)
        if fmt.ox == RdfFormat.JSON_LD:
            return _jsonld(triples, live.base)
        return serialize(triples, format=fmt.ox, prefixes=prefixes(live.base))

    return _document(live, render, fmt.media_types[0], stem, fmt.name)


def _jsonld(triples: list, base_iri: str) -> str:
    """Compact JSON-LD that refers to the published context at /context.jsonld."""
    graph = rdflib.Graph()
    graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    context = jsonld_context(base_iri)["@context"]
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    document["@context"] = url_for("describe.context", _external=True)
    return json.dumps(_in_order(document), ensure_ascii=False, indent=2, sort_keys=True)


def _in_order(value: Any) -> Any:
    """rdflib writes nodes and values in its sets' order, which differs from one process
    to the next: sorted, the same release gives the same bytes in every worker and replica
    (JSON-LD arrays are unordered, except in @list)."""
    if isinstance(value, dict):
        return {key: _in_order(item) if key != "@list" else item for key, item in value.items()}
    if isinstance(value, list):
        items = [_in_order(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value
