"""End to end: the real `normgraph serve` (gunicorn, 2 workers) on 127.0.0.1, a
release whose base IRI is that server, and standard clients: SPARQLWrapper,
rdflib, curl."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest
import requests
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from ..conftest import NORMGRAPH, selected_rows, served


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with served(tmp_path_factory.mktemp("served"), QUERY_TIMEOUT="2") as server:
        yield server


def _wrapper(server, query, fmt):
    sparql = SPARQLWrapper(server["base"] + "sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql.query()


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(server, fmt):
    query = (
        "SELECT ?a WHERE { ?a a ng:Article ; ng:partOfInstrument ?i . ?i ng:symbol 'A/RES/47/135' }"
    )
    result = _wrapper(server, query, fmt)
    assert selected_rows(result.convert(), fmt) == 9


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(server, fmt):
    converted = _wrapper(server, "ASK { ?s a ng:Declaration }", fmt).convert()
    if fmt == JSON:
        assert converted["boolean"] is True
    else:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, XML, JSONLD])
def test_sparqlwrapper_construct(server, fmt):
    query = (
        "CONSTRUCT { ?a ?p ?o } WHERE { ?a a ng:Article ; ng:partOfInstrument ?i ; ?p ?o . "
        "?i ng:symbol 'A/RES/47/135' }"
    )
    converted = _wrapper(server, query, fmt).convert()
    graph = (
        converted
        if isinstance(converted, Graph)
        else Graph().parse(
            data=converted, format={TURTLE: "turtle", N3: "n3", JSONLD: "json-ld"}.get(fmt, "xml")
        )
    )
    assert len(set(graph.subjects())) == 9


def test_rdflib_dereferences_an_iri(server):
    iri = server["base"] + "id/instrument/unmd-1992"
    graph = Graph().parse(iri)
    assert (URIRef(iri), None, None) in graph
    assert (
        len(list(graph.subjects(predicate=URIRef(server["base"] + "def/partOfInstrument")))) == 29
    )


def test_curl_follows_the_303(server):
    iri = server["base"] + "id/theme/racial-profiling"
    out = subprocess.run(
        ["curl", "-sS", "-L", "-H", "Accept: text/turtle", iri],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    assert out.startswith("@prefix") and "Racial profiling" in out


def test_a_slow_query_is_stopped_while_others_are_served(server):
    heavy = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome = {}

    def slow():
        started = time.monotonic()
        response = requests.get(server["base"] + "sparql", params={"query": heavy}, timeout=60)
        outcome["slow"] = (response.status_code, time.monotonic() - started, response.text)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    quick = requests.get(  # another client: one address runs one query at a time
        server["base"] + "sparql",
        params={"query": "ASK {}", "format": "json"},
        headers={"Authorization": "Bearer another-client"},
        timeout=10,
    )
    quick_seconds = time.monotonic() - started
    thread.join()
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    assert quick_seconds < 1.5, "answered while the slow query was running"
    status, seconds, text = outcome["slow"]
    assert status == 503 and "time limit" in text and seconds < 10


def test_a_new_release_goes_live_without_restart(server):
    base = server["base"]
    first = requests.get(base + "readyz", timeout=5).json()["release"]
    errors = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            r = requests.get(
                base + "sparql", params={"query": "ASK {}", "format": "json"}, timeout=10
            )
            if r.status_code != 200:
                errors.append(r.status_code)

    pollers = [threading.Thread(target=poll) for _ in range(2)]
    for p in pollers:
        p.start()
    subprocess.run([NORMGRAPH, "build", "-q", "--base-iri", base], env=server["env"], check=True)
    time.sleep(0.5)
    stop.set()
    for p in pollers:
        p.join()
    assert not errors, errors
    seen = {requests.get(base + "readyz", timeout=5).json()["release"] for _ in range(6)}
    assert seen and first not in seen, "every worker switched to the new release"
