"""`normgraph serve --front`: nginx in front of the workers, against the real
processes. Release-bound answers come from the front's cache after the first,
with the same body, ETag and release; a release switch is followed at once;
health checks and writes always reach the workers; the server stops when its
front dies."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from ..conftest import served

UNMD = "instrument/unmd-1992"
CACHED = (
    f"data/{UNMD}.ttl",
    f"doc/{UNMD}",
    "api/search?q=minority+languages+in+schools",
    "sparql?query=ASK+%7B+%3Fs+a+ng%3ADeclaration+%7D&format=json",
    "ontology",
    ".well-known/void",
)


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    with served(tmp_path_factory.mktemp("front"), "--front", UPDATE_TOKEN="s3cret") as server:
        yield server


def _get(front, path: str, **headers: str) -> requests.Response:
    return requests.get(front["base"] + path, headers=headers, timeout=30)


@pytest.mark.parametrize("path", CACHED)
def test_release_bound_answers_come_from_the_front_after_the_first(front, path):
    first, second = _get(front, path), _get(front, path)
    assert first.status_code == second.status_code == 200
    assert first.headers["X-Normgraph-Front"] in ("MISS", "HIT")
    assert second.headers["X-Normgraph-Front"] == "HIT"
    assert second.content == first.content
    assert second.headers["X-Normgraph-Release"] == first.headers["X-Normgraph-Release"]
    assert second.headers.get("ETag") == first.headers.get("ETag")
    if "ETag" in first.headers:
        again = _get(front, path, **{"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304


def test_each_negotiated_answer_is_kept_apart(front):
    turtle = _get(front, f"id/{UNMD}", Accept="text/turtle")
    triples = _get(front, f"data/{UNMD}.nt")
    french = _get(front, f"doc/{UNMD}", **{"Accept-Language": "fr"})
    english = _get(front, f"doc/{UNMD}", **{"Accept-Language": "en"})
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    assert triples.headers["Content-Type"].startswith("application/n-triples")
    assert b'<html lang="fr"' in french.content and b'<html lang="en"' in english.content


def test_health_checks_and_writes_always_reach_the_workers(front):
    for _ in range(2):
        health = _get(front, "readyz")
        assert health.status_code == 200 and "X-Normgraph-Front" not in health.headers
        posted = requests.post(
            front["base"] + "sparql", data={"query": "ASK {}", "format": "json"}, timeout=30
        )
        assert posted.status_code == 200 and posted.headers.get("X-Normgraph-Front") != "HIT"


def test_the_front_follows_a_release_switch_at_once(front):
    path = f"data/{UNMD}.ttl"
    before = _get(front, path)
    assert _get(front, path).headers["X-Normgraph-Front"] == "HIT"
    iri = front["base"] + f"id/{UNMD}"
    insert = f'GRAPH <http://example.org/g> {{ <{iri}> rdfs:comment "switched" }}'
    update = requests.post(
        front["base"] + "sparql",
        data=f"INSERT DATA {{ {insert} }}",
        headers={"Authorization": "Bearer s3cret", "Content-Type": "application/sparql-update"},
        timeout=300,
    )
    assert update.status_code == 200, update.text
    after = _get(front, path)
    assert after.headers["X-Normgraph-Release"] == update.headers["X-Normgraph-Release"]
    assert after.headers["X-Normgraph-Release"] != before.headers["X-Normgraph-Release"]
    assert after.headers["X-Normgraph-Front"] == "MISS" and b"switched" in after.content
    stale = _get(front, path, **{"If-None-Match": before.headers["ETag"]})
    assert stale.status_code == 200, "the older release's ETag no longer matches"


def test_the_server_stops_when_its_front_dies(front):
    """Last: it ends the module's server."""
    masters = subprocess.run(
        ["pgrep", "-f", "nginx: master process .*normgraph-front"], capture_output=True, text=True
    ).stdout.split()
    mine = [p for p in masters if _child_of(int(p), front["process"].pid)]
    assert len(mine) == 1, masters
    os.kill(int(mine[0]), signal.SIGKILL)
    deadline = time.monotonic() + 30
    while front["process"].poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert front["process"].poll() is not None, "the workers outlived their front"
    assert not _in_group(int(mine[0])), "nginx's own workers outlived their master"


def _in_group(group: int) -> list[int]:
    """Processes still in the process group ``group`` (nginx's master started it)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended while we looked
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _child_of(pid: int, parent: int) -> bool:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1]) == parent
