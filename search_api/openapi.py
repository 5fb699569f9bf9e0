"""The OpenAPI 3.1 description of the HTTP interface, served at /openapi.json."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Response, jsonify

from kg import formats, version
from search_api.blueprints import sparql
from search_api.search import parameters as search
from search_api.search.filters import UNIT_KINDS

bp = Blueprint("openapi", __name__)

_TEXT = {"text/plain": {"schema": {"type": "string"}}}
_ERROR = {
    "description": "error (JSON for /api, plain text or HTML elsewhere)",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
        **_TEXT,
    },
}


def _param(name: str, where: str, description: str, schema: dict, required: bool = False) -> dict:
    return {
        "name": name,
        "in": where,
        "description": description,
        "required": required,
        "schema": schema,
    }


def _query(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return _param(name, "query", description, schema, required)


def _enum(values: Iterable[str]) -> dict:
    return {"type": "string", "enum": list(values)}


def _int(bounds: tuple[int, int]) -> dict:
    return {"type": "integer", "minimum": bounds[0], "maximum": bounds[1]}


def _text(longest: int) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": longest}


_STRING = {"type": "string"}
_IDS = {"type": "array", "items": {"type": "string"}}
_YEAR = _int(search.YEARS)
_URIS = {"type": "array", "items": {"type": "string", "format": "uri"}}
_LANG = _query("lang", "label language", _enum(search.LANGS))
_PATH = _param(
    "path", "path", "resource path after /id/ (e.g. instrument/unmd-1992)", {"type": "string"}, True
)
_SPARQL_RESULTS = {f.media_type.split(";")[0]: {"schema": _STRING} for f in formats.of_kinds()}
_QUERY_PARAMS = [
    _query("default-graph-uri", "default graph(s) of the dataset", _URIS),
    _query("named-graph-uri", "named graph(s) of the dataset", _URIS),
    _query("format", "result format, instead of Accept", _enum(formats.names())),
    _query(
        "timeout",
        "lower the time limit (seconds)",
        {"type": "number", "minimum": sparql.MIN_TIMEOUT},
    ),
]


def _search_schemas() -> dict[str, dict]:
    """/api/search's parameters (search_api.search.parameters), in the order they are listed."""
    return {
        "q": _text(search.MAX_QUERY),
        "type": {"type": "array", "items": _enum(UNIT_KINDS)},
        **dict.fromkeys(search.REFERENCES, _IDS),
        "year": {"type": "array", "items": _YEAR},
        "year_from": _YEAR,
        "year_to": _YEAR,
        "binding": _enum(search.BINDING),
        "page": _int(search.PAGES),
        "size": _int(search.SIZES),
        "lang": _enum(search.LANGS),
        "mode": _enum(search.MODES),
        "fusion": _enum(search.FUSIONS),
    }


def _sparql_ops() -> dict:
    ok = {
        "description": "results (SELECT/ASK) or RDF (CONSTRUCT/DESCRIBE), by Accept; the "
        "service description without a query",
        "content": _SPARQL_RESULTS,
    }
    errors = {code: _ERROR for code in ("400", "403", "406", "413", "414", "415", "503")}
    errors["429"] = {  # the SPARQL lane is full, for this client or for everyone
        **_ERROR,
        "description": "no place for the query within NORMGRAPH_QUERY_WAIT; try again after "
        "Retry-After seconds",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    }
    return {
        "get": {
            "summary": "SPARQL query by GET (or the service description)",
            "parameters": [_param("query", "query", "SPARQL query", _STRING), *_QUERY_PARAMS],
            "responses": {"200": ok, **errors},
        },
        "post": {
            "summary": "SPARQL query or update by POST",
            "parameters": _QUERY_PARAMS,
            "requestBody": {
                "required": True,
                "content": {
                    "application/sparql-query": {"schema": _STRING},
                    "application/sparql-update": {"schema": _STRING},
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {"query": _STRING, "update": _STRING},
                        }
                    },
                },
            },
            "responses": {"200": ok, **errors},
        },
    }


def _releases_ops() -> dict:
    """/releases, a kept release's own SPARQL endpoint and its pack."""
    release_id = _param("release_id", "path", "a kept release's id (see /releases)", _STRING, True)
    kept = _sparql_ops()
    for operation in kept.values():
        operation["summary"] += ", on this kept release as it was"
        operation["parameters"] = [release_id, *operation["parameters"]]
        operation["responses"]["404"] = _ERROR  # a release this server does not keep
    pack = _doc(
        "the release as one pack for `normgraph release pull` (a tar: checksummed index, then "
        "every file of the release); `current.pack` redirects to the current release's",
        {"application/x-tar": {"schema": {"type": "string", "format": "binary"}}},
        [release_id],
        {"302": {"description": "current.pack: to the current release's pack"}},
    )
    return {
        "/releases": _doc(
            "the releases this server keeps (newest first), each with its SPARQL endpoint and pack",
            _JSON,
        ),
        "/releases/{release_id}/sparql": kept,
        "/releases/{release_id}.pack": pack,
    }


