"""Query processes (kg/sparql_pool.py): a child keeps the stores it used last open, so a
query to an older release (/releases/{id}/sparql) does not reopen its store each time."""

from __future__ import annotations

import os
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.sparql_pool import STORES_OPEN, QueryJob, QueryPool


def _release(path: Path, n: int) -> str:
    """A release directory whose store holds one triple naming ``n``."""
    path.mkdir()
    store = Store(str(path / "store"))
    store.add(Quad(NamedNode("urn:x"), NamedNode("urn:n"), Literal(str(n))))
    store.flush()
    del store
    return str(path)


def _job(release: str) -> QueryJob:
    return QueryJob(
        release_path=release,
        text="SELECT ?n WHERE { ?x <urn:n> ?n }",
        base_iri="https://example.org/",
        formats={"solutions": "tsv", "boolean": "tsv", "graph": None},
        max_results=10,
    )


def _open_in(pid: int, releases: list[str]) -> list[int]:
    """Which of ``releases`` the process has files open in."""
    targets = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    return [i for i, r in enumerate(releases) if any(t.startswith(r + "/") for t in targets)]


def test_a_query_process_keeps_the_releases_used_last_open(tmp_path):
    releases = [_release(tmp_path / str(n), n) for n in range(STORES_OPEN + 1)]
    pool = QueryPool(1)
    try:
        for n, release in enumerate(releases):
            assert pool.submit(_job(release), 30).body.splitlines()[1] == f'"{n}"'.encode()
        pid = pool._idle[0].process.pid
        # the first is closed, the later ones stay open (at most STORES_OPEN)
        assert _open_in(pid, releases) == list(range(1, STORES_OPEN + 1))
        pool.submit(_job(releases[1]), 30)  # used again: the least recently used is 2 now
        pool.submit(_job(releases[0]), 30)
        assert _open_in(pid, releases) == [0, 1, *range(3, STORES_OPEN + 1)]
    finally:
        pool.close()
