"""What normgraph sends an external engine: the release's graphs as the dataset, the
query's own graph names mapped, and graph variables it cannot keep faithful refused.
(The engines themselves: tests/e2e/test_external_engine.py.)"""

import pytest

from kg.sparql import Dataset
from kg.sparql_remote import Engine, NotFaithful, uses_functions

BASE = "https://w3id.org/normgraph/"
A, B = f"{BASE}graph/a", f"{BASE}graph/b"
NONE = "urn:normgraph:none"  # the empty graph each release lists
ENGINE = Engine("http://127.0.0.1:1/sparql", "R1", (A, B))


def _in(graph: str) -> str:
    return f"urn:normgraph:release:R1:{graph}"


def test_no_dataset_means_the_union_of_the_release_graphs():
    text, (default, named) = ENGINE.prepare("SELECT * { ?s ng:p ?o }", BASE, Dataset(), None)
    assert default == [_in(A), _in(B)]
    assert named == [_in(A), _in(B), _in("urn:normgraph:none")]
    assert text.startswith(f"BASE <{BASE}>\nPREFIX ng: <{BASE}def/>\n")


def test_from_clauses_become_the_protocol_dataset_in_release_names():
    query = "PREFIX x: <http://e/> SELECT * FROM x:a FROM NAMED <b> WHERE { GRAPH ?g { ?s ?p ?o } }"
    text, (default, named) = ENGINE.prepare(query, BASE, Dataset(), "http://end/sparql")
    assert "FROM" not in text
    assert (default, named) == ([_in("http://e/a")], [_in("http://end/b"), _in(NONE)])


def test_the_protocol_dataset_wins_and_an_empty_part_stays_empty():
    query = f"SELECT * FROM <{B}> WHERE {{ ?s ?p ?o }}"
    _, (default, named) = ENGINE.prepare(query, BASE, Dataset(default=(A,)), None)
    assert default == [_in(A)]
    assert named == [_in(NONE)]


def test_graph_constants_are_mapped_and_one_outside_the_dataset_is_empty():
    query = "SELECT * { GRAPH <graph/a> { ?s ?p ?o } GRAPH <graph/c> { ?s ?p ?o } }"
    text, _ = ENGINE.prepare(query, BASE, Dataset(), None)
    assert f"GRAPH <{_in(A)}>" in text and f"GRAPH <{_in(NONE)}>" in text


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY DESC(?g)",
        "CONSTRUCT { ?s <urn:in> ?g } WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * { GRAPH ?g { ?s ?p ?o } GRAPH ?g { ?o ?q ?r } }",
    ],
)
def test_graph_variables_that_only_name_graphs_pass(query):
    ENGINE.prepare(query, BASE, Dataset(), None)


@pytest.mark.parametrize(
    "query",
    [
        "DESCRIBE ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT ?h { GRAPH ?g { ?s ?p ?o } BIND(?g AS ?h) }",
        "SELECT ?n { GRAPH ?g { ?s ?p ?o } } ORDER BY STRLEN(STR(?g))",
    ],
)
def test_graph_variables_used_as_values_are_refused(query):
    with pytest.raises(NotFaithful, match="cannot be answered faithfully"):
        ENGINE.prepare(query, BASE, Dataset(), None)


def test_normgraph_functions_are_recognised_under_any_prefix():
    assert uses_functions('SELECT * { BIND(ngf:similarity(?p, "x") AS ?s) }', BASE)
    assert uses_functions(
        f'PREFIX f: <{BASE}fn/> SELECT * {{ BIND(f:similarity("a", "b") AS ?s) }}', BASE
    )
    assert not uses_functions("SELECT * { ?s ng:similarity ?o }", BASE)