def _doc(
    summary: str, content: dict, params: list | None = None, extra: dict | None = None
) -> dict:
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {
                "200": {"description": "OK", "content": content},
                "400": _ERROR,
                "404": _ERROR,
                **(extra or {}),
            },
        }
    }


_RDF = {
    m: {"schema": _STRING}
    for m in ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
}
_JSON = {"application/json": {"schema": {"type": "object"}}}


_CALLBACK = _query("callback", "JSONP: wrap the JSON in a call of this function", _STRING)
_JSONP = {"application/javascript": {"schema": _STRING}}


def _reconcile_ops() -> dict:
    """The Reconciliation Service API 0.2 (search_api.blueprints.reconcile)."""
    json_or_jsonp = {"application/json": {"schema": {"type": "object"}}, **_JSONP}
    form = {
        "type": "object",
        "properties": {
            "queries": {"type": "string", "description": "a query batch, JSON"},
            "extend": {"type": "string", "description": "a data extension request, JSON"},
            "callback": _STRING,
        },
    }
    batch = {
        "type": "object",
        "description": "a query batch ({key: {query, type, type_strict, limit, properties}}), "
        "or {queries: batch} or {extend: request}",
    }
    params = [
        _query("queries", "a query batch, JSON (OpenRefine sends it as a form field)", _STRING),
        _query("query", "one query (the deprecated single mode): a name or a query, JSON", _STRING),
        _query("extend", "a data extension request, JSON: {ids, properties}", _STRING),
        _query("lang", "language of candidate names", _enum(search.LANGS)),
        _CALLBACK,
    ]
    ok = {
        "description": "the service manifest (no queries), a result batch, one result "
        "(single mode) or a data extension response",
        "content": json_or_jsonp,
    }
    entry = {
        "get": {
            "summary": "Reconciliation Service API 0.2: manifest, queries or data extension",
            "parameters": params,
            "responses": {"200": ok, "400": _ERROR},
        },
        "post": {
            "summary": "reconciliation queries or data extension, as a form or JSON",
            "parameters": [_LANG, _CALLBACK],
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {"schema": form},
                    "application/json": {"schema": batch},
                }
            },
            "responses": {"200": ok, "400": _ERROR},
        },
    }
    prefix = _query("prefix", "text typed so far", _text(200), True)
    suggest = [
        _query("type", "types (entity suggest)", _IDS),
        _query("type_strict", "accepted for OpenRefine, not used", _STRING),
        _query("cursor", "suggestions already shown", _int((0, 1000))),
        _query("limit", "most suggestions", _int((1, 50))),
        _query("schema", "accepted for OpenRefine, not used", _STRING),
        _LANG,
        _CALLBACK,
    ]
    entity_id = _query("id", "an entity id (instrument/unmd-1992) or IRI", _STRING, True)
    return {
        "/reconcile": entry,
        "/reconcile/suggest/entity": _doc(
            "suggest entities by name", json_or_jsonp, [prefix, *suggest]
        ),
        "/reconcile/suggest/type": _doc("suggest types", json_or_jsonp, [prefix, *suggest]),
        "/reconcile/suggest/property": _doc(
            "suggest properties", json_or_jsonp, [prefix, *suggest]
        ),
        "/reconcile/propose_properties": _doc(
            "the properties data extension offers for a type",
            json_or_jsonp,
            [
                _query("type", "a type id", _STRING, True),
                _query("limit", "most properties", _int((1, 100))),
                _CALLBACK,
            ],
        ),
        "/reconcile/preview": _doc(
            "an HTML card of an entity", {"text/html": {"schema": _STRING}}, [entity_id, _LANG]
        ),
        "/reconcile/flyout": _doc(
            "the card as JSON ({id, html}) for suggest flyouts",
            json_or_jsonp,
            [entity_id, _LANG, _CALLBACK],
        ),
    }


def _store_ops() -> dict:
    """The Graph Store HTTP Protocol, read side (search_api.blueprints.store)."""
    refused = {
        "summary": "refused: the graph store is read-only (writes go through SPARQL Update)",
        "responses": {"405": {**_ERROR, "headers": {"Allow": {"schema": _STRING}}}},
    }
    get = _doc(
        "a named graph (graph=IRI) or the default graph (default: the union of the named "
        "graphs), in an RDF format by Accept or format=",
        _RDF,
        [
            _query("graph", "a named graph's IRI, as /.well-known/void lists them", _STRING),
            _query(
                "default",
                "the default graph (give it without a value)",
                {"type": "string", "maxLength": 0},
            ),
            _query("format", "RDF format, instead of Accept", _enum(formats.names(formats.GRAPH))),
        ],
        {"406": _ERROR},
    )
    return {"/store": {**get, **{m: refused for m in ("post", "put", "delete", "patch")}}}


