"""Hybrid search over a real release, the real model and real indexes."""

import json
import shutil

import pytest

from kg.release import Releases
from search_api.search.filters import DOCUMENT_KINDS
from search_api.search.index import INFO, SEARCH_DIR

UNMD = "https://w3id.org/normgraph/id/instrument/unmd-1992"


def _search(client, **params):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def test_manifest_records_the_model(search_root):
    manifest = Releases(search_root).current().manifest
    assert manifest.embedding["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest.embedding["dimension"] == 384
    assert manifest.embedding["backend"].split()[0] in {"openvino", "torch"}
    assert manifest.counts["units"] >= 80


def test_a_plain_question_finds_the_right_paragraph(search_client):
    result = _search(search_client, q="can minority children be taught in their mother tongue")
    top = [h["iri"] for h in result["hits"][:3]]
    assert f"{UNMD}/art/4/para/3" in top
    hit = next(h for h in result["hits"] if h["iri"] == f"{UNMD}/art/4/para/3")
    assert (
        hit["instrument"]["iri"] == UNMD and hit["page"] == "/doc/instrument/unmd-1992/art/4/para/3"
    )
    assert "<b>" in hit["snippet"]
    assert set(hit["parts"]) >= {"dense", "lexical", "concept", "fused"}
    assert {t["iri"].rsplit("/", 1)[-1] for t in hit["tags"]["themes"]} >= {"language-rights"}


def test_a_symbol_puts_its_instrument_first(search_client):
    assert _search(search_client, q="A/RES/47/135")["hits"][0]["iri"] == UNMD


def test_a_quoted_phrase_is_matched_exactly(search_client):
    result = _search(search_client, q='"own associations"', size=50)
    assert result["total"] >= 1
    assert all("associations" in h["snippet"] for h in result["hits"])
    loose = _search(search_client, q="own associations", size=50)
    assert loose["total"] > result["total"]


def test_modes_and_fusions(search_client):
    q = "participation in public life"
    for mode in ("lexical", "dense", "hybrid"):
        for fusion in ("rrf", "weighted"):
            result = _search(search_client, q=q, mode=mode, fusion=fusion)
            assert result["hits"], (mode, fusion)
    dense = _search(search_client, q=q, mode="dense")["hits"][0]["parts"]
    assert dense["lexical"] == 0 and dense["dense"] > 0


def test_filters_narrow_and_facets_count_the_whole_result_set(search_client):
    everything = _search(search_client, q="minorities", size=5)
    types = {f["value"]: f["count"] for f in everything["facets"]["type"]}
    documents = {k: n for k, n in types.items() if k in DOCUMENT_KINDS}
    assert sum(documents.values()) == everything["total"] > len(everything["hits"])
    # concepts are not in the ranked list unless asked for, but the type facet offers them
    concepts = _search(search_client, q="minorities", type="concept", size=50)
    assert concepts["total"] == types["concept"] > 0
    assert all(h["kind"] == "concept" for h in concepts["hits"])
    provisions = _search(search_client, q="minorities", type="provision", size=50)
    assert provisions["total"] == types["provision"]
    assert all(h["kind"] == "provision" for h in provisions["hits"])


def test_a_theme_filter_includes_narrower_themes(search_client):
    broad = _search(
        search_client, q="racial profiling", theme="law-enforcement", type="concept", size=50
    )
    iris = {h["iri"] for h in broad["hits"]}
    assert "https://w3id.org/normgraph/id/theme/racial-profiling" in iris  # narrower of the filter
    theme = "https://w3id.org/normgraph/id/theme/law-enforcement"
    narrower = search_client.get(
        "/sparql",
        query_string={
            "format": "json",
            "query": f"SELECT ?n WHERE {{ ?n skos:broaderTransitive <{theme}> }}",
        },
    ).json
    family = {theme} | {b["n"]["value"] for b in narrower["results"]["bindings"]}
    assert len(family) >= 3
    for hit in broad["hits"]:
        assert {t["iri"] for t in hit["tags"]["themes"]} & family, hit["iri"]


def test_year_and_binding_filters(search_client):
    later = _search(search_client, q="minorities", year_from=1993, type="provision", size=50)
    assert all(h["year"] >= 1993 for h in later["hits"])
    in_1992 = _search(search_client, q="minorities", year_from=1992, year_to=1992, type="provision")
    assert in_1992["total"] > 0
    binding = _search(search_client, q="minorities", binding="true", size=50)
    assert binding["total"] > 0
    assert {h["instrument"]["iri"] for h in binding["hits"]} <= {
        "https://w3id.org/normgraph/id/instrument/icerd",
        "https://w3id.org/normgraph/id/instrument/iccpr",
        "https://w3id.org/normgraph/id/instrument/fcnm-1995",
    }


def test_pagination_is_stable(search_client):
    whole = [h["iri"] for h in _search(search_client, q="states shall", size=10)["hits"]]
    first = [h["iri"] for h in _search(search_client, q="states shall", size=5, page=1)["hits"]]
    second = [h["iri"] for h in _search(search_client, q="states shall", size=5, page=2)["hits"]]
    assert first + second == whole


@pytest.mark.parametrize(
    "params,fragment",
    [
        ({}, "'q' is required"),
        ({"q": "x", "type": "poem"}, "'type' must be among"),
        ({"q": "x", "theme": "nope"}, "language-rights"),
        ({"q": "x", "page": "0"}, "between 1 and 1000"),
        ({"q": "x", "size": "500"}, "between 1 and 50"),
        ({"q": "x", "mode": "magic"}, "'mode' must be one of"),
        ({"q": "x", "binding": "maybe"}, "'binding' must be one of"),
        ({"q": "x", "year_from": "soon"}, "whole number"),
        ({"q": "x", "colour": "red"}, "unknown parameter(s): colour"),
    ],
)
def test_search_parameter_errors(search_client, params, fragment):
    response = search_client.get("/api/search", query_string=params)
    assert response.status_code == 400 and fragment in response.json["error"]["message"]


def test_a_model_mismatch_is_refused(make_app, search_root, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(search_root, root, symlinks=True)
    info_path = Releases(root).current().path / SEARCH_DIR / INFO
    info = json.loads(info_path.read_text())
    info["model"] = "some/other-model"
    info_path.write_text(json.dumps(info))
    response = make_app(root).test_client().get("/api/search", query_string={"q": "minorities"})
    assert response.status_code == 503
    assert "indexed with some/other-model" in response.json["error"]["message"]


def test_a_release_without_index_says_so(make_app, build_release, tmp_path):
    build_release(tmp_path)  # graph only, no search indexes
    response = make_app(tmp_path).test_client().get("/api/search", query_string={"q": "minorities"})
    assert response.status_code == 503 and "no search index" in response.json["error"]["message"]


def test_rebuilding_reuses_embeddings(fresh_search_root, encoder, rebuild_searchable):
    release = rebuild_searchable(fresh_search_root)
    info = json.loads((release.path / SEARCH_DIR / INFO).read_text())
    assert info["encoded"] == 0 and info["units"] >= 80


def test_the_sparql_function_orders_by_meaning(make_app, search_root):
    client = make_app(search_root).test_client()
    query = """SELECT ?p ?score WHERE { ?p a ng:Provision .
               BIND(ngf:similarity(?p, "mother tongue education") AS ?score) }
               ORDER BY DESC(?score) LIMIT 5"""
    rows = client.get("/sparql", query_string={"query": query, "format": "json"}).json
    bindings = rows["results"]["bindings"]
    scores = [float(b["score"]["value"]) for b in bindings]
    assert scores == sorted(scores, reverse=True) and len(scores) == 5
    assert bindings[0]["p"]["value"] == f"{UNMD}/art/4/para/3"
    not_a_unit = client.get(
        "/sparql",
        query_string={
            "query": 'SELECT ?s WHERE { BIND(ngf:similarity(<http://example.org/x>, "a") AS ?s) }',
            "format": "json",
        },
    ).json
    assert "s" not in not_a_unit["results"]["bindings"][0]


def test_index_and_store_come_from_the_same_release(search_client, search_root):
    release = Releases(search_root).current()
    result = _search(search_client, q="minorities")
    assert result["release"] == release.id
    ask = search_client.get(
        "/sparql",
        query_string={"query": f"ASK {{ <{result['hits'][0]['iri']}> ?p ?o }}", "format": "json"},
    )
    assert ask.json["boolean"] is True and ask.headers["X-Normgraph-Release"] == release.id


def test_long_query_and_page_past_the_end(search_client):
    long = search_client.get("/api/search", query_string={"q": "x" * 1001})
    assert long.status_code == 400 and "longer than 1000" in long.json["error"]["message"]
    past = _search(search_client, q="minorities", page=999)
    assert past["hits"] == [] and past["total"] > 0


def test_cli_search(cli, search_root):
    out = cli("search", "--release-dir", str(search_root), "mother tongue", "--k", "3", "--json")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["hits"]) == 3
    text = cli("search", "--release-dir", str(search_root), "A/RES/47/135", "--k", "1")
    assert "UN Minorities Declaration" in text.stdout
    empty = cli("search", "--release-dir", str(search_root), " ")
    assert empty.returncode == 1 and "parameter 'q' is required" in empty.stderr


def test_cli_search_takes_the_apis_filters_and_checks_them_the_same_way(
    cli, search_root, search_client
):
    """`normgraph search` reads its options with the reader /api/search uses."""
    asked = {"q": "education", "theme": "education", "type": "provision", "binding": "true"}
    options = ["--theme", "education", "--type", "provision", "--binding", "true", "--json"]
    out = cli("search", "--release-dir", str(search_root), "education", *options)
    assert out.returncode == 0, out.stderr
    api = search_client.get("/api/search", query_string=asked).json
    assert [h["iri"] for h in json.loads(out.stdout)["hits"]] == [h["iri"] for h in api["hits"]]
    assert api["hits"]
    bad = cli("search", "--release-dir", str(search_root), "education", "--country", "XYZ")
    via_api = search_client.get("/api/search", query_string={"q": "education", "country": "XYZ"})
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert via_api.json["error"]["message"] in bad.stderr  # the same words


@pytest.mark.parametrize(
    "query,first",
    [
        ("A/RES/47/135", "unmd-1992"),
        ("resolution 43/1", "hrc-res-43-1"),
        ("article 27 ICCPR", "iccpr/art/27"),
        ("GR 36", "cerd-gr-36"),
    ],
)
def test_a_cited_symbol_or_provision_comes_first(search_client, query, first):
    result = _search(search_client, q=query)
    assert result["hits"][0]["iri"] == f"https://w3id.org/normgraph/id/instrument/{first}"
    assert result["hits"][0]["parts"]["pinned"] == 1.0


def test_a_french_query_finds_the_themes_provisions(search_client):
    result = _search(search_client, q="langue maternelle", lang="fr", type="provision", size=10)
    assert {c["iri"].rsplit("/", 1)[-1] for c in result["matched_concepts"]} == {"language-rights"}
    iris = [h["iri"] for h in result["hits"]]
    assert f"{UNMD}/art/4/para/3" in iris
    assert all(h["parts"]["concept"] > 0 for h in result["hits"][:5])


def test_a_spanish_query_names_a_theme(search_client):
    result = _search(search_client, q="discurso de odio", lang="es", size=10)
    assert "https://w3id.org/normgraph/id/theme/hate-speech" in {
        c["iri"] for c in result["matched_concepts"]
    }
    tagged = [
        h
        for h in result["hits"]
        if any(t["iri"].endswith("/hate-speech") for t in h["tags"]["themes"])
    ]
    assert len(tagged) >= 3


def test_the_ranked_list_holds_documents_and_the_panel_the_concepts(search_client):
    result = _search(search_client, q="police ethnic profiling", size=20)
    assert {h["kind"] for h in result["hits"]} <= set(DOCUMENT_KINDS)
    panel = {e["iri"]: e for e in result["entities"]}
    profiling = panel["https://w3id.org/normgraph/id/theme/racial-profiling"]
    assert profiling["kind"] == "theme" and profiling["page"] == "/doc/theme/racial-profiling"
    within = search_client.get(profiling["within"]).json
    assert within["total"] > 0
    assert all(
        "https://w3id.org/normgraph/id/theme/racial-profiling"
        in {t["iri"] for t in h["tags"]["themes"]}
        for h in within["hits"]
    )
    asked = _search(search_client, q="police ethnic profiling", type="concept")
    assert asked["hits"] and {h["kind"] for h in asked["hits"]} == {"concept"}


def test_a_question_about_who_oversees_a_treaty_shows_the_body_and_its_articles(search_client):
    result = _search(search_client, q="which committee oversees ICERD")
    bodies = [e for e in result["entities"] if e["kind"] == "body"]
    assert "https://w3id.org/normgraph/id/body/cerd" in {e["iri"] for e in bodies}
    cerd = next(e for e in bodies if e["iri"].endswith("/cerd"))
    assert cerd["page"] == "/doc/body/cerd" and "body=cerd" in cerd["within"]
    top = [h["iri"] for h in result["hits"][:10]]
    assert "https://w3id.org/normgraph/id/instrument/icerd/art/8" in top


def test_a_question_evokes_entities_it_does_not_name(search_client):
    result = _search(search_client, q="who counts as a minority")
    assert any(not e["named"] for e in result["entities"])


def test_the_language_is_detected_unless_given(search_client):
    assert _search(search_client, q="discours de haine raciale")["lang"] == "fr"
    assert _search(search_client, q="discurso de odio")["lang"] == "es"
    assert _search(search_client, q="hate speech")["lang"] == "en"
    assert _search(search_client, q="discurso de odio", lang="en")["lang"] == "en"


def test_a_snippet_is_a_sentence_of_the_wording_not_the_title(search_client):
    result = _search(search_client, q="individual complaints to CERD", size=10)
    for hit in result["hits"]:
        plain = hit["snippet"].replace("<b>", "").replace("</b>", "")
        assert not plain.startswith(hit["label"]), hit["iri"]
    art14 = next(h for h in result["hits"] if h["iri"].endswith("/icerd/art/14"))
    assert "<b>" in art14["snippet"]
