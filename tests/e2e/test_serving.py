"""The service under abuse, against the real `normgraph serve` (gunicorn): the SPARQL
lane (429 with Retry-After when full, a cap per client, everything else unaffected)
and slow clients (half-open connections hold no thread). Behaviour, not timings:
the figures are bench/serving.py's."""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests

from ..conftest import served

LIMIT = 6  # seconds: NORMGRAPH_QUERY_TIMEOUT of this server
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PROBE = "ASK { FILTER(RAND() < 2) }"  # cheap, and never answered from the cache: it takes a place
CHEAP = (
    "healthz",
    "data/instrument/unmd-1992.ttl",
    "api/search?q=minorities",
    "doc/theme/education",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = dict(QUERY_TIMEOUT=str(LIMIT), QUERY_WORKERS="2", QUERIES_PER_CLIENT="1")
    with served(tmp_path_factory.mktemp("serving"), QUERY_WAIT="1", **settings) as server:
        yield server


def _sparql(server, query: str, client: str | None, timeout: float = 30) -> requests.Response:
    """A query from ``client`` (a bearer token), or from the bare address when None."""
    return requests.post(
        server["base"] + "sparql",
        data={"query": query, "format": "json"},
        headers={"Authorization": f"Bearer {client}"} if client else {},
        timeout=timeout,
    )


@contextmanager
def heavy(server, *clients: str | None) -> Iterator[dict]:
    """Slow queries from ``clients``, running while the block runs; their answers
    (status, seconds) land in the yielded dict once the block is left."""
    answers: dict = {}

    def run(client):
        while True:  # until it has a place: on a busy machine a probe may hold one a while
            started = time.monotonic()
            # a query of its own: equal queries share one run (search_api.cache), one place
            response = _sparql(server, f"{HEAVY} # {client}", client)
            if response.status_code != 429:
                break
        answers[client] = (response.status_code, time.monotonic() - started)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    answers["running"] = lambda: all(t.is_alive() for t in threads)
    try:
        yield answers
    finally:
        for thread in threads:
            thread.join()


def _until_refused(server, client: str | None, answers: dict) -> requests.Response:
    """Ask ``client``'s trivial query until the lane refuses it (the slow ones started)."""
    seen = []
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        response = _sparql(server, PROBE, client)
        if response.status_code == 429:
            return response
        seen.append(response.status_code)
        time.sleep(0.1)
    pytest.fail(f"the lane never filled up: {seen}; the slow queries: {answers}")


def test_a_full_lane_answers_429_with_retry_after(server):
    with heavy(server, "slow-1", "slow-2") as answers:
        refused = _until_refused(server, "someone-else", answers)
        assert answers["running"](), "refused while both slow queries held the lane"
    assert int(refused.headers["Retry-After"]) >= 1
    assert "SPARQL place(s) on this server are taken" in refused.text
    for client in ("slow-1", "slow-2"):
        status, seconds = answers[client]
        assert status == 503 and seconds < LIMIT + 10, answers  # stopped at its limit


def test_one_client_cannot_take_the_whole_lane(server):
    with heavy(server, "greedy") as answers:
        refused = _until_refused(server, "greedy", answers)  # its one place is taken
        other = _sparql(server, PROBE, "polite")  # the lane's other place is free
        assert answers["running"]()
    assert "from this client are taken" in refused.text
    assert refused.headers["Retry-After"]
    assert other.status_code == 200 and other.json()["boolean"] is True


def test_without_a_token_the_address_is_the_client(server):
    with heavy(server, None) as answers:
        refused = _until_refused(server, None, answers)
        with_token = _sparql(server, PROBE, "same-address-with-a-token")
    assert "from this client are taken" in refused.text
    assert with_token.status_code == 200, "a token makes a client of its own"


def test_pages_search_and_linked_data_never_wait_behind_sparql(server):
    with heavy(server, "slow-a", "slow-b") as answers:
        _until_refused(server, "probe", answers)
        cheap = {path: requests.get(server["base"] + path, timeout=30) for path in CHEAP}
        assert answers["running"](), "every cheap request was answered while the lane was full"
    assert {path: r.status_code for path, r in cheap.items()} == dict.fromkeys(CHEAP, 200)


def test_sparql_requests_beyond_a_workers_sparql_threads_wait_instead_of_being_refused(server):
    """28 connections, so that one worker holds at least 14 (more than the 12 of its 16
    threads SPARQL may take), each asking at once a query of a client of its own: the
    ones beyond a worker's share wait in its event loop for a thread, and are refused, if
    at all, only once the lane's wait (1 s) is up, never at once."""
    port = int(server["base"].rsplit(":", 1)[1].strip("/"))
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(28)]
    for connection in connections:
        connection.connect()
    start, answers = threading.Barrier(len(connections)), []

    def ask(number: int, connection: http.client.HTTPConnection) -> None:
        query = urllib.parse.urlencode({"query": f"{PROBE} # {number}", "format": "json"})
        start.wait()
        sent = time.monotonic()
        connection.request(
            "GET", f"/sparql?{query}", headers={"Authorization": f"Bearer c{number}"}
        )
        response = connection.getresponse()
        answers.append((response.status, response.read(), time.monotonic() - sent))

    threads = [threading.Thread(target=ask, args=pair) for pair in enumerate(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for connection in connections:
        connection.close()
    assert len(answers) == len(connections)
    for status, body, seconds in answers:
        assert status == 200 or (status == 429 and seconds >= 0.9), (status, body, seconds)


def _half_open(server, count: int) -> list[socket.socket]:
    """Connections that send the start of a request head and then nothing."""
    port = int(server["base"].rsplit(":", 1)[1].strip("/"))
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(sock)
    return sockets


def test_half_open_connections_hold_no_thread(server):
    # more than the threads of both workers together (2 x 16)
    sockets = _half_open(server, 96)
    try:
        for path in CHEAP:
            assert requests.get(server["base"] + path, timeout=10).status_code == 200, path
        query = _sparql(server, PROBE, "after-the-slow-clients", timeout=10)
        assert query.status_code == 200
    finally:
        for sock in sockets:
            sock.close()


def test_a_body_sent_slowly_and_kept_alive_connections_still_work(server):
    port = int(server["base"].rsplit(":", 1)[1].strip("/"))
    body = b"ASK {}"
    head = (
        "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        f"Accept: application/sparql-results+json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for part in (head[:20], head[20:], body[:3], body[3:]):
            sock.sendall(part)
            time.sleep(0.2)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    with requests.Session() as session:  # the second request rides the kept-alive connection
        answers = [session.get(server["base"] + "healthz", timeout=10) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