def spec() -> dict:
    see_other = {
        "303": {"description": "See Other: /doc/... (HTML) or /data/... (RDF) by Accept"},
        "301": {"description": "moved: a retired IRI's replacement"},
        "410": _ERROR,
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "normgraph",
            "version": version(),
            "description": "SPARQL 1.1 endpoint, Linked Data and JSON API over the law, norms "
            "and good practice on racial discrimination and the protection of minorities.",
        },
        "paths": {
            "/sparql": _sparql_ops(),
            "/id/{path}": _doc("dereference a resource IRI", {}, [_PATH], see_other),
            "/def/{term}": _doc(
                "dereference an ontology term",
                {},
                [_param("term", "path", "term name", _STRING, True)],
                see_other,
            ),
            "/doc/{path}": _doc(
                "HTML page of a resource",
                {"text/html": {"schema": _STRING}},
                [_PATH, _LANG],
                {"304": {"description": "Not Modified"}},
            ),
            "/data/{file}": _doc(
                "RDF of a resource: path + .ttl, .jsonld, .nt or .rdf",
                _RDF,
                [_param("file", "path", "e.g. instrument/unmd-1992.ttl", _STRING, True)],
                {"304": {"description": "Not Modified"}},
            ),
            "/ontology": _doc(
                "the ontology, as HTML documentation or RDF",
                {"text/html": {"schema": _STRING}, **_RDF},
                [_LANG],
            ),
            "/.well-known/void": _doc("VoID/DCAT description of the dataset", _RDF),
            "/context.jsonld": _doc(
                "the JSON-LD context", {"application/ld+json": {"schema": {"type": "object"}}}
            ),
            "/dumps/{name}": _doc(
                "gzipped dump of the whole dataset",
                {
                    "application/n-quads": {"schema": _STRING},
                    "application/trig": {"schema": _STRING},
                },
                [
                    _param(
                        "name",
                        "path",
                        "dump file",
                        {
                            "type": "string",
                            "enum": ["normgraph-latest.nq.gz", "normgraph-latest.trig.gz"],
                        },
                        True,
                    )
                ],
            ),
            "/api/search": _doc(
                "hybrid search: dense + BM25, concept-aware, with filters and facets. The hits "
                "are documents (provisions, instruments, practices, commitments, passages) "
                "unless `type` asks for others; the themes, groups, bodies and countries the "
                "question names or evokes come apart, in `entities`",
                {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResults"}}},
                [
                    _query(name, search.DESCRIPTIONS[name], schema, name == "q")
                    for name, schema in _search_schemas().items()
                ],
                {"503": _ERROR},
            ),
            "/api/suggest": _doc(
                "autocomplete over labels in every language",
                {"application/json": {"schema": {"$ref": "#/components/schemas/Suggestions"}}},
                [
                    _query("q", "text typed so far", _text(search.MAX_TYPED), True),
                    _query("limit", "most suggestions", _int(search.SIZES)),
                    _LANG,
                ],
            ),
            "/api/concepts": _doc("concept schemes and their top concepts", _JSON, [_LANG]),
            "/healthz": _doc("liveness", _JSON),
            "/readyz": _doc("readiness: a release is open", _JSON, extra={"503": _ERROR}),
            "/openapi.json": _doc("this description", _JSON),
            **_reconcile_ops(),
            **_store_ops(),
            **_releases_ops(),
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "status": {"type": "integer"},
                                "title": _STRING,
                                "message": _STRING,
                            },
                        }
                    },
                },
                "SearchResults": {
                    "type": "object",
                    "required": ["query", "total", "hits", "facets"],
                    "properties": {
                        "query": _STRING,
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "size": {"type": "integer"},
                        "facets": {"type": "object"},
                        "entities": {
                            "type": "array",
                            "description": "themes, groups, bodies and countries the question "
                            "names (named: true) or evokes, most relevant first",
                            "items": {
                                "type": "object",
                                "required": ["iri", "kind", "label", "named", "page", "within"],
                                "properties": {
                                    "iri": {"type": "string", "format": "uri"},
                                    "kind": _enum(("theme", "group", "body", "country")),
                                    "label": _STRING,
                                    "named": {"type": "boolean"},
                                    "page": {"type": ["string", "null"]},
                                    "within": {
                                        "type": "string",
                                        "description": "this search narrowed to the entity",
                                    },
                                },
                            },
                        },
                        "matched_concepts": {"type": "array"},
                        "pinned": {"type": "array"},
                        "lang": {"type": "string", "description": "the question's language"},
                        "mode": _STRING,
                        "fusion": _STRING,
                        "release": _STRING,
                        "took_ms": {"type": "number"},
                        "hits": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "iri": _STRING,
                                    "kind": _STRING,
                                    "label": _STRING,
                                    "snippet": _STRING,
                                    "score": {"type": "number"},
                                    "parts": {"type": "object"},
                                    "instrument": {"type": ["object", "null"]},
                                    "tags": {"type": "object"},
                                    "matched_concepts": {"type": "array"},
                                    "year": {"type": ["integer", "null"]},
                                    "page": {"type": ["string", "null"]},
                                },
                            },
                        },
                    },
                },
                "Suggestions": {
                    "type": "object",
                    "properties": {
                        "query": _STRING,
                        "suggestions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "iri": {"type": "string", "format": "uri"},
                                    "label": _STRING,
                                    "matched": _STRING,
                                    "lang": {"type": ["string", "null"]},
                                    "kind": _STRING,
                                    "page": {"type": ["string", "null"]},
                                },
                            },
                        },
                    },
                },
            }
        },
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(spec())
