"""Every worked example of the SPARQL editor runs on the real endpoint against a real
release (the embedded corpus with the web fixtures) and gets an answer; those that
the data can answer (`# expects: rows`) get a non-empty one. The `# expects: corpus`
ones need records other issues add (more instruments, practices, ingested
documents): they must still parse and run."""

from __future__ import annotations

import json

import pytest

from kg.vocab import prefixes
from search_api.views.examples import editor_text, examples

EXAMPLES = examples()


def test_there_are_at_least_twelve_documented_examples():
    assert len(EXAMPLES) >= 12
    assert len({e.name for e in EXAMPLES}) == len(EXAMPLES)
    for example in EXAMPLES:
        assert example.title and example.description and example.expects in ("rows", "corpus")


def _answer(client, text: str) -> tuple[int, int]:
    """(status, size): rows of a SELECT, triples of a CONSTRUCT, 1 for a true ASK."""
    response = client.post("/sparql", data={"query": text}, headers={"Accept": "*/*"})
    if response.status_code != 200:
        return response.status_code, 0
    if response.mimetype == "application/sparql-results+json":
        body = json.loads(response.get_data())
        if "boolean" in body:
            return 200, int(body["boolean"])
        return 200, len(body["results"]["bindings"])
    return 200, len([line for line in response.get_data(as_text=True).splitlines() if line])


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_runs_on_a_real_release(web_client, example):
    for text in (example.text, editor_text(example, prefixes("https://w3id.org/normgraph/"))):
        status, size = _answer(web_client, text)
        assert status == 200, f"{example.name}: HTTP {status}"
        if example.expects == "rows":
            assert size > 0, f"{example.name}: empty answer"


def test_fixture_records_answer_the_practice_and_document_examples(web_client):
    by_name = {e.name: e for e in EXAMPLES}
    for name in (
        "11-practices-by-country",
        "13-official-wording",
        "14-passages-mentioning-a-theme",
    ):
        assert _answer(web_client, by_name[name].text)[1] > 0, name
