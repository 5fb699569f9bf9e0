"""The UNBIS alignment where people and tools meet it: concept pages (in Arabic, right
to left), /data documents, suggestions and reconciliation in the added languages."""

from __future__ import annotations

import json

UNBIS_GENDER = "http://metadata.un.org/thesaurus/1002612"


def test_concept_page_in_arabic_right_to_left_with_its_match(client):
    page = client.get("/doc/theme/gender", query_string={"lang": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>المساواة بين الجنسين</h1>" in page
    assert f'Exact match</dt><dd><a class="external" href="{UNBIS_GENDER}">' in page
    close = client.get("/doc/theme/justice").get_data(as_text=True)
    assert (
        'Close match</dt><dd><a class="external" href="http://metadata.un.org/thesaurus/1003500"'
        in close
    )


def test_data_documents_carry_the_match(client):
    turtle = client.get("/data/theme/gender.ttl").get_data(as_text=True)
    assert f"skos:exactMatch <{UNBIS_GENDER}>" in turtle
    assert '"两性平等"@zh' in turtle


def test_suggest_and_reconcile_find_concepts_typed_in_the_added_languages(client):
    found = client.get("/api/suggest", query_string={"q": "Коренные", "lang": "ru"}).json
    assert found["suggestions"][0]["iri"].endswith("/id/group/indigenous-peoples")
    assert found["suggestions"][0]["label"] == "Коренные народы"
    queries = {"q0": {"query": "两性平等"}, "q1": {"query": "الأقليات اللغوية"}}
    got = client.post("/reconcile", data={"queries": json.dumps(queries)}).json
    top = got["q0"]["result"][0]
    assert top["id"] == "theme/gender" and top["match"] and UNBIS_GENDER in top["description"]
    assert got["q1"]["result"][0]["id"] == "group/linguistic-minorities"
    extended = client.post(
        "/reconcile",
        data={"extend": json.dumps({"ids": ["theme/gender"], "properties": [{"id": "unbis"}]})},
    ).json
    assert extended["rows"]["theme/gender"]["unbis"] == [{"str": UNBIS_GENDER}]
