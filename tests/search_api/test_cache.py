"""Answers cached by release: a Linked Data document or page is rendered once per
release and equal request, and never served from an older release after `current`
moves; ETag and conditional requests keep working."""

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
