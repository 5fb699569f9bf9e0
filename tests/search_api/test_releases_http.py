"""/releases: the kept releases, each queryable as it was at /releases/{id}/sparql (and no
other release: 404), and each as a pack for `normgraph release pull`."""

from __future__ import annotations

import io

import pytest

from kg.pack import Source, index_release, pull
from kg.progress import silent
from kg.release import Releases

FIXTURE_PRACTICE = (
    "ASK { <https://w3id.org/normgraph/id/practice/fixture-mother-tongue-classes> ?p ?o }"
)


@pytest.fixture(scope="module")
def kept(web_root):
    """The web root holds two releases: the corpus as built, and the one the web
    fixtures' update committed on top of it (current)."""
    releases = Releases(web_root)
    older, current = [r.id for r in releases.kept()]
    assert releases.current().id == current
    return older, current


def _ask(client, path: str, **kwargs):
    response = client.get(
        path, query_string={"query": FIXTURE_PRACTICE, "format": "json"}, **kwargs
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["boolean"], response.headers["X-Normgraph-Release"]


def test_every_kept_release_answers_as_it_was(web_client, kept):
    older, current = kept
    assert _ask(web_client, f"/releases/{older}/sparql") == (False, older)
    assert _ask(web_client, f"/releases/{current}/sparql") == (True, current)
    assert _ask(web_client, "/sparql") == (True, current)
    # POST, like every other SPARQL client may
    response = web_client.post(
        f"/releases/{older}/sparql",
        data=FIXTURE_PRACTICE,
        content_type="application/sparql-query",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.json["boolean"] is False


@pytest.mark.parametrize("release_id", ["20200101T000000Z-00000000", "..", ".staging-1", "current"])
def test_no_other_release_answers(web_client, kept, release_id):
    response = web_client.get(f"/releases/{release_id}/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 404
    assert kept[0] in response.get_data(as_text=True), "the 404 names the kept releases"


def test_a_kept_release_takes_no_update(make_app, web_root, kept):
    client = make_app(web_root, update_token="t").test_client()
    response = client.post(
        f"/releases/{kept[0]}/sparql",
        data="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        content_type="application/sparql-update",
        headers={"Authorization": "Bearer t"},
    )
    assert response.status_code == 403 and "/sparql" in response.get_data(as_text=True)


def test_the_listing_names_each_release_with_its_endpoint_and_pack(web_client, kept):
    listing = web_client.get("/releases").json
    assert listing["current"] == kept[1]
    assert [r["id"] for r in listing["releases"]] == [kept[1], kept[0]]
    older = listing["releases"][1]
    assert older["sparql"].endswith(f"/releases/{kept[0]}/sparql") and not older["current"]
    assert older["pack"].endswith(f"/releases/{kept[0]}.pack")


def test_a_pack_over_http_installs_the_release(web_client, web_root, kept, tmp_path):
    redirect = web_client.get("/releases/current.pack")
    assert redirect.status_code == 302
    assert redirect.headers["Location"].endswith(f"/releases/{kept[1]}.pack")
    response = web_client.get(f"/releases/{kept[0]}.pack")
    assert response.status_code == 200 and response.mimetype == "application/x-tar"
    data = response.get_data()
    assert len(data) == int(response.headers["Content-Length"])
    again = web_client.get(
        f"/releases/{kept[0]}.pack", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    release = pull(Source("pack", io.BytesIO(data), len(data)), Releases(tmp_path), silent())
    assert index_release(release.path) == index_release(Releases(web_root).get(kept[0]).path)
    assert web_client.get("/releases/nope.pack").status_code == 404
