"""The ontology documentation, the dataset description, health."""

from pyoxigraph import RdfFormat, parse

VOID = "http://rdfs.org/ns/void#"


def test_ontology_as_html_and_turtle(client):
    html = client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    for fragment in (
        'id="Instrument"',
        "ng:addressesTheme",
        "Domain",
        "Range",
        "Examples",
        "/doc/instrument/unmd-1992",
    ):
        assert fragment in html, fragment
    ttl = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert ttl.mimetype == "text/turtle"
    triples = list(parse(ttl.get_data(), format=RdfFormat.TURTLE))
    assert any(t.object.value == "http://www.w3.org/2002/07/owl#Ontology" for t in triples)


def test_void_describes_counts_endpoint_and_dumps(client):
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    triples = list(parse(response.get_data(), format=RdfFormat.TURTLE))
    by_predicate = {}
    for t in triples:
        by_predicate.setdefault(t.predicate.value, []).append(t.object.value)
    assert by_predicate[VOID + "sparqlEndpoint"][0].endswith("/sparql")
    assert any(url.endswith("normgraph-latest.nq.gz") for url in by_predicate[VOID + "dataDump"])
    assert int(by_predicate[VOID + "triples"][0]) > 1000
    assert VOID + "classPartition" in by_predicate and VOID + "exampleResource" in by_predicate


def test_health_and_readiness(client, make_app, tmp_path):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["status"] == "ready"
    empty = make_app(tmp_path).test_client()
    assert empty.get("/healthz").status_code == 200
    assert empty.get("/readyz").status_code == 503
    assert empty.get("/sparql", query_string={"query": "ASK {}"}).status_code == 503
