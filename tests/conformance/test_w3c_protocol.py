"""Every test of the W3C SPARQL 1.1 Protocol manifest, replayed against the app.

The endpoint runs with an update token (the protocol's update tests need updates)
and the harness sends it as a bearer token with each update request, as an
authorised client would. Graph data named by ``ut:graphData`` is loaded first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import QueryResultsFormat, parse_query_results
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

from tests.sparql_engines import ENGINES

HERE = Path(__file__).parent / "w3c-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
TOKEN = "conformance-token"
RESULT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": (
        "text/turtle",
        "application/n-triples",
        "application/rdf+xml",
        "application/ld+json",
        "application/trig",
        "application/n-quads",
    ),
}


def _manifest() -> tuple[Graph, list[URIRef]]:
    graph = Graph()
    graph.parse(HERE / "manifest.ttl", format="turtle", publicID=(HERE / "manifest.ttl").as_uri())
    manifest = next(graph.subjects(MF.entries, None))
    return graph, list(Collection(graph, graph.value(manifest, MF.entries)))


GRAPH, TESTS = _manifest()


def _requests(test: URIRef) -> list[dict]:
    action = GRAPH.value(test, MF.action)
    out = []
    for req in Collection(GRAPH, GRAPH.value(action, HT.requests)):
        headers = {}
        header_list = GRAPH.value(req, HT.headers)
        for header in Collection(GRAPH, header_list) if header_list else []:
            headers[str(GRAPH.value(header, HT.fieldName))] = str(
                GRAPH.value(header, HT.fieldValue)
            )
        body = GRAPH.value(req, HT.body)
        resp = GRAPH.value(req, HT.resp)
        out.append(
            {
                "method": str(GRAPH.value(req, HT.methodName)),
                "path": str(GRAPH.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                "headers": headers,
                "body": str(GRAPH.value(body, CNT.chars)) if body else None,
                "status": {
                    str(s).rsplit("#StatusCode", 1)[-1]
                    for s in GRAPH.objects(resp, MF.expectedStatus)
                },
                "format": str(GRAPH.value(resp, MF.expectedFormat) or ""),
                "boolean": GRAPH.value(resp, MF.expectedBoolean),
            }
        )
    return out


def _is_update(request: dict) -> bool:
    content_type = request["headers"].get("content-type", "")
    return "sparql-update" in content_type or (request["body"] or "").startswith("update=")


def _load_graph_data(client, test: URIRef) -> None:
    for data in GRAPH.objects(test, UT.graphData):
        name = str(GRAPH.value(data, RDFS.label))
        triples = (HERE / Path(str(GRAPH.value(data, UT.graph))).name).read_text()
        if _holds(client, name, triples):
            continue  # the same data as an earlier test left: no new release to build
        response = client.post(
            "/sparql",
            data=f"INSERT DATA {{ GRAPH <{name}> {{ {triples} }} }}",
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
        )
        assert response.status_code == 200, response.get_data(as_text=True)


def _holds(client, name: str, triples: str) -> bool:
    response = client.post(
        "/sparql",
        data={"query": f"ASK {{ GRAPH <{name}> {{ {triples} }} }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["boolean"]


@pytest.fixture(scope="module", params=["embedded", *ENGINES])
def endpoint(request, release_root, tmp_path_factory, engines):
    """One endpoint for the whole manifest, on a private copy of the release: the tests
    run in manifest order and set up their own data, as against a real server (and the
    update process loads the embedding model once, not once per test). Once on the
    embedded store, once on each external engine (every update publishes its release)."""
    import shutil

    from kg.config import Settings
    from search_api.app import create_app

    root = tmp_path_factory.mktemp("protocol") / "releases"
    shutil.copytree(release_root, root, symlinks=True)
    engine = {} if request.param == "embedded" else engines.settings(request.param, root)
    app = create_app(Settings.load(environ={}, release_dir=root, update_token=TOKEN, **engine))
    yield app.test_client()
    app.extensions["normgraph"].close()


@pytest.mark.parametrize("test", TESTS, ids=[t.rsplit("#", 1)[-1] for t in TESTS])
def test_protocol(endpoint, test):
    _load_graph_data(endpoint, test)
    for request in _requests(test):
        headers = dict(request["headers"])
        if _is_update(request):
            headers["Authorization"] = f"Bearer {TOKEN}"
        body = request["body"].encode("utf-8") if request["body"] is not None else None
        response = endpoint.open(
            request["path"], method=request["method"], headers=headers, data=body
        )
        text = response.get_data(as_text=True)
        status_class = f"{response.status_code // 100}xx"
        assert status_class in request["status"], f"{response.status_code}: {text[:500]}"
        if request["format"]:
            media = response.mimetype
            assert media in RESULT_TYPES[request["format"]], media
        if request["boolean"] is not None:
            fmt = QueryResultsFormat.from_media_type(response.mimetype)
            result = parse_query_results(response.get_data(), fmt)
            assert bool(result) == request["boolean"].toPython()
