"""The web pages through the Flask client, on a real release with indexes and the
web fixtures (a practice, a document, an official wording): search page, resource
pages by kind, languages, the SPARQL editor page, JSON renderings."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from search_api.views import resource, search

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
UNMD = "https://w3id.org/normgraph/id/instrument/unmd-1992"


def _page(client, url, **kwargs):
    response = client.get(url, headers={**HTML, **kwargs.pop("headers", {})}, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _count(html: str) -> int:
    found = re.search(r'data-total="(\d+)"', html)
    assert found, "the page states a result count"
    return int(found.group(1))


# ---------------------------------------------------------------- search page
def test_search_page_without_a_query_offers_the_thesaurus(web_client):
    html = _page(web_client, "/")
    assert "<title>Search the law, norms and practice · normgraph</title>" in html
    assert '<label for="q">Search</label>' in html and 'role="combobox"' in html
    assert 'href="/doc/theme/equality-non-discrimination"' in html


def test_search_page_renders_hits_facets_and_explanations(web_client):
    html = _page(web_client, "/", query_string={"q": "mother tongue education"})
    assert _count(html) >= 3
    assert "/doc/instrument/unmd-1992/art/4/para/3" in html
    assert '<span class="badge kind-provision">Provision</span>' in html
    assert "<mark>" in html, "highlighted snippets"
    assert "<summary>Why this result</summary>" in html and "Meaning (cosine)" in html
    assert 'class="tag tag-theme" href="/doc/theme/language-rights"' in html
    for facet in ("type", "instrument", "theme", "group", "country", "year"):
        assert f'id="facet-{facet}"' in html, facet
    assert re.search(r'name="type" value="provision"[^>]*data-toggle="/\?q=mother', html)
    assert "<noscript><button" in html, "without JavaScript a button applies the filters"


def test_a_facet_narrows_and_stays_in_the_url(web_client):
    everything = _page(web_client, "/", query_string={"q": "minorities"})
    found = re.search(
        r'value="provision"[^>]*>\s*<label[^>]*>Provision <span class="count">(\d+)', everything
    )
    provisions = int(found.group(1))
    narrowed = _page(web_client, "/", query_string={"q": "minorities", "type": "provision"})
    assert _count(narrowed) == provisions < _count(everything)
    assert re.search(r'name="type" value="provision" checked', narrowed)
    assert re.search(
        r'name="type" value="concept"[^>]*data-toggle="[^"]*type=provision&amp;type=concept',
        narrowed,
    ), "the other types stay on offer (each facet is counted without its own filter)"
    both = _page(
        web_client,
        "/",
        query_string=[("q", "minorities"), ("type", "provision"), ("type", "concept")],
    )
    assert provisions < _count(both) <= _count(everything)
    year = _page(web_client, "/", query_string={"q": "minorities", "year": "1992"})
    assert 0 < _count(year) <= _count(everything)
    country = _page(web_client, "/", query_string={"q": "mother tongue", "country": "xtl"})
    assert "/doc/practice/fixture-mother-tongue-classes" in country
    assert _count(country) <= 2, "only what takes place in or names Testland"
    named = _page(web_client, "/", query_string={"q": "racial profiling", "country": "xtl"})
    assert "/doc/document/fixture-report/p/1" in named, "a passage that names the country"


def test_pagination_keeps_the_query(web_client):
    first = _page(web_client, "/", query_string={"q": "minorities"})
    assert 'aria-current="page"' in first and 'rel="next" href="/?q=minorities&amp;page=2"' in first
    second = _page(web_client, "/", query_string={"q": "minorities", "page": "2"})
    assert "11\u201320 of" in second


def test_snippets_and_queries_are_escaped(web_client):
    html = _page(web_client, "/", query_string={"q": "<script>alert(1)</script> minorities"})
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert str(search.safe_snippet("<b>a</b> &lt;i&gt; <img src=x>")) == (
        "<mark>a</mark> &lt;i&gt; &lt;img src=x&gt;"
    )


def test_search_page_as_json_is_its_view_model(web_client):
    data = web_client.get("/", query_string={"q": "education", "format": "json"}).json
    assert set(data) == {f.name for f in fields(search.SearchPage)}
    assert data["total"] >= 1 and data["hits"][0]["parts"]
    assert web_client.get("/", query_string={"q": "x", "format": "pdf"}).status_code == 400
    assert web_client.get("/", query_string={"q": "x", "nope": "1"}).status_code == 400


# ---------------------------------------------------------------- resource pages
def test_instrument_page(web_client):
    html = _page(web_client, "/doc/instrument/unmd-1992")
    assert '<input id="iri" class="iri" type="text" readonly value="' + UNMD + '">' in html
    assert "Copy IRI" in html and "Cite this:" in html
    for ext in ("ttl", "jsonld", "nt"):
        assert f'href="/data/instrument/unmd-1992.{ext}"' in html
    assert "General Assembly of the United Nations" in html
    assert '<span class="num" aria-hidden="true">4</span>' in html
    assert "Practices and commitments that implement it" in html
    assert "/doc/practice/fixture-mother-tongue-classes" in html, "practices of its provisions"
    assert 'id="graph-data"' in html and "cytoscape.min.js" in html
    assert "may have adequate opportunities to learn their mother tongue" in html, (
        "official wording"
    )


def test_instrument_page_shows_how_it_was_adopted_and_its_life_cycle(web_client):
    html = _page(web_client, "/doc/instrument/fcnm-1995")
    assert "opened for signature" in html and "1995-02-01" in html and "Strasbourg" in html
    assert html.index("1994-11-10") < html.index("1995-02-01") < html.index("1998-02-01")
    html = _page(web_client, "/doc/instrument/undrip-2007")
    assert "adopted by a recorded vote" in html and "GA/10612" in html
    html = _page(web_client, "/doc/instrument/hrc-res-43-1")
    assert "/doc/event/hrc-urgent-debate-june-2020" in html, "the debate that led to it"


def test_provision_page(web_client):
    html = _page(web_client, "/doc/instrument/unmd-1992/art/4/para/3")
    assert '<blockquote class="official" lang="en" dir="ltr">States should take' in html
    assert '<span class="badge">Summary</span>' in html
    assert 'rel="prev" href="/doc/instrument/unmd-1992/art/4/para/2"' in html
    assert 'rel="next" href="/doc/instrument/unmd-1992/art/4/para/4"' in html
    assert 'aria-label="Breadcrumb"' in html and 'href="/doc/instrument/unmd-1992/art/4"' in html
    cited = html[html.index("What cites or implements it") :]
    assert "/doc/practice/fixture-mother-tongue-classes" in cited
    assert "/doc/document/fixture-report/p/2" in cited


def test_concept_page(web_client):
    html = _page(web_client, "/doc/theme/language-rights")
    assert "<h1>Language rights</h1>" in html
    assert '<td lang="fr" dir="ltr">Droits linguistiques</td>' in html
    assert '<tr class="missing"><th scope="row">العربية</th><td>not yet given</td></tr>' in html
    assert "Tagged with this concept" in html
    assert "/doc/instrument/unmd-1992/art/4/para/3" in html
    assert "/doc/practice/fixture-mother-tongue-classes" in html
    assert 'id="graph-data"' in html
    assert 'href="/?q=Language+rights&amp;theme=language-rights">Search within this concept' in html
    narrower = _page(web_client, "/doc/theme/law-enforcement")
    assert 'href="/doc/theme/racial-profiling"' in narrower[narrower.index("Narrower") :]


def test_practice_page(web_client):
    html = _page(web_client, "/doc/practice/fixture-mother-tongue-classes")
    assert (
        "Testland" in html and "2015\u20132019" in html and "Testland Ministry of Education" in html
    )
    implements = html[html.index("Provisions and instruments it implements") :]
    assert 'href="/doc/instrument/unmd-1992/art/4/para/3"' in implements
    assert 'href="/doc/group/children"' in html and 'id="graph-data"' in html
    assert 'href="/doc/country/xtl">Testland</a>' in html, "the country links to its page"


def test_document_page_lists_passages_in_order(web_client):
    html = _page(web_client, "/doc/document/fixture-report")
    assert html.index("paragraph 1</a>") < html.index("Article 4, paragraph 3</a>")
    assert "wording of" in html and "Police stops based on ethnic appearance" in html


def test_generic_page_for_other_resources(web_client):
    html = _page(web_client, "/doc/body/ga")
    assert "<h1>General Assembly of the United Nations</h1>" in html
    assert "Referred to by" in html and 'href="/doc/instrument/unmd-1992"' in html
    term = _page(web_client, "/doc/def/Instrument")
    assert "Properties" in term


def test_resource_page_as_json_is_its_view_model(web_client):
    response = web_client.get("/doc/practice/fixture-mother-tongue-classes?format=json")
    assert response.mimetype == "application/json" and response.headers["ETag"]
    data = response.json
    assert set(data) == {f.name for f in fields(resource.PracticePage)}
    assert [c["label"]["text"] for c in data["countries"]] == ["Testland"]
    assert data["countries"][0]["path"] == "country/xtl" and data["start_year"] == "2015"


@pytest.mark.parametrize(
    "cls",
    [
        resource.InstrumentPage,
        resource.ProvisionPage,
        resource.ConceptPage,
        resource.PracticePage,
        resource.DocumentPage,
        resource.GenericPage,
        search.SearchPage,
    ],
)
def test_every_page_context_is_a_documented_dataclass(cls):
    assert cls.__doc__ and cls.__doc__.strip(), f"{cls.__name__} needs a docstring"
    assert fields(cls)


# ---------------------------------------------------------------- languages
def test_language_from_accept_language_with_fallback_to_english(web_client):
    html = _page(
        web_client, "/doc/theme/language-rights", headers={"Accept-Language": "ar, fr;q=0.8"}
    )
    assert '<html lang="ar" dir="rtl">' in html
    assert '<h1><span lang="fr" dir="ltr">Droits linguistiques</span></h1>' in html
    footer = html[html.index('<footer class="site">') :]
    assert footer.index("العربية") < footer.index("Français") < footer.index("English")


def test_arabic_labels_render_right_to_left(web_client):
    html = _page(
        web_client, "/doc/practice/fixture-mother-tongue-classes", query_string={"lang": "ar"}
    )
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>ممارسة تجريبية: دروس بلغة الأم لأطفال الأقليات</h1>" in html
    assert 'href="/doc/group/children?lang=ar"' in html, "a chosen language stays on links"
    english = _page(web_client, "/doc/practice/fixture-mother-tongue-classes")
    assert '<html lang="en" dir="ltr">' in english and "<h1>Fixture practice" in english


# ---------------------------------------------------------------- SPARQL editor
def test_sparql_editor_page(web_client):
    html = _page(web_client, "/sparql")
    assert 'id="yasgui" data-endpoint="http://localhost/sparql"' in html
    assert "/static/vendor/yasgui.min.js" in html and "/static/vendor/yasgui.min.css" in html
    assert len(re.findall(r'<li id="ex-', html)) >= 12
    assert "PREFIX ng: &lt;https://w3id.org/normgraph/def/&gt;" in html
    assert "<noscript>" in html and 'name="query"' in html
    assert 'name="lang"' not in html, "the protocol takes no lang= parameter"
    french = _page(web_client, "/doc/theme/education", query_string={"lang": "fr"})
    assert 'href="/sparql"' in french


def test_every_asset_is_served_locally(web_client):
    pages = ["/", "/?q=education", "/sparql", "/doc/instrument/unmd-1992", "/doc/theme/education"]
    for url in pages:
        html = _page(web_client, url)
        for asset in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
            assert asset.startswith("/static/"), f"{url}: {asset} is not a local asset"
            assert web_client.get(asset).status_code == 200, asset


def test_a_hub_page_reads_a_capped_number_of_referrers_and_says_so(web_root):
    from kg.iris import Iris
    from kg.release import Releases
    from kg.store import open_read_only
    from search_api.views.language import choose

    release = Releases(web_root).current()
    store, iris = open_read_only(release), Iris(release.manifest.base_iri)
    iri = iris.theme("education").value
    full = resource.resource_page(store, iris, iri, choose(None, []), release.id, [])
    capped = resource.resource_page(store, iris, iri, choose(None, []), release.id, [], 2)
    assert full.left_out == 0
    shown = sum(len(g.items) for g in capped.tagged)
    assert shown <= 2 < sum(len(g.items) for g in full.tagged)
    assert capped.left_out > 0
