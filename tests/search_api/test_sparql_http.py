"""/sparql over the Flask test client: request shapes, formats, statuses, limits."""

import json

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

UNMD = "<https://w3id.org/normgraph/id/instrument/unmd-1992>"
SELECT = f"SELECT ?a WHERE {{ ?a a ng:Article ; ng:partOfInstrument {UNMD} }} ORDER BY ?a"
CONSTRUCT = (
    f"CONSTRUCT {{ ?a a ng:Article }} WHERE {{ ?a a ng:Article ; ng:partOfInstrument {UNMD} }}"
)
FORM = "application/x-www-form-urlencoded"


def _rows(response):
    if response.mimetype == "text/csv":  # lossy: pyoxigraph does not parse it back
        lines = response.get_data(as_text=True).strip().splitlines()[1:]
        return [dict(a=line) for line in lines]
    fmt = QueryResultsFormat.from_media_type(response.mimetype)
    return list(parse_query_results(response.get_data(), fmt))


def test_three_request_shapes_give_the_same_answer(client):
    by_get = client.get("/sparql", query_string={"query": SELECT})
    by_form = client.post("/sparql", data={"query": SELECT})
    by_body = client.post("/sparql", data=SELECT, content_type="application/sparql-query")
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.get_data(as_text=True)
        assert len(_rows(response)) == 9
    assert by_get.get_data() == by_form.get_data() == by_body.get_data()


@pytest.mark.parametrize(
    "accept,media",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_select_by_accept(client, accept, media):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media
    assert response.vary.as_set() >= {"accept"}
    assert len(_rows(response)) == 9


@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", RdfFormat.RDF_XML),
        ("application/trig", RdfFormat.TRIG),
        ("application/n-quads", RdfFormat.N_QUADS),
    ],
)
def test_construct_by_accept(client, accept, fmt):
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert len(list(parse(response.get_data(), format=fmt))) == 9


def test_format_parameter_beats_accept(client):
    response = client.get(
        "/sparql", query_string={"query": SELECT, "format": "csv"}, headers={"Accept": "text/html"}
    )
    assert response.mimetype == "text/csv"
    sparqlwrapper_style = client.get(
        "/sparql",
        query_string=[
            ("query", CONSTRUCT),
            ("format", "rdf+xml"),
            ("output", "rdf+xml"),
            ("results", "rdf+xml"),
        ],
    )
    assert sparqlwrapper_style.mimetype == "application/rdf+xml"


def test_dataset_parameters(client):
    graph = "https://w3id.org/normgraph/graph/corpus/bodies"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only_bodies = client.get("/sparql", query_string={"query": query, "default-graph-uri": graph})
    everything = client.get("/sparql", query_string={"query": query})
    assert int(_rows(only_bodies)[0]["n"].value) < int(_rows(everything)[0]["n"].value)
    named = client.get(
        "/sparql",
        query_string={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": graph,
        },
    )
    assert [r["g"].value for r in _rows(named)] == [graph]


@pytest.mark.parametrize(
    "kwargs,status,fragment",
    [
        ({"query_string": {"query": "SELECT ?x WHERE {"}}, 400, "does not parse"),
        ({"query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "given 2 times"),
        ({"query_string": {"query": "ASK {}", "limit": "3"}}, 400, "unknown parameter(s): limit"),
        ({"query_string": {"update": "CLEAR ALL"}}, 400, "must be sent with POST"),
        ({"query_string": {"query": "ASK {}", "format": "pdf"}}, 400, "format 'pdf' is not one of"),
        ({"query_string": {"query": "ASK {}", "timeout": "soon"}}, 400, "timeout"),
        (
            {"query_string": {"query": "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }"}},
            403,
            "SERVICE",
        ),
        (
            {"query_string": {"query": "ASK {}"}, "headers": {"Accept": "text/turtle"}},
            406,
            "application/sparql-results+json",
        ),
        (
            {"query_string": {"query": CONSTRUCT}, "headers": {"Accept": "text/csv"}},
            406,
            "text/turtle",
        ),
    ],
)
def test_bad_requests_say_what_is_wrong(client, kwargs, status, fragment):
    response = client.get("/sparql", **kwargs)
    assert response.status_code == status
    body = response.get_data(as_text=True)
    assert fragment in body and "Traceback" not in body


def test_wrong_method_and_content_types(client):
    assert client.put("/sparql", query_string={"query": "ASK {}"}).status_code == 405
    assert client.post("/sparql", data="ASK {}", content_type="text/plain").status_code == 415
    assert client.post("/sparql", data="query=ASK%20%7B%7D").status_code == 415
    utf16 = client.post(
        "/sparql",
        data="ASK {}".encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    )
    assert utf16.status_code == 415
    both = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert both.status_code == 400


def test_updates_are_refused_without_the_token(client, make_app, fresh_root):
    assert (
        client.post(
            "/sparql", data="CLEAR ALL", content_type="application/sparql-update"
        ).status_code
        == 403
    )
    app = make_app(fresh_root, update_token="s3cret").test_client()
    wrong = app.post(
        "/sparql",
        data="CLEAR ALL",
        content_type="application/sparql-update",
        headers={"Authorization": "Bearer nope"},
    )
    assert wrong.status_code == 403
    assert (
        app.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "format": "json"}).json[
            "boolean"
        ]
        is True
    )


