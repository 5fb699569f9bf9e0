"""The Graph Store HTTP Protocol, read side: every named graph VoID lists, the default
graph, content negotiation, and refusals (404 unknown graph, 405 writes)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import rdflib

VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"


def _void(client) -> rdflib.Graph:
    text = client.get("/.well-known/void", headers={"Accept": "text/turtle"}).get_data(True)
    return rdflib.Graph().parse(data=text, format="turtle")


def test_every_named_graph_in_void_is_served_with_its_triples(client):
    void = _void(client)
    subsets = list(void.subjects(rdflib.RDF.type, rdflib.URIRef(SD + "NamedGraph")))
    assert len(subsets) >= 30
    for subset in subsets:
        name = str(void.value(subset, rdflib.URIRef(SD + "name")))
        count = int(void.value(subset, rdflib.URIRef(VOID + "triples")))
        dump = urlsplit(str(void.value(subset, rdflib.URIRef(VOID + "dataDump"))))
        response = client.get(
            f"{dump.path}?{dump.query}", headers={"Accept": "application/n-triples"}
        )
        assert response.status_code == 200 and response.mimetype == "application/n-triples", name
        lines = [line for line in response.get_data(as_text=True).splitlines() if line.strip()]
        assert len(lines) == count, name


def test_default_graph_is_the_union_and_head_answers_without_a_body(client):
    whole = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert whole.status_code == 200
    triples = {line for line in whole.get_data(as_text=True).splitlines() if line.strip()}
    themes = client.get(
        "/store",
        query_string={"graph": "https://w3id.org/normgraph/graph/ontology/themes"},
        headers={"Accept": "application/n-triples"},
    ).get_data(as_text=True)
    assert {line for line in themes.splitlines() if line.strip()} <= triples
    head = client.head("/store?default")
    assert head.status_code == 200 and head.data == b"" and head.mimetype == "text/turtle"


@pytest.mark.parametrize(
    "accept,mimetype",
    [
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/turtle;q=0.5, application/n-triples", "application/n-triples"),
    ],
)
def test_formats_by_accept(client, accept, mimetype):
    graph = "https://w3id.org/normgraph/graph/ontology/unbis-alignment"
    response = client.get("/store", query_string={"graph": graph}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == mimetype
    assert "metadata.un.org/thesaurus/1002612" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_writes_are_refused_with_405(client, method):
    response = getattr(client, method)("/store?default", data="<a> <b> <c> .")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert "SPARQL Update" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query,status",
    [
        ({"graph": "https://w3id.org/normgraph/graph/nothing"}, 404),
        ({"graph": "not an iri"}, 404),
        ({}, 400),
        ({"graph": "https://w3id.org/normgraph/graph/ontology/themes", "default": ""}, 400),
        ({"default": "yes"}, 400),
        ({"default": "", "format": "csv"}, 400),
        ({"default": "", "limit": "3"}, 400),
    ],
)
def test_bad_requests(client, query, status):
    assert client.get("/store", query_string=query).status_code == status


def test_openapi_documents_reconcile_and_store(client):
    paths = client.get("/openapi.json").json["paths"]
    assert {"/reconcile", "/reconcile/preview", "/reconcile/suggest/entity"} <= set(paths)
    assert {"get", "post"} <= set(paths["/reconcile"])
    assert "405" in paths["/store"]["put"]["responses"]
