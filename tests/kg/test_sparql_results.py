"""kg.sparql's capped answers: cut natively in a line format and converted, they
must say the same as pyoxigraph's own writers would, row for row and term for term."""

import io
import time

import pytest
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)

from kg.formats import by_name
from kg.sparql import run

BASE = "https://w3id.org/normgraph/"
ROWS = 3000  # several of the writer's buffers, so a cut falls inside a later one
ODD = 'tab\there, new\nline, "quoted" \\ and é'


def _ex(name: str) -> NamedNode:
    return NamedNode(f"http://example.org/{name}")


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store()
    for i in range(ROWS):
        value = (
            Literal(f"{ODD} {i}", language="en")
            if i % 3 == 0
            else Literal(str(i), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
            if i % 3 == 1
            else BlankNode(f"b{i}")
        )
        store.add(Quad(_ex(f"s{i:05}"), _ex("p"), value, _ex("g")))
    store.add(Quad(_ex("t"), _ex("q"), Triple(_ex("a"), _ex("p"), _ex("b")), _ex("g")))
    return store


def _answer(store: Store, text: str, fmt: str, cap: int | None) -> tuple[bytes, bool]:
    out = io.BytesIO()
    truncated = run(store, text, BASE).write(by_name(fmt), out, cap)
    return out.getvalue(), truncated


def _rows(body: bytes, fmt: str) -> list[tuple]:
    parsed = parse_query_results(body, QueryResultsFormat.from_extension(fmt))
    names = [v.value for v in parsed.variables]
    return [tuple(row[name] for name in names) for row in parsed]


SELECT = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
@pytest.mark.parametrize("cap", [1, 999, ROWS, ROWS + 1, ROWS + 5])
def test_a_capped_select_is_the_first_rows_of_the_full_answer(store, fmt, cap):
    full, cut = _answer(store, SELECT, fmt, None)[0], _answer(store, SELECT, fmt, cap)
    expected = _rows(full, fmt)
    assert _rows(cut[0], fmt) == expected[:cap]
    assert cut[1] is (len(expected) > cap)


def test_csv_is_cut_at_a_row(store):
    body, truncated = _answer(store, SELECT, "csv", 10)
    assert truncated and body.decode().count("\r\n") == 11  # header and 10 rows


def test_select_star_keeps_the_query_order_when_cut(store):
    text = "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s"  # pyoxigraph would give o, p, s
    body, truncated = _answer(store, text, "json", 7)
    parsed = parse_query_results(body, QueryResultsFormat.JSON)
    assert [v.value for v in parsed.variables] == ["s", "p", "o"]
    rows = list(parsed)
    assert truncated and len(rows) == 7
    assert rows[0]["s"] == _ex("s00000") and rows[0]["o"].value.startswith("tab\t")


@pytest.mark.parametrize("fmt,rdf", [("ttl", RdfFormat.TURTLE), ("nq", RdfFormat.N_QUADS)])
def test_a_capped_construct_keeps_whole_triples(store, fmt, rdf):
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    body, truncated = _answer(store, text, fmt, 100)
    assert truncated and len(list(parse(body, format=rdf))) == 100
    body, truncated = _answer(store, text, fmt, ROWS + 1)
    assert not truncated and len(list(parse(body, format=rdf))) == ROWS + 1


def test_a_cut_stops_the_evaluation(store):
    """The cap ends the work too: ROWS² rows would take many seconds to produce."""
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    started = time.monotonic()
    body, truncated = _answer(store, text, "json", 10)
    assert truncated and len(_rows(body, "json")) == 10
    assert time.monotonic() - started < 2
