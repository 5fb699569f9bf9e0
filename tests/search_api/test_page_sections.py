"""Every resource page of the release with the web fixtures, as JSON through the Flask
client: nothing a section of the page displays is listed again under "More about
this resource" or "Referred to by", whatever predicate either names it with.

The check reads the rendered view model and the release, not the pages'
declarations. A value a section displays stands for at least one of the resource's
statements with that value. Statements that say the same thing (one predicate a
sub-property of the other, or the inverse statement from the other resource, as the
release's ontology says) form one fact. If the leftovers name every fact with that
value, they repeat the one the section shows. Two different facts with one
neighbour (an instrument that concerns a group and gives no definition of it) are
not a double."""

from __future__ import annotations

from collections import defaultdict

import pytest
from pyoxigraph import Literal, NamedNode, Store

from kg.config import Settings
from kg.iris import Iris
from kg.release import Releases
from kg.store import open_read_only
from search_api.app import create_app

FRAME = {"header", "more", "inbound", "left_out"}  # every page's; the leftovers among them
NOT_SECTIONS = {"graph", "search"}  # a drawing of the links the sections list; a search link
KINDS = {"instrument", "provision", "concept", "practice", "document"}  # a page type of each
SAMPLE = 10  # pages of each kind of path: 127 of 667 pages, 3 s (all of them: 9 s)
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"


def displayed(node: object) -> set:
    """The values a section of the JSON view model displays: IRIs of links, (text,
    language) of labels, and a plain string as a literal or an IRI written out."""
    if isinstance(node, dict) and {"predicate", "values"} <= set(node):  # a row
        return displayed(node["values"])
    if isinstance(node, dict) and "iri" in node and "label" in node:  # a link
        return {node["iri"]}  # its label is the neighbour's, not this resource's
    if isinstance(node, dict) and set(node) == {"text", "lang"}:
        return {(node["text"], node["lang"])}
    if isinstance(node, dict):
        return set().union(*(displayed(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(displayed(v) for v in node))
    return {(node, None), node} if isinstance(node, str) else set()


class Release:
    """The resource's statements with one value, and which of them say the same thing."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.same: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        for q in store.quads_for_pattern(None, NamedNode(RDFS + "subPropertyOf"), None):
            for side in ("more", "inbound"):
                self._link((side, q.subject.value), (side, q.object.value))
        for q in store.quads_for_pattern(None, NamedNode(OWL + "inverseOf"), None):
            self._link(("more", q.subject.value), ("inbound", q.object.value))
            self._link(("inbound", q.subject.value), ("more", q.object.value))

    def _link(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        self.same[a].add(b)
        self.same[b].add(a)

    def statements(self, iri: str, value: object) -> set[tuple[str, str]]:
        """("more", p) for the resource's own statements with ``value``, ("inbound", p)
        for ``value``'s statements about the resource."""
        node = NamedNode(iri)
        found = {
            ("more", q.predicate.value)
            for q in self.store.quads_for_pattern(node, None, None)
            if _key(q.object) == value
        }
        if isinstance(value, str) and value.startswith("http"):
            inbound = self.store.quads_for_pattern(NamedNode(value), None, node)
            found |= {("inbound", q.predicate.value) for q in inbound}
        return found

    def facts(self, statements: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Each statement -> the fact it belongs to (statements that say the same thing
        share one)."""
        fact: dict[tuple[str, str], int] = {}
        for n, start in enumerate(sorted(statements)):
            todo = [start]
            while todo:
                s = todo.pop()
                if s not in fact:
                    fact[s] = n
                    todo += [t for t in self.same[s] if t in statements]
        return fact


def _key(term: object) -> object:
    if isinstance(term, Literal):
        return (term.value, term.language)
    return getattr(term, "value", None)


def doubles(page: dict, release: Release) -> list[str]:
    """Leftover rows whose value a section of ``page`` displays while they name every
    fact the resource states with that value."""
    sections = {k: v for k, v in page.items() if k not in FRAME | NOT_SECTIONS}
    shown, iri = displayed(sections), page["header"]["iri"]
    listed: dict[object, set[tuple[str, str]]] = defaultdict(set)
    for part in ("more", "inbound"):
        for row in page[part]:
            for value in displayed(row["values"]) & shown:
                listed[value].add((part, row["predicate"]["iri"]))
    found = []
    for value, rows in listed.items():
        fact = release.facts(release.statements(iri, value))
        if {fact.get(r, -1) for r in rows} >= set(fact.values()):
            found += [f"{part}: {predicate} {value}" for part, predicate in sorted(rows)]
    return sorted(found)


@pytest.fixture(scope="module")
def release(web_root) -> Release:
    return Release(open_read_only(Releases(web_root).current()))


@pytest.fixture(scope="module")
def pages(web_root) -> dict[str, dict]:
    """The JSON view model of up to SAMPLE resources of each kind of path (instrument,
    provision, paragraph, concept scheme, practice...), evenly spread, of everything the
    release says something about; a term of a vocabulary (the ontology's page) is left
    out."""
    current = Releases(web_root).current()
    store, iris = open_read_only(current), Iris(current.manifest.base_iri)
    subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None, None)}
    by_kind: dict[tuple[str, int], list[str]] = defaultdict(list)
    for path in sorted({path for path in map(iris.page_path, subjects) if path}):
        by_kind[(path.split("/")[0], path.count("/"))].append(path)
    app, out = create_app(Settings.load(environ={}, release_dir=web_root)), {}
    client = app.test_client()
    try:
        for paths in by_kind.values():
            for path in paths[:: max(1, len(paths) // SAMPLE)][:SAMPLE]:
                response = client.get(f"/doc/{path}", query_string={"format": "json"})
                if response.status_code == 200 and response.mimetype == "application/json":
                    out[path] = response.json
    finally:
        app.extensions["normgraph"].close()
    return out


def test_no_page_lists_a_displayed_fact_again_among_its_leftovers(pages, release):
    kinds = {
        page["header"]["kind"] if page["header"]["kind"] in KINDS else "other"
        for page in pages.values()
    }
    assert kinds == KINDS | {"other"}, "every page type was rendered"
    problems = [f"/doc/{path}: {d}" for path, page in pages.items() for d in doubles(page, release)]
    assert not problems, f"{len(problems)} double rows:\n" + "\n".join(problems[:20])


def test_a_double_row_is_caught(pages, release):
    """The check itself, on real pages: a practice's country under More again as the
    entailed dcterms:spatial, a concept's scheme under "Referred to by" again as the
    inverse of the skos:topConceptOf its page shows."""
    practice = next(
        p for p in pages.values() if p["header"]["kind"] == "practice" and p["countries"]
    )
    country = practice["countries"][0]
    spatial = {"iri": "http://purl.org/dc/terms/spatial", "label": {}}
    practice = {
        **practice,
        "more": [*practice["more"], {"predicate": spatial, "values": [country]}],
    }
    assert doubles(practice, release) == [f"more: {spatial['iri']} {country['iri']}"]
    top = {"iri": "http://www.w3.org/2004/02/skos/core#hasTopConcept", "label": {}}
    concept, scheme = next(
        (p, s)
        for p in pages.values()
        if p["header"]["kind"] == "concept"
        for s in p["schemes"]
        if ("inbound", top["iri"]) in release.statements(p["header"]["iri"], s["iri"])
    )
    concept = {**concept, "inbound": [*concept["inbound"], {"predicate": top, "values": [scheme]}]}
    assert doubles(concept, release) == [f"inbound: {top['iri']} {scheme['iri']}"]
