"""The JSON API: suggestions in every language, concept schemes, parameter errors."""

import pytest


def test_suggest_matches_labels_in_any_language(client):
    english = client.get("/api/suggest", query_string={"q": "racial prof"}).json
    assert english["suggestions"][0]["iri"].endswith("/id/theme/racial-profiling")
    french = client.get("/api/suggest", query_string={"q": "profilage", "lang": "fr"}).json
    top = french["suggestions"][0]
    assert top["label"] == "Profilage racial" and top["page"] == "/doc/theme/racial-profiling"
    accents = client.get("/api/suggest", query_string={"q": "egalite"}).json
    assert any(s["iri"].endswith("equality-non-discrimination") for s in accents["suggestions"])
    symbol = client.get("/api/suggest", query_string={"q": "A/RES/47"}).json
    assert symbol["suggestions"][0]["iri"].endswith("/id/instrument/unmd-1992")
    assert symbol["suggestions"][0]["kind"] == "instrument"


def test_suggest_limit_and_one_per_resource(client):
    found = client.get("/api/suggest", query_string={"q": "m", "limit": "5"}).json["suggestions"]
    assert len(found) == 5 and len({s["iri"] for s in found}) == 5


@pytest.mark.parametrize(
    "query,fragment",
    [
        ({}, "'q' is required"),
        ({"q": " "}, "'q' is required"),
        ({"q": "x", "limit": "0"}, "between 1 and 50"),
        ({"q": "x", "limit": "many"}, "whole number"),
        ({"q": "x", "lang": "de"}, "'lang' must be one of"),
        ({"q": "x", "sort": "asc"}, "unknown parameter(s): sort"),
    ],
)
def test_suggest_errors(client, query, fragment):
    response = client.get("/api/suggest", query_string=query)
    assert response.status_code == 400 and fragment in response.json["error"]["message"]


def test_concepts_lists_schemes_and_top_concepts(client):
    schemes = {s["iri"].rsplit("/", 1)[-1]: s for s in client.get("/api/concepts").json["schemes"]}
    assert {"themes", "groups"} <= set(schemes)
    tops = schemes["themes"]["top_concepts"]
    assert len(tops) >= 5 and any(c["narrower"] >= 2 for c in tops)
    spanish = client.get("/api/concepts", query_string={"lang": "es"}).json["schemes"]
    labels = {c["label"] for s in spanish for c in s["top_concepts"]}
    assert "Igualdad y no discriminación" in labels
