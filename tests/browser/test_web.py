"""The pages in a real browser (Debian's Chromium through Playwright) against a real
server: searching with and without JavaScript, facets, following results and tags,
the SPARQL editor, the graph view, right-to-left Arabic, accessibility (axe-core)
and layout stability. Every test leaves a screenshot in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _count(page) -> int:
    return int(page.locator(".result-count").get_attribute("data-total"))


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_type_a_query_and_see_results(page, screenshot):
    page.goto("/")
    page.evaluate("window.__sameDocument = true")
    box = page.get_by_role("combobox", name="Search")
    box.click()
    box.press_sequentially("langua", delay=30)
    suggestions = page.get_by_role("listbox", name="Suggestions")
    expect(suggestions.get_by_role("option").first).to_be_visible()
    screenshot(page, "search-autocomplete")
    box.fill("mother tongue education")
    box.press("Enter")
    expect(page.locator(".result-count")).to_contain_text("mother tongue education")
    assert _count(page) >= 3
    expect(page.locator(".hit").first).to_be_visible()
    expect(page.locator(".hit mark").first).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "results came without a reload"
    assert _query(page)["q"] == ["mother tongue education"], "the query is in the URL"
    assert "mother tongue education" in page.title()
    screenshot(page, "search-results")


def test_click_a_facet_and_see_the_count_change(page, screenshot):
    page.goto("/?q=minorities")
    before = _count(page)
    facet = page.locator("#facet-type")
    provisions = int(facet.locator("label", has_text="Provision").locator(".count").inner_text())
    assert provisions < before
    page.evaluate("window.__sameDocument = true")
    facet.get_by_label(re.compile(r"^Provision")).check()
    expect(page.locator(".result-count")).to_have_attribute("data-total", str(provisions))
    expect(page).to_have_url(re.compile(r"[?&]type=provision"))
    assert page.evaluate("window.__sameDocument") is True
    expect(page.locator("#facet-type").get_by_label(re.compile(r"^Provision"))).to_be_checked()
    screenshot(page, "search-facet")
    page.go_back()
    expect(page.locator(".result-count")).to_have_attribute("data-total", str(before))


def test_open_a_result_and_reach_the_provision_page(page, screenshot):
    page.goto("/?q=can+minority+children+be+taught+in+their+mother+tongue")
    page.locator(
        ".hit-title", has_text=re.compile(r"^UN Minorities Declaration, article 4, paragraph 3$")
    ).click()
    expect(page).to_have_url(re.compile(r"/doc/instrument/unmd-1992/art/4/para/3$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "UN Minorities Declaration, article 4, paragraph 3"
    )
    expect(page.locator("blockquote.official")).to_contain_text("mother tongue")
    expect(page.get_by_role("navigation", name="Neighbouring provisions")).to_be_visible()
    screenshot(page, "provision")


def test_follow_a_tag_to_a_concept_page(page, screenshot):
    page.goto("/?q=mother+tongue+education")
    page.locator(".hit .tag-theme", has_text="Language rights").first.click()
    expect(page).to_have_url(re.compile(r"/doc/theme/language-rights$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Language rights")
    expect(page.get_by_role("cell", name="Droits linguistiques")).to_be_visible()
    expect(page.locator("#graph canvas").first).to_be_attached()
    screenshot(page, "concept")


def test_the_panel_shows_the_body_a_question_is_about_and_searches_within_it(page, screenshot):
    page.goto("/?q=which+committee+oversees+ICERD")
    panel = page.get_by_role("complementary", name="In this question")
    expect(panel).to_be_visible()
    cerd = panel.locator(
        ".entity", has_text="Committee on the Elimination of Racial Discrimination"
    )
    expect(cerd.locator(".badge")).to_have_text("Body")
    screenshot(page, "search-panel")
    page.evaluate("window.__sameDocument = true")
    cerd.get_by_role("link", name="search within").click()
    expect(page).to_have_url(re.compile(r"[?&]body=cerd"))
    expect(
        page.locator("#facet-body").get_by_label(re.compile(r"^Committee on the Elim"))
    ).to_be_checked()
    assert _count(page) > 0
    cerd = page.get_by_role("complementary", name="In this question").locator(
        ".entity", has_text="Committee on the Elimination of Racial Discrimination"
    )
    cerd.locator("a.entity-page").click()
    expect(page).to_have_url(re.compile(r"/doc/body/cerd$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Committee on the Elimination")


def test_run_an_example_in_the_sparql_editor_and_see_a_table(page, screenshot, axe_source):
    page.goto("/sparql")
    expect(page.locator(".CodeMirror")).to_be_visible()
    example = page.locator("#ex-07-articles-of-the-minorities-declaration")
    example.get_by_role("button", name="Open in the editor").click()
    table = page.locator(".yasr table.dataTable tbody tr")
    expect(table.first).to_be_visible(timeout=15000)
    assert table.count() == 9, "the nine articles of the Declaration"
    expect(page.locator(".yasr table.dataTable tbody")).not_to_contain_text("^^")  # simple view
    download = page.locator("#downloads a[data-format=csv]")
    assert "format=csv" in download.get_attribute("href")
    screenshot(page, "sparql")
    page.add_script_tag(content=axe_source)
    rules = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
    result = page.evaluate(f"async () => await axe.run('.yasr', {{runOnly: {rules}}})")
    bad = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"the results table: {bad}"


def test_the_graph_view_loads_and_links_to_pages(page, screenshot):
    for path, name in (
        ("/doc/instrument/unmd-1992", "instrument"),
        ("/doc/practice/fixture-mother-tongue-classes", "practice"),
    ):
        page.goto(path)
        graph = page.locator("#graph")
        expect(graph).to_have_attribute("data-ready", re.compile(r"^[1-9]\d*$"))
        assert int(graph.get_attribute("data-ready")) > 2
        expect(graph.locator("canvas").first).to_be_attached()
        screenshot(page, name)
    first = "window.normgraphGraph.nodes().filter(n => !n.hasClass('focus') && n.data('url'))[0]"
    url = page.evaluate(f"{first}.data('url')")
    page.evaluate(f"{first}.emit('tap')")
    page.wait_for_url(re.compile(re.escape(url.split("?")[0]) + r"(\?.*)?$"))


def test_documents_and_generic_pages_render(page, screenshot):
    page.goto("/doc/document/fixture-report")
    expect(page.locator("ol.passages > li")).to_have_count(2)
    screenshot(page, "document")
    page.goto("/doc/body/ga")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "General Assembly of the United Nations"
    )
    screenshot(page, "generic")


def test_arabic_renders_right_to_left(page, screenshot):
    page.goto("/doc/practice/fixture-mother-tongue-classes?lang=ar")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("ممارسة تجريبية"))
    assert heading.evaluate("h => getComputedStyle(h).direction") == "rtl"
    screenshot(page, "practice-arabic")
    page.get_by_label("Language").select_option("fr")
    expect(page).to_have_url(re.compile(r"lang=fr"))
    assert page.evaluate("document.documentElement.dir") == "ltr"


def test_keyboard_reaches_the_search_with_a_visible_focus(page):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused control shows a focus ring"
    page.keyboard.type("langu")
    expect(
        page.get_by_role("listbox", name="Suggestions").get_by_role("option").first
    ).to_be_visible()
    page.keyboard.press("ArrowDown")
    box = page.get_by_role("combobox", name="Search")
    expect(box).to_have_attribute("aria-activedescendant", "suggestion-0")
    page.keyboard.press("Enter")
    expect(page.locator(".result-count")).to_be_visible()


def test_results_arrive_without_layout_shift(page):
    page.goto("/?q=minorities")
    page.evaluate(
        """window.__shift = 0;
        new PerformanceObserver(list => {
          for (const entry of list.getEntries())
            if (!entry.hadRecentInput) window.__shift += entry.value;
        }).observe({type: 'layout-shift', buffered: false});"""
    )
    page.locator("#facet-type").get_by_label(re.compile(r"^Provision")).check()
    expect(page).to_have_url(re.compile(r"type=provision"))
    page.wait_for_timeout(500)
    assert page.evaluate("window.__shift") < 0.1


def test_search_works_without_javascript(browser, site, screenshot):
    context = browser.new_context(
        base_url=site["base"], java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_label("Search", exact=True).fill("minorities")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page).to_have_url(re.compile(r"\?q=minorities"))
        before = _count(page)
        assert before > 0 and page.locator(".hit").count() == 10
        page.locator("#facet-type").get_by_label(re.compile(r"^Provision")).check()
        page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(r"type=provision"))
        assert 0 < _count(page) < before
        page.get_by_role("link", name="2", exact=True).click()
        expect(page).to_have_url(re.compile(r"page=2"))
        screenshot(page, "search-no-javascript")
    finally:
        context.close()


@pytest.mark.parametrize(
    "path,name",
    [
        ("/?q=mother+tongue+education", "search"),
        ("/doc/instrument/unmd-1992", "instrument"),
        ("/sparql", "sparql"),
    ],
)
def test_no_serious_accessibility_violations(page, axe_source, path, name):
    page.goto(path)
    if name == "sparql":
        expect(page.locator(".CodeMirror")).to_be_visible()
    page.add_script_tag(content=axe_source)
    rules = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']"
    result = page.evaluate(f"async () => await axe.run(document, {{runOnly: {rules}}})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


def test_pages_fit_a_phone_screen(browser, site, screenshot):
    context = browser.new_context(base_url=site["base"], viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for path, name in (
            ("/?q=mother+tongue+education", "search-phone"),
            ("/doc/instrument/unmd-1992/art/4/para/3", "provision-phone"),
        ):
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways ({width}px)"
            screenshot(page, name)
    finally:
        context.close()
