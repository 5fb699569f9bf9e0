"""The OpenAPI 3.1 description of the HTTP interface, served at /openapi.json."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from kg import version

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


_STRING = {"type": "string"}
_IDS = {"type": "array", "items": {"type": "string"}}
_YEAR = {"type": "integer", "minimum": 1000, "maximum": 2999}
_URIS = {"type": "array", "items": {"type": "string", "format": "uri"}}
_LANG = _param(
    "lang",
    "query",
    "label language",
    {"type": "string", "enum": ["en", "fr", "es", "ar", "ru", "zh"]},
)
_PATH = _param(
    "path", "path", "resource path after /id/ (e.g. instrument/unmd-1992)", {"type": "string"}, True
)
_SPARQL_RESULTS = {
    media: {"schema": {"type": "string"}}
    for media in (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "application/trig",
        "application/n-quads",
    )
}
_QUERY_PARAMS = [
    _param("default-graph-uri", "query", "default graph(s) of the dataset", _URIS),
    _param("named-graph-uri", "query", "named graph(s) of the dataset", _URIS),
    _param(
        "format",
        "query",
        "result format, instead of Accept",
        {
            "type": "string",
            "enum": ["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml", "trig", "nq"],
        },
    ),
    _param(
        "timeout",
        "query",
        "lower the time limit (seconds)",
        {"type": "number", "minimum": 1},
    ),
]


def _sparql_ops() -> dict:
    ok = {
        "description": "results (SELECT/ASK) or RDF (CONSTRUCT/DESCRIBE), by Accept; the "
        "service description without a query",
        "content": _SPARQL_RESULTS,
    }
    errors = {code: _ERROR for code in ("400", "403", "406", "413", "414", "415", "503")}
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
                "hybrid search: dense + BM25, concept-aware, with filters and facets",
                {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResults"}}},
                [
                    _param(
                        "q",
                        "query",
                        'the question or words; "quotes" match a phrase',
                        {"type": "string", "minLength": 1, "maxLength": 1000},
                        True,
                    ),
                    _param(
                        "type",
                        "query",
                        "unit types",
                        {
                            "type": "array",
                            "items": {
                                "type": "string",
                                "enum": [
                                    "provision",
                                    "instrument",
                                    "practice",
                                    "concept",
                                    "commitment",
                                    "passage",
                                ],
                            },
                        },
                    ),
                    _param("instrument", "query", "instrument ids or IRIs", _IDS),
                    _param("theme", "query", "theme ids or IRIs (narrower themes included)", _IDS),
                    _param("group", "query", "group ids or IRIs (narrower groups included)", _IDS),
                    _param("country", "query", "countries", _IDS),
                    _param("body", "query", "body ids or IRIs", _IDS),
                    _param(
                        "year",
                        "query",
                        "years (any of them)",
                        {"type": "array", "items": _YEAR},
                    ),
                    _param("year_from", "query", "earliest year", _YEAR),
                    _param("year_to", "query", "latest year", _YEAR),
                    _param(
                        "binding",
                        "query",
                        "legally binding instruments only, or not",
                        {"type": "string", "enum": ["any", "true", "false"]},
                    ),
                    _param(
                        "page",
                        "query",
                        "page number",
                        {"type": "integer", "minimum": 1, "maximum": 1000},
                    ),
                    _param(
                        "size",
                        "query",
                        "hits per page",
                        {"type": "integer", "minimum": 1, "maximum": 50},
                    ),
                    _LANG,
                    _param(
                        "mode",
                        "query",
                        "retrieval",
                        {"type": "string", "enum": ["hybrid", "lexical", "dense"]},
                    ),
                    _param(
                        "fusion",
                        "query",
                        "fusion of the two rankings",
                        {"type": "string", "enum": ["rrf", "weighted"]},
                    ),
                ],
                {"503": _ERROR},
            ),
            "/api/suggest": _doc(
                "autocomplete over labels in every language",
                {"application/json": {"schema": {"$ref": "#/components/schemas/Suggestions"}}},
                [
                    _param(
                        "q",
                        "query",
                        "text typed so far",
                        {"type": "string", "minLength": 1, "maxLength": 200},
                        True,
                    ),
                    _param(
                        "limit",
                        "query",
                        "most suggestions",
                        {"type": "integer", "minimum": 1, "maximum": 50},
                    ),
                    _LANG,
                ],
            ),
            "/api/concepts": _doc("concept schemes and their top concepts", _JSON, [_LANG]),
            "/healthz": _doc("liveness", _JSON),
            "/readyz": _doc("readiness: a release is open", _JSON, extra={"503": _ERROR}),
            "/openapi.json": _doc("this description", _JSON),
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
                        "matched_concepts": {"type": "array"},
                        "pinned": {"type": "array"},
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
