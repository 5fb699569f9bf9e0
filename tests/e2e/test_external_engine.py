"""SPARQL on the two external engines the tests start themselves (tests/sparql_engines.py):
standard clients over HTTP, graph names as the public ones, what cannot be mapped
refused, normgraph's time limit, and publishing a release while queries run."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper
from werkzeug.serving import make_server

from kg.config import Settings
from tests.conftest import copy_release, selected_rows
from tests.sparql_engines import ENGINES, free_port

BASE = "https://w3id.org/normgraph/"
BODIES = f"{BASE}graph/corpus/bodies"
PROVISIONS = (
    "SELECT ?a WHERE { ?a a ng:Article ; ng:partOfInstrument ?i . ?i ng:symbol 'A/RES/47/135' }"
)
# a few million comparisons: seconds of work that end by themselves (Oxigraph's server keeps
# computing after its client has gone, so nothing longer belongs in a test)
CROSS = (
    "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?c WHERE { ?a ?b ?c } LIMIT 1500 } "
    "{ SELECT ?i WHERE { ?g ?h ?i } LIMIT 1500 } FILTER(STR(?c) < STR(?i)) }"
)


@pytest.fixture(scope="module", params=ENGINES)
def engine_app(request, web_root, engines):
    from search_api.app import create_app

    engine = engines.settings(request.param, web_root)
    app = create_app(Settings.load(environ={}, release_dir=web_root, **engine))
    app.testing = True
    yield app
    app.extensions["normgraph"].close()


@pytest.fixture(scope="module")
def engine_url(engine_app):
    """The engine-backed app behind a real HTTP server, for clients that need one."""
    server = make_server("127.0.0.1", free_port(), engine_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()


def _wrapper(url: str, query: str, fmt: str):
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql.query().convert()


@pytest.mark.parametrize("fmt", [JSON, XML, CSV])
def test_sparqlwrapper_select(engine_url, fmt):
    assert selected_rows(_wrapper(engine_url, PROVISIONS, fmt), fmt) == 9


def test_sparqlwrapper_ask_and_construct(engine_url):
    assert _wrapper(engine_url, "ASK { ?s a ng:Declaration }", JSON)["boolean"] is True
    assert _wrapper(engine_url, "ASK { ?s a ng:NoSuchClass }", JSON)["boolean"] is False
    query = PROVISIONS.replace("SELECT ?a WHERE", "CONSTRUCT { ?a ?p ?o } WHERE").replace(
        " . ?i", " ; ?p ?o . ?i"
    )
    graph = Graph().parse(data=_wrapper(engine_url, query, TURTLE), format="turtle")
    assert len(set(graph.subjects())) == 9


def test_rdflib_sparql_store(engine_url):
    store = SPARQLStore(engine_url, returnFormat="json")
    rows = list(store.query(f"SELECT ?b WHERE {{ ?b a <{BASE}def/TreatyBody> }}"))
    assert rows and all(isinstance(row[0], URIRef) for row in rows)


def _get(app, query: str, **params) -> tuple[int, dict | str]:
    response = app.test_client().get(
        "/sparql",
        query_string={"query": query, **params},
        headers={"Accept": "application/sparql-results+json"},
    )
    body = response.get_data(as_text=True)
    return response.status_code, json.loads(body) if response.status_code == 200 else body


def _values(body: dict, name: str) -> list[str]:
    return sorted(row[name]["value"] for row in body["results"]["bindings"] if name in row)


def test_graph_names_are_the_public_ones(engine_app, web_root):
    from search_api.app import create_app

    embedded = create_app(Settings.load(environ={}, release_dir=web_root))
    try:
        query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY DESC(?g)"
        status, engine_body = _get(engine_app, query)
        assert status == 200, engine_body
        names = _values(engine_body, "g")
        assert names == _values(_get(embedded, query)[1], "g")
        assert BODIES in names and not any("urn:normgraph" in g for g in names)
    finally:
        embedded.extensions["normgraph"].close()


def test_the_query_and_the_protocol_name_graphs_by_their_public_names(engine_app):
    count = "SELECT (COUNT(*) AS ?n) FROM_CLAUSE WHERE { ?s ?p ?o }"
    _, own = _get(engine_app, count.replace("FROM_CLAUSE", f"FROM <{BODIES}>"))
    _, protocol = _get(
        engine_app, count.replace("FROM_CLAUSE", ""), **{"default-graph-uri": BODIES}
    )
    inside = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BODIES}> {{ ?s ?p ?o }} }}"
    _, graph = _get(engine_app, inside)
    _, named = _get(
        engine_app,
        f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{BODIES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} "
        "GROUP BY ?g",
    )
    n = own["results"]["bindings"][0]["n"]["value"]
    assert int(n) > 0
    assert protocol["results"]["bindings"][0]["n"]["value"] == n
    assert graph["results"]["bindings"][0]["n"]["value"] == n
    assert [(r["g"]["value"], r["n"]["value"]) for r in named["results"]["bindings"]] == [
        (BODIES, n)
    ]


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g = <{BODIES}>) }}",
        "SELECT (STR(?g) AS ?name) WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT ?t WHERE { GRAPH ?g { ?s ?p ?o } ?g ?q ?t }",
        f"SELECT ?s WHERE {{ VALUES ?g {{ <{BODIES}> }} GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
    ids=["filter", "expression", "joined", "values"],
)
def test_a_graph_name_used_as_a_value_is_refused_with_the_reason(engine_app, query):
    status, body = _get(engine_app, query)
    assert status == 400
    assert "names a graph" in body and "cannot be answered faithfully" in body


def test_similarity_queries_run_on_the_embedded_store(engine_app):
    query = (
        'SELECT ?p ?score WHERE { ?p a ng:Provision . BIND(ngf:similarity(?p, "education") '
        "AS ?score) FILTER(BOUND(?score)) } ORDER BY DESC(?score) LIMIT 3"
    )
    status, body = _get(engine_app, query)
    assert status == 200, body
    assert len(body["results"]["bindings"]) == 3


def test_service_stays_refused_and_syntax_errors_are_normgraphs(engine_app):
    status, body = _get(engine_app, "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    assert status == 403 and "SERVICE" in body
    status, body = _get(engine_app, "SELECT WHERE {")
    assert status == 400 and "does not parse" in body


def test_the_time_limit_holds_on_the_engine(engine_app):
    """The engines' own limits are set far above (tests/sparql_engines.py): normgraph's holds."""
    started = time.monotonic()
    status, body = _get(engine_app, CROSS, timeout="1")
    elapsed = time.monotonic() - started
    assert status == 503 and "time limit of 1 s" in body, body
    assert elapsed < 3, elapsed


# ---------------------------------------------------------------- the switch
SWITCH_GRAPH = f"{BASE}graph/switch-test"
JSON_RESULTS = "application/sparql-results+json"
CENSUS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g # %d"


@pytest.mark.parametrize("name", ENGINES)
def test_publishing_while_queries_run(name, web_root, engines, tmp_path):
    """A new release goes onto the engine while four clients query: no errors, and every
    answer is exactly one release's (the one its X-Normgraph-Release names)."""
    from kg.publish import publishing
    from kg.release import Releases
    from kg.update import apply
    from search_api.app import create_app

    root = copy_release(web_root, tmp_path / "releases")
    engine = engines.settings(name, root)
    settings = Settings.load(environ={}, release_dir=root, **engine)
    app = create_app(Settings.load(environ={}, release_dir=root, query_workers=4, **engine))
    old = Releases(root).current().id
    stop, counter, lock = threading.Event(), iter(range(10**9)), threading.Lock()

    def census(_: int) -> list[tuple[str, dict[str, int]]]:
        client, seen = app.test_client(), []
        while not stop.is_set() or len(seen) < 3:
            with lock:
                n = next(counter)  # a new text each time: no answer comes from the cache
            response = client.get(
                "/sparql",
                query_string={"query": CENSUS % n},
                headers={"Accept": JSON_RESULTS, "Authorization": f"Bearer {n}"},
            )
            assert response.status_code == 200, response.get_data(as_text=True)
            rows = json.loads(response.get_data())["results"]["bindings"]
            counts = {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
            seen.append((response.headers["X-Normgraph-Release"], counts))
        return seen

    try:
        with ThreadPoolExecutor(4) as pool:
            readers = [pool.submit(census, i) for i in range(4)]
            time.sleep(0.5)
            new = apply(
                Releases(root),
                f'INSERT DATA {{ GRAPH <{SWITCH_GRAPH}> {{ <urn:x> <urn:y> "new" }} }}',
                finalize=publishing(settings),
            ).id
            time.sleep(0.5)
            stop.set()
            answers = [a for reader in readers for a in reader.result()]
    finally:
        app.extensions["normgraph"].close()
    by_release = {old: [], new: []}
    for release, counts in answers:
        by_release[release].append(counts)
    assert by_release[old] and by_release[new], {k: len(v) for k, v in by_release.items()}
    before = by_release[old][0]
    assert SWITCH_GRAPH not in before
    assert all(counts == before for counts in by_release[old])
    assert all(counts == {**before, SWITCH_GRAPH: 1} for counts in by_release[new])


# ---------------------------------------------------------------- the web pages
PAGES = [
    ("/data/instrument/unmd-1992.ttl", "*/*"),
    ("/data/instrument/unmd-1992.jsonld", "*/*"),
    ("/data/theme/racial-profiling.nt", "*/*"),
    ("/data/def/Instrument.ttl", "*/*"),
    ("/ontology", "text/html"),
    ("/ontology?lang=fr", "text/html"),
    ("/api/concepts?lang=es", "*/*"),
    ("/", "text/html"),
    ("/doc/instrument/unmd-1992", "text/html"),
]


def test_pages_render_the_same_through_the_engine(web_root, engines, web_client, monkeypatch):
    """The pages' own SPARQL (Linked Data descriptions, ontology documentation, concept
    schemes) runs on the engine, and gives the embedded store's bytes under its ETag."""
    from kg.sparql_remote import Engine
    from search_api.app import create_app

    asked = []
    run = Engine.run
    monkeypatch.setattr(Engine, "run", lambda self, *a, **k: asked.append(1) or run(self, *a, **k))
    engine = engines.settings("oxigraph", web_root)
    app = create_app(Settings.load(environ={}, release_dir=web_root, **engine))
    try:
        client = app.test_client()
        for path, accept in PAGES:
            here = web_client.get(path, headers={"Accept": accept})
            there = client.get(path, headers={"Accept": accept})
            assert (here.status_code, there.status_code) == (200, 200), path
            assert there.headers.get("ETag") == here.headers.get("ETag"), path
            assert there.get_data() == here.get_data(), path
    finally:
        app.extensions["normgraph"].close()
    assert len(asked) >= 7  # each but the resource page asked the engine
