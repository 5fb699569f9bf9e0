"""Answers cached by release: a Linked Data document or page is rendered once per
release and equal request, and never served from an older release after `current`
moves; ETag and conditional requests keep working."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from search_api.cache import AnswerCache

UNMD = "https://w3id.org/normgraph/id/instrument/unmd-1992"
PATHS = ("/data/instrument/unmd-1992.ttl", "/doc/instrument/unmd-1992")


def _comment_on_unmd(client, text: str) -> None:
    """A new release through the real update path, with one more fact about UNMD."""
    response = client.post(
        "/sparql",
        data=f'INSERT DATA {{ GRAPH <http://example.org/g> {{ <{UNMD}> rdfs:comment "{text}" }} }}',
        content_type="application/sparql-update",
        headers={"Authorization": "Bearer s3cret"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.parametrize("path", PATHS)
def test_the_cache_never_serves_an_older_release(make_app, fresh_root, path):
    app = make_app(fresh_root, update_token="s3cret")
    client = app.test_client()
    first = client.get(path)
    again = client.get(path)
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert len(app.extensions["normgraph"].live().answers) >= 1, "the answer was kept"
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    _comment_on_unmd(client, "written after the first release")
    after = client.get(path)
    assert after.status_code == 200
    assert b"written after the first release" in after.get_data()
    assert after.headers["ETag"] != first.headers["ETag"]
    stale = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert stale.status_code == 200, "an old release's ETag no longer matches"
    fresh = client.get(path, headers={"If-None-Match": after.headers["ETag"]})
    assert fresh.status_code == 304


def test_equal_requests_share_an_answer_and_others_do_not(make_app, release_root):
    app = make_app(release_root)
    client = app.test_client()
    english = client.get("/doc/instrument/unmd-1992").get_data()
    french = client.get("/doc/instrument/unmd-1992?lang=fr").get_data()
    by_header = client.get("/doc/instrument/unmd-1992", headers={"Accept-Language": "fr"})
    assert english != french and b'<html lang="fr"' in french
    assert by_header.get_data() != english, "Accept-Language is part of the key"
    assert client.get("/doc/instrument/unmd-1992").get_data() == english


def test_the_cache_is_bounded_by_size():
    cache = AnswerCache(max_bytes=800)
    for i in range(20):
        assert cache.get(i, lambda i=i: b"x" * 90 + bytes([i])) == b"x" * 90 + bytes([i])
    assert len(cache) == 8  # 8 x 91 bytes fit in 800
    assert cache.get(0, lambda: b"rendered again") == b"rendered again", "the oldest went"
    assert cache.get("huge", lambda: b"y" * 500) == b"y" * 500
    assert "huge" not in cache._items, "one answer may take at most an eighth"
    assert AnswerCache(0).get("k", lambda: "s") == b"s"


COMMENTS = f"SELECT ?c WHERE {{ <{UNMD}> rdfs:comment ?c }}"


def test_sparql_answers_are_kept_per_release(make_app, fresh_root):
    app = make_app(fresh_root, update_token="s3cret")
    client = app.test_client()
    answers = lambda: app.extensions["normgraph"].live().answers  # noqa: E731
    first = client.get("/sparql", query_string={"query": COMMENTS, "format": "json"})
    assert first.status_code == 200 and first.json["results"]["bindings"] == []
    kept = len(answers())
    again = client.post("/sparql", data={"query": COMMENTS}, headers={"Accept": "application/json"})
    assert again.get_data() == first.get_data() and len(answers()) == kept, "one answer, kept"
    as_csv = client.get("/sparql", query_string={"query": COMMENTS, "format": "csv"})
    assert as_csv.mimetype == "text/csv" and len(answers()) == kept + 1, "a format of its own"

    _comment_on_unmd(client, "a fact of the second release")
    after = client.get("/sparql", query_string={"query": COMMENTS, "format": "json"})
    assert [b["c"]["value"] for b in after.json["results"]["bindings"]] == [
        "a fact of the second release"
    ]
    assert after.headers["X-Normgraph-Release"] != first.headers["X-Normgraph-Release"]


def test_answers_that_change_by_themselves_are_not_kept(client):
    query = {"query": "SELECT (RAND() AS ?r) (STRUUID() AS ?u) WHERE {}", "format": "json"}
    first, second = (client.get("/sparql", query_string=query) for _ in range(2))
    assert first.status_code == second.status_code == 200
    assert first.json["results"]["bindings"] != second.json["results"]["bindings"]


@pytest.mark.parametrize("path", ["/.well-known/void", "/ontology"])
def test_descriptions_are_kept_per_release_and_conditional(make_app, fresh_root, path):
    app = make_app(fresh_root, update_token="s3cret")
    client = app.test_client()
    first = client.get(path, headers={"Accept": "text/turtle"})
    assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
    assert (
        client.get(
            path, headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]}
        ).status_code
        == 304
    )
    other = client.get(path, headers={"Accept": "application/n-triples"})
    assert other.headers["ETag"] != first.headers["ETag"], "each format has its own ETag"
    _comment_on_unmd(client, "another release")
    after = client.get(
        path, headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]}
    )
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert after.headers["X-Normgraph-Release"] != first.headers["X-Normgraph-Release"]


def test_repeated_searches_are_answered_once(make_app, search_root):
    app = make_app(search_root)
    client = app.test_client()
    runtime = app.extensions["normgraph"]
    url = "/api/search?q=education+in+the+mother+tongue"
    first = client.get(url)
    kept, remembered = len(runtime.live().answers), len(runtime.encoder._vectors)
    assert first.status_code == 200 and first.json["hits"] and remembered >= 1
    again = client.get(url)
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert len(runtime.live().answers) == kept
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    second_page = client.get(url + "&page=2")
    assert second_page.status_code == 200 and len(runtime.live().answers) == kept + 1
    assert len(runtime.encoder._vectors) == remembered, "the query's vector was not computed again"
    page = client.get("/?q=education+in+the+mother+tongue")
    assert (
        page.status_code == 200 and page.headers["X-Normgraph-Release"] == runtime.live().release.id
    )


def test_equal_requests_during_a_rendering_wait_for_it():
    cache = AnswerCache(max_bytes=1000)
    started, release, renders = threading.Event(), threading.Event(), []

    def slow() -> bytes:
        renders.append(1)
        started.set()
        release.wait(5)
        return b"answer"

    first = threading.Thread(target=cache.get, args=("k", slow))
    first.start()
    started.wait(5)
    with ThreadPoolExecutor(4) as others:
        waiting = [others.submit(cache.get, "k", slow) for _ in range(4)]
        time.sleep(0.1)  # let them find the rendering under way
        release.set()
        assert [w.result(5) for w in waiting] == [b"answer"] * 4
    first.join()
    assert renders == [1], "one rendering for all five"

    def failing() -> bytes:
        started.set()
        release.wait(5)
        raise TimeoutError("stopped at the limit")

    started.clear()
    release.clear()
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(cache.get, "bad", failing)
        started.wait(5)
        waiting = [pool.submit(cache.get, "bad", failing) for _ in range(2)]
        time.sleep(0.1)
        release.set()
        for future in [first, *waiting]:
            with pytest.raises(TimeoutError, match="at the limit"):
                future.result(5)
    assert "bad" not in cache._items and not cache._rendering
