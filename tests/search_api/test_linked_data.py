"""Dereferencing: 303 to /doc or /data by Accept, documents with caching headers,
404 for unknown, 301/410 for retired IRIs, ontology terms too."""

import gzip
import json

import pytest
from pyoxigraph import RdfFormat, parse

UNMD = "https://w3id.org/normgraph/id/instrument/unmd-1992"


@pytest.mark.parametrize(
    "accept,location",
    [
        ("text/turtle", "/data/instrument/unmd-1992.ttl"),
        ("application/ld+json", "/data/instrument/unmd-1992.jsonld"),
        ("application/n-triples", "/data/instrument/unmd-1992.nt"),
        ("application/rdf+xml", "/data/instrument/unmd-1992.rdf"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "/doc/instrument/unmd-1992"),
        ("*/*", "/data/instrument/unmd-1992.ttl"),
    ],
)
def test_id_answers_303_by_accept(client, accept, location):
    response = client.get("/id/instrument/unmd-1992", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(location)
    assert "accept" in response.vary.as_set()


def test_unacceptable_and_unknown(client):
    assert (
        client.get("/id/instrument/unmd-1992", headers={"Accept": "image/png"}).status_code == 406
    )
    missing = client.get("/id/instrument/no-such-thing")
    assert missing.status_code == 404 and "not a resource" in missing.get_data(as_text=True)
    assert client.get("/data/instrument/unmd-1992.pdf").status_code == 404
    assert client.get("/doc/instrument/unmd-1992", query_string={"x": "1"}).status_code == 400


def test_data_document_holds_own_inbound_and_labels(client):
    response = client.get("/data/instrument/unmd-1992.ttl")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    triples = list(parse(response.get_data(), format=RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples}
    predicates = {t.predicate.value for t in triples}
    assert UNMD in subjects
    assert f"{UNMD}/art/4/para/3" in subjects, "inbound: its provisions"
    assert "https://w3id.org/normgraph/def/order" in predicates, "provisions carry their order"
    assert any(t.subject.value == "https://w3id.org/normgraph/id/body/ga" for t in triples), (
        "labels of what it links to"
    )


def test_documents_carry_caching_and_alternates(client):
    response = client.get("/data/instrument/unmd-1992.nt")
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "max-age" in response.headers["Cache-Control"]
    assert "accept" in response.vary.as_set()
    link = response.headers["Link"]
    assert 'rel="alternate"; type="text/turtle"' in link and "/doc/instrument/unmd-1992" in link
    again = client.get(
        "/data/instrument/unmd-1992.nt", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get(
        "/data/instrument/unmd-1992.ttl", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert other.status_code == 200, "each representation has its own ETag"


def test_jsonld_uses_the_published_context(client):
    response = client.get("/data/theme/racial-profiling.jsonld")
    document = json.loads(response.get_data())
    assert document["@context"].endswith("/context.jsonld")
    context = client.get("/context.jsonld").json["@context"]
    assert context["skos"] == "http://www.w3.org/2004/02/skos/core#"
    expanded = {**document, "@context": context}
    triples = list(parse(json.dumps(expanded).encode(), format=RdfFormat.JSON_LD))
    assert any(t.object.value == "Racial profiling" for t in triples)


def test_html_page_lists_provisions_in_order(client):
    html = client.get("/doc/instrument/unmd-1992").get_data(as_text=True)
    assert "<title>UN Minorities Declaration" in html
    positions = [html.index(f"UN Minorities Declaration, article {n}<") for n in range(1, 10)]
    assert positions == sorted(positions)
    assert html.index("article 4, paragraph 2<") < html.index("article 4, paragraph 3<")


def test_page_in_another_language(client):
    html = client.get("/doc/theme/racial-profiling", query_string={"lang": "fr"}).get_data(
        as_text=True
    )
    assert "<h1>Profilage racial</h1>" in html
    by_header = client.get("/doc/theme/racial-profiling", headers={"Accept-Language": "es"})
    assert "Elaboración de perfiles raciales" in by_header.get_data(as_text=True)


def test_ontology_terms_dereference(client):
    response = client.get("/def/Instrument", headers={"Accept": "text/turtle"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/data/def/Instrument.ttl"
    )
    data = client.get("/data/def/Instrument.ttl").get_data()
    assert b"skos:definition" in data or b"core#definition" in data


def test_retired_iris_redirect_or_are_gone(make_app, fresh_root):
    token = "t"
    app = make_app(fresh_root, update_token=token).test_client()
    retire = """
      PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX dcterms: <http://purl.org/dc/terms/>
      INSERT DATA { GRAPH <https://w3id.org/normgraph/graph/retired> {
        <https://w3id.org/normgraph/id/theme/old-profiling> owl:deprecated true ;
            dcterms:isReplacedBy <https://w3id.org/normgraph/id/theme/racial-profiling> .
        <https://w3id.org/normgraph/id/theme/gone> owl:deprecated true . } }"""
    done = app.post(
        "/sparql",
        data=retire,
        content_type="application/sparql-update",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert done.status_code == 200
    moved = app.get("/id/theme/old-profiling")
    assert moved.status_code == 301 and moved.headers["Location"].endswith(
        "/id/theme/racial-profiling"
    )
    assert app.get("/id/theme/gone").status_code == 410
    assert app.get("/doc/theme/gone").status_code == 410


def test_dumps_stream_the_whole_dataset(client, release_root):
    from kg.release import Releases

    response = client.get("/dumps/normgraph-latest.nq.gz")
    assert response.status_code == 200 and response.mimetype == "application/n-quads"
    quads = list(parse(gzip.decompress(response.get_data()), format=RdfFormat.N_QUADS))
    assert len(quads) == Releases(release_root).current().manifest.counts["triples"]
    assert client.get("/dumps/normgraph-latest.trig.gz").status_code == 200
    assert client.get("/dumps/other.zip").status_code == 404