def test_an_update_makes_a_new_release_and_readers_switch(make_app, fresh_root):
    from kg.release import Releases

    before = Releases(fresh_root).current()
    app = make_app(fresh_root, update_token="s3cret").test_client()
    insert = (
        "INSERT DATA { GRAPH <http://example.org/g> "
        '{ <http://example.org/s> <http://example.org/p> "o" } }'
    )
    response = app.post(
        "/sparql",
        data=insert,
        content_type="application/sparql-update",
        headers={"Authorization": "Bearer s3cret"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    after = Releases(fresh_root).current()
    assert after.id != before.id and after.manifest.previous == before.id
    assert (before.path / "manifest.json").is_file(), "the old release is left intact"
    ask = app.get(
        "/sparql", query_string={"query": "ASK { <http://example.org/s> ?p ?o }", "format": "json"}
    )
    assert ask.json["boolean"] is True
    assert ask.headers["X-Normgraph-Release"] == after.id
    bad = app.post(
        "/sparql",
        data="INSERT DATA { <a:b> <a:c> ",
        content_type="application/sparql-update",
        headers={"Authorization": "Bearer s3cret"},
    )
    assert bad.status_code == 400 and Releases(fresh_root).current().id == after.id


def test_results_are_capped_with_a_marker(make_app, release_root):
    app = make_app(release_root, max_results=5).test_client()
    response = app.get("/sparql", query_string={"query": SELECT, "format": "json"})
    assert len(response.json["results"]["bindings"]) == 5
    assert response.headers["X-Normgraph-Truncated"] == "true"
    assert response.headers["X-Normgraph-Result-Limit"] == "5"
    small = app.get("/sparql", query_string={"query": SELECT + " LIMIT 3", "format": "json"})
    assert "X-Normgraph-Truncated" not in small.headers


def test_a_query_past_the_time_limit_is_stopped(make_app, release_root):
    app = make_app(release_root, query_timeout=2).test_client()
    heavy = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = app.get("/sparql", query_string={"query": heavy})
    assert response.status_code == 503
    assert "time limit" in response.get_data(as_text=True)
    after = app.get("/sparql", query_string={"query": "ASK {}", "format": "json"})
    assert after.status_code == 200, "the pool replaced the killed process"
    lowered = app.get("/sparql", query_string={"query": heavy, "timeout": "1"})
    assert lowered.status_code == 503 and "1 s" in lowered.get_data(as_text=True)
    tiny = app.get("/sparql", query_string={"query": "ASK {}", "timeout": "1e-300"})
    assert tiny.status_code == 400 and "at least 1 s" in tiny.get_data(as_text=True)


def test_service_description_and_browser_page(client):
    sd = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200 and sd.mimetype == "text/turtle"
    triples = list(parse(sd.get_data(), format=RdfFormat.TURTLE))
    objects = {t.object.value for t in triples}
    assert "http://www.w3.org/ns/sparql-service-description#SPARQL11Query" in objects
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in objects
    assert "http://www.w3.org/ns/sparql-service-description#SPARQL11Update" not in objects
    page = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.mimetype == "text/html" and "<form" in page.get_data(as_text=True)


def test_cors_and_preflight(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_limits_on_body_and_url(make_app, release_root):
    app = make_app(release_root, max_body=2048, max_url=512).test_client()
    big = app.post("/sparql", data="ASK {} #" + "x" * 4096, content_type="application/sparql-query")
    assert big.status_code == 413
    long = app.get("/sparql", query_string={"query": "ASK {} #" + "x" * 1000})
    assert long.status_code == 414
    ok = app.get("/sparql", query_string={"query": "ASK {}"})
    assert ok.status_code == 200


def test_errors_are_json_for_json_clients(client):
    response = client.get(
        "/sparql", query_string={"query": "SELECT"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert json.loads(response.get_data())["error"]["status"] == 400


COLUMNS = f"?provision ng:partOfInstrument {UNMD} ; ng:order ?order ; a ?kind"


@pytest.mark.parametrize(
    "query,columns",
    [
        (f"SELECT * WHERE {{ {COLUMNS} }} LIMIT 3", ["provision", "order", "kind"]),
        (f"SELECT DISTINCT * WHERE {{ {COLUMNS} }} LIMIT 3", ["provision", "order", "kind"]),
        (
            f"SELECT ?order ?kind ?provision WHERE {{ {COLUMNS} }} LIMIT 3",
            ["order", "kind", "provision"],
        ),
        (f"SELECT ?kind (STR(?order) AS ?n) WHERE {{ {COLUMNS} }} LIMIT 3", ["kind", "n"]),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_columns_come_in_the_order_of_the_query(client, query, columns, fmt):
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200, response.get_data(as_text=True)
    if fmt in ("csv", "tsv"):
        header = response.get_data(as_text=True).splitlines()[0]
        names = header.replace("?", "").split("," if fmt == "csv" else "\t")
    else:
        names = [v.value for v in _solutions(response).variables]
    assert names == columns


def _solutions(response):
    fmt = QueryResultsFormat.from_media_type(response.mimetype)
    return parse_query_results(response.get_data(), fmt)
