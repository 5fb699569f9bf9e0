"""Replicas: two real `normgraph serve` processes on separate release roots; the replica
pulls its releases from the primary over HTTP (`normgraph release pull URL`) and then
answers every request as the primary does: same status, ETag, Last-Modified, release
and body."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
import requests

from kg.release import Releases

from ..conftest import copy_release, run_cli, served

IRI = "https://w3id.org/normgraph/id/"
SELECT = (
    "SELECT ?article ?label WHERE { ?article ng:partOfInstrument ?i ; rdfs:label ?label . "
    "?i ng:symbol 'A/RES/47/135' } ORDER BY ?article"
)
CONSTRUCT = f"CONSTRUCT {{ <{IRI}theme/education> ?p ?o }} WHERE {{ <{IRI}theme/education> ?p ?o }}"
PRACTICE = f"ASK {{ <{IRI}practice/fixture-mother-tongue-classes> ?p ?o }}"


@pytest.fixture(scope="module")
def pair(tmp_path_factory, web_root):
    """A primary on a copy of the web root (two releases) and a replica that pulled both."""
    base = tmp_path_factory.mktemp("replicas")
    primary_root = copy_release(web_root, base / "primary")
    older, current = [r.id for r in Releases(primary_root).kept()]
    with served(primary_root, "--workers", "1", build=False) as primary:
        replica_root = base / "replica"
        pulls = []
        for name in (older, "current"):  # current.pack redirects to the current release's
            url = f"{primary['base']}releases/{name}.pack"
            pulls.append(run_cli("release", "pull", url, "--release-dir", str(replica_root)))
            assert pulls[-1].returncode == 0, pulls[-1].stderr
        # the encoder's export is a per-machine cache, not part of a release
        (replica_root / "models").symlink_to((primary_root / "models").resolve())
        with served(replica_root, "--workers", "1", build=False) as replica:
            yield {"primary": primary, "replica": replica, "kept": (older, current), "pulls": pulls}


def _requests(older: str) -> list[tuple[str, dict, dict]]:
    html, turtle = {"Accept": "text/html"}, {"Accept": "text/turtle"}
    json_ = {"format": "json"}
    return [
        ("data/instrument/unmd-1992.ttl", {}, {}),
        ("data/practice/fixture-mother-tongue-classes.jsonld", {}, {}),
        ("doc/instrument/unmd-1992", {}, html),
        ("doc/theme/education", json_, {}),
        ("ontology", {}, turtle),
        (".well-known/void", {}, turtle),
        ("sparql", {"query": SELECT, **json_}, {}),
        ("sparql", {"query": CONSTRUCT}, turtle),
        (f"releases/{older}/sparql", {"query": PRACTICE, **json_}, {}),
    ]


def _body(response: requests.Response) -> bytes | dict:
    if response.url.split("?")[0].endswith("/api/search"):
        answer = response.json()
        answer.pop(
            "took_ms"
        )  # how long this server took to render it, the one part that may differ
        return answer
    return response.content


def test_the_replica_pulled_over_http_with_progress(pair):
    older, current = pair["kept"]
    assert [p.stdout.strip() for p in pair["pulls"]] == [older, current]
    assert f"[pull] current -> {current}" in pair["pulls"][1].stderr
    assert "[pull] read " in pair["pulls"][1].stderr
    assert Releases(pair["replica"]["root"]).current().id == current


SEARCHES = [
    ("api/search", {"q": "mother tongue education"}, {}),
    ("api/search", {"q": "racial profiling by the police", "type": "provision"}, {}),
]


def test_a_replica_answers_as_the_primary_does(pair):
    _compare(pair, _requests(pair["kept"][0]))


def test_a_replica_searches_as_the_primary_does(pair):
    """Found by this test: a hit's matched concepts came in a set's order, which the
    process's hash seed decides, so two servers gave different bodies under one ETag."""
    _compare(pair, SEARCHES)


def _compare(pair, sample) -> None:
    primary, replica = pair["primary"]["base"], pair["replica"]["base"]
    host = urlsplit(primary).netloc  # behind a load balancer, both see the public host
    for path, params, headers in sample:
        headers = {**headers, "Host": host}
        one = requests.get(primary + path, params=params, headers=headers, timeout=60)
        two = requests.get(replica + path, params=params, headers=headers, timeout=60)
        assert one.status_code == two.status_code == 200, (path, one.text[:300], two.text[:300])
        for header in ("ETag", "Last-Modified", "X-Normgraph-Release", "Content-Type"):
            assert one.headers.get(header) == two.headers.get(header), (path, header)
        assert _body(one) == _body(two), path
        if "ETag" in one.headers:  # a client that saw the primary's answer revalidates anywhere
            again = requests.get(
                replica + path,
                params=params,
                headers={**headers, "If-None-Match": one.headers["ETag"]},
                timeout=60,
            )
            assert again.status_code == 304, path
    listing = requests.get(replica + "releases", timeout=10).json()
    assert [r["id"] for r in listing["releases"]] == list(reversed(pair["kept"]))
    json.dumps(listing)  # plain JSON
