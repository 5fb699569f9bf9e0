"""The structure of the curated corpus: provisions complete and in order, no
orphans, every reference resolving, practices linked, IRIs unique, labels tagged."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

# Provisions (articles, paragraphs, sections/parts) per instrument. A change here
# is a change of coverage and belongs in corpus/README.md too.
PROVISION_COUNTS = {
    "unmd-1992": 29,
    "icerd": 43,  # 3 parts, 25 articles, 15 paragraphs of articles 1, 2, 4 and 5
    "iccpr": 9,  # articles 2, 20, 26, 27 and their paragraphs
    "ddpa-declaration-2001": 20,  # 6 sections, 14 paragraphs
    "ddpa-programme-2001": 8,  # 5 sections, the Roma subsection, paragraphs 7 and 191
    "cerd-gr-32": 3,  # section I and its paragraphs 1 and 2
    "cerd-gr-34": 7,  # section VIII and its paragraphs 34-39
    "cerd-gr-35": 7,  # section I and its paragraphs 1-4, section II with paragraph 5
    "hrc-res-6-15": 9,
    "hrc-res-47-21": 9,
    "ga-res-69-16": 4,  # the four divisions of national action, as sections
    "undrip-2007": 98,  # all 46 articles and the 52 paragraphs of the 23 articles that have them
    "fcnm-1995": 84,  # 5 sections, all 32 articles, 47 paragraphs
    "cerd-gr-36": 6,  # sections I and II and their paragraphs 1-4
}
ICERD_PARTS = {"i": range(1, 8), "ii": range(8, 17), "iii": range(17, 26)}
ICERD_PARAGRAPHS = {"1": 4, "2": 2, "4": 3, "5": 6}  # articles 3, 6 and 7 are one paragraph
FCNM_SECTIONS = {
    "i": range(1, 4),
    "ii": range(4, 20),
    "iii": range(20, 24),
    "iv": range(24, 27),
    "v": range(27, 33),
}


def test_provision_counts_per_instrument(corpus):
    rows = corpus.select(
        "SELECT ?i (COUNT(?p) AS ?n) WHERE { ?p a ?k ; ng:partOfInstrument ?i . "
        "VALUES ?k { ng:Article ng:Paragraph ng:Section } } GROUP BY ?i"
    )
    got = {corpus.local(r["i"]).removeprefix("id/instrument/"): int(r["n"]) for r in rows}
    assert got == PROVISION_COUNTS


@pytest.mark.parametrize(
    ("instrument", "divisions"), [("icerd", ICERD_PARTS), ("fcnm-1995", FCNM_SECTIONS)]
)
def test_every_article_sits_in_its_part_or_section(corpus, instrument, divisions):
    rows = corpus.select(
        f"SELECT ?division ?n WHERE {{ ?a a ng:Article ; ng:partOfInstrument inst:{instrument} ; "
        "eli:number ?n ; dcterms:isPartOf ?division }"
    )
    by_division = defaultdict(set)
    for r in rows:
        by_division[corpus.local(r["division"]).rsplit("/", 1)[-1]].add(int(r["n"]))
    assert {k: sorted(v) for k, v in by_division.items()} == {
        k: list(v) for k, v in divisions.items()
    }


def test_undrip_has_all_46_articles(corpus):
    numbers = corpus.values(
        "SELECT ?n WHERE { ?a a ng:Article ; ng:partOfInstrument inst:undrip-2007 ; eli:number ?n }"
    )
    assert sorted(numbers, key=int) == [str(n) for n in range(1, 47)]


def test_icerd_articles_1_to_7_at_paragraph_level(corpus):
    rows = corpus.select(
        "SELECT ?art (COUNT(?p) AS ?n) WHERE { ?p a ng:Paragraph ; dcterms:isPartOf ?a . "
        "?a a ng:Article ; ng:partOfInstrument inst:icerd ; eli:number ?art } "
        "GROUP BY ?art"
    )
    assert {r["art"]: int(r["n"]) for r in rows} == ICERD_PARAGRAPHS


def test_iccpr_has_exactly_the_four_articles(corpus):
    numbers = corpus.values(
        "SELECT ?n WHERE { ?a a ng:Article ; ng:partOfInstrument inst:iccpr ; eli:number ?n }"
    )
    assert sorted(numbers, key=int) == ["2", "20", "26", "27"]


def test_siblings_are_numbered_1_to_n_in_order(corpus):
    rows = corpus.select(
        "SELECT ?parent ?p ?order ?n ?k WHERE { ?p dcterms:isPartOf ?parent ; ng:order ?order ; "
        "eli:number ?n ; a ?k . VALUES ?k { ng:Article ng:Paragraph ng:Section } }"
    )
    siblings = defaultdict(list)
    for r in rows:
        siblings[r["parent"]].append((int(r["order"]), r["n"], r["k"]))
    assert siblings
    for parent, items in siblings.items():
        orders = sorted(o for o, _, _ in items)
        assert orders == list(range(1, len(items) + 1)), f"{parent}: orders {orders}"
        # numbers of the same kind grow with the order when they are numeric
        for kind in {k for _, _, k in items}:
            numbers = [n for _, n, k in sorted(items) if k == kind and n.isdigit()]
            assert [int(n) for n in numbers] == sorted(int(n) for n in numbers), parent


def test_no_orphan_provisions(corpus):
    """Every provision reaches its instrument through dcterms:isPartOf, both ways linked."""
    rows = corpus.select(
        "SELECT ?p ?i ?parent WHERE { ?p ng:partOfInstrument ?i ; dcterms:isPartOf ?parent }"
    )
    parent_of = {r["p"]: r["parent"] for r in rows}
    instrument_of = {r["p"]: r["i"] for r in rows}
    provisions = set(
        corpus.values(
            "SELECT ?p WHERE { ?p a ?k . VALUES ?k { ng:Article ng:Paragraph ng:Section } }"
        )
    )
    assert provisions == set(parent_of), "every provision has a parent and an instrument"
    for p in provisions:
        node, hops = p, 0
        while node in parent_of:
            node, hops = parent_of[node], hops + 1
            assert hops < 10, f"cycle at {p}"
        assert node == instrument_of[p], f"{p} does not reach its instrument"
    assert not corpus.select(
        "SELECT ?p WHERE { ?p dcterms:isPartOf ?parent "
        "FILTER NOT EXISTS { ?parent dcterms:hasPart ?p } }"
    )


REFERENCES = {
    "ng:addressesTheme": "?o a ng:Theme",
    "ng:concernsGroup": "?o a ng:RightsHolderGroup",
    "ng:contributesToTarget": "?o a ng:SDGTarget",
    "ng:adoptedBy": "?o a ?c . ?c rdfs:subClassOf ng:Body",
    "ng:monitoredBy": "?o a ?c . ?c rdfs:subClassOf ng:Body",
    "ng:recalls": "?o a ?c . ?c rdfs:subClassOf ng:Instrument",
    "ng:buildsOn": "?o a ?c . ?c rdfs:subClassOf ng:Instrument",
    "ng:implements": "?o a ?c . ?c rdfs:subClassOf* ?t VALUES ?t { ng:Instrument ng:Provision }",
    "ng:inLightOf": "?o a ng:Anniversary",
    "ng:commemorates": "?o a ?c . ?c rdfs:subClassOf ng:Instrument",
    "ng:coordinatedBy": "?o a ng:UNEntity",
    "org:hasMember": "?o a ng:UNEntity",
    "prov:wasAttributedTo": "?o a ng:UNEntity",
    "ng:foundingInstrument": "?o a ?c . ?c rdfs:subClassOf ng:Instrument",
    "skos:broader": "?o a ?c . ?c rdfs:subClassOf* skos:Concept",
}


@pytest.mark.parametrize("predicate", sorted(REFERENCES))
def test_every_reference_resolves(corpus, predicate):
    dangling = corpus.select(
        f"SELECT ?s ?o WHERE {{ ?s {predicate} ?o "
        f"FILTER NOT EXISTS {{ {REFERENCES[predicate]} }} }}"
    )
    assert not dangling, [(corpus.local(r["s"]), corpus.local(r["o"])) for r in dangling]


def test_every_tag_is_a_concept_of_its_scheme(corpus):
    rows = corpus.select(
        "SELECT ?o ?scheme WHERE { "
        "?s ng:addressesTheme|ng:concernsGroup|ng:contributesToTarget ?o . "
        "OPTIONAL { ?o skos:inScheme ?scheme } }"
    )
    assert rows
    assert all(r["scheme"] for r in rows), [r["o"] for r in rows if not r["scheme"]]


def test_every_practice_implements_an_instrument_and_has_a_theme_and_source(corpus):
    practices = corpus.values("SELECT ?p WHERE { ?p a ng:Practice }")
    assert len(practices) >= 30
    linked = set(
        corpus.values(
            "SELECT DISTINCT ?p WHERE { ?p a ng:Practice ; ng:implements ?x . "
            "{ ?x a ?c . ?c rdfs:subClassOf ng:Instrument } UNION { ?x ng:partOfInstrument ?i } }"
        )
    )
    themed = set(
        corpus.values("SELECT DISTINCT ?p WHERE { ?p a ng:Practice ; ng:addressesTheme ?t }")
    )
    sourced = set(
        corpus.values("SELECT DISTINCT ?p WHERE { ?p a ng:Practice ; dcterms:source ?s }")
    )
    placed = set(
        corpus.values("SELECT DISTINCT ?p WHERE { ?p a ng:Practice ; ng:inCountry|ng:region ?c }")
    )
    dated = set(corpus.values("SELECT DISTINCT ?p WHERE { ?p a ng:Practice ; ng:startYear ?y }"))
    for name, found in [
        ("an instrument", linked),
        ("a theme", themed),
        ("a source", sourced),
        ("a country or region", placed),
        ("a start year", dated),
    ]:
        missing = set(practices) - found
        assert not missing, f"practices without {name}: {sorted(map(corpus.local, missing))}"


def test_every_instrument_body_and_commitment_has_a_source(corpus):
    missing = corpus.select(
        "SELECT ?x WHERE { ?x a ?c . ?c rdfs:subClassOf* ?top . "
        "VALUES ?top { ng:Instrument ng:Body ng:UNEntity ng:WorkPlanCommitment "
        "ng:InterAgencyNetwork ng:Anniversary } FILTER NOT EXISTS { ?x dcterms:source ?s } }"
    )
    assert not missing, [corpus.local(r["x"]) for r in missing]


def test_no_two_resources_share_an_iri(corpus):
    """The reader refuses an id defined twice; across Turtle and YAML, no IRI is
    defined in two files or typed as two unrelated kinds."""
    defined = defaultdict(set)
    for source in corpus.sources:
        for iri in source.locations:
            defined[iri].add(source.name)
        if source.name.endswith(".ttl"):
            for t in source.triples:
                if t.predicate.value.endswith("#type") and "/id/" in t.subject.value:
                    defined[t.subject.value].add(source.name)
    shared = {iri: files for iri, files in defined.items() if len(files) > 1}
    assert not shared
    kinds = defaultdict(set)
    top = (
        "Instrument",
        "Provision",
        "Body",
        "UNEntity",
        "Practice",
        "Theme",
        "RightsHolderGroup",
        "WorkPlanCommitment",
        "InterAgencyNetwork",
        "Anniversary",
        "SDGGoal",
        "SDGTarget",
    )
    for r in corpus.select(
        "SELECT ?x ?top WHERE { ?x a ?c . ?c rdfs:subClassOf* ?t . "
        "BIND(STRAFTER(STR(?t), STR(ng:)) AS ?top) }"
    ):
        if r["top"] in top:
            kinds[r["x"]].add(r["top"])
    clashes = {
        corpus.local(x): ks
        for x, ks in kinds.items()
        if len(ks - {"Provision"}) > 1 or ("Provision" in ks and len(ks) > 1)
    }
    assert not clashes


_BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Z]{2}|-[A-Za-z]{4})?$")
UN_LANGUAGES = {"en", "fr", "es", "ar", "ru", "zh"}


def test_every_language_tag_is_valid(corpus):
    tags = corpus.select(
        "SELECT DISTINCT ?lang WHERE { ?s ?p ?o FILTER(isLiteral(?o) && LANG(?o) != '') "
        "BIND(LANG(?o) AS ?lang) }"
    )
    found = {r["lang"] for r in tags}
    assert found, "no tagged literals"
    assert all(_BCP47.match(tag) for tag in found), found
    assert found <= UN_LANGUAGES, found - UN_LANGUAGES


def test_concept_labels_in_english_french_and_spanish(corpus):
    rows = corpus.select(
        "SELECT ?c (GROUP_CONCAT(LANG(?l)) AS ?langs) WHERE { ?c a ?k ; skos:prefLabel ?l . "
        "VALUES ?k { ng:Theme ng:RightsHolderGroup } } GROUP BY ?c"
    )
    assert len(rows) >= 55
    lacking = [
        corpus.local(r["c"]) for r in rows if not {"en", "fr", "es"} <= set(r["langs"].split())
    ]
    assert not lacking


def test_vocabularies_are_large_and_hierarchical(corpus):
    themes = corpus.values("SELECT ?t WHERE { ?t a ng:Theme }")
    groups = corpus.values("SELECT ?g WHERE { ?g a ng:RightsHolderGroup }")
    assert len(themes) >= 40 and len(groups) >= 15
    narrower = corpus.values("SELECT ?t WHERE { ?t a ng:Theme ; skos:broader ?b }")
    assert len(narrower) >= 25
    for slug in ("recognition", "justice", "development"):
        assert corpus.ask(f"ASK {{ theme:{slug} a ng:Theme }}")
    required_groups = (
        "women-and-girls persons-with-disabilities children older-persons migrants "
        "stateless-persons roma dalits descent-based-communities indigenous-peoples "
        "people-of-african-descent religious-minorities linguistic-minorities"
    ).split()
    known = {g.rsplit("/", 1)[-1] for g in groups}
    assert set(required_groups) <= known, set(required_groups) - known


def test_sdg_targets_carry_official_numbers_under_their_goal(corpus):
    rows = corpus.select(
        "SELECT ?t ?n ?goal WHERE { ?t a ng:SDGTarget ; skos:notation ?n ; skos:broader ?g . "
        "?g skos:notation ?goal }"
    )
    assert len(rows) >= 10
    for r in rows:
        assert re.fullmatch(r"\d{1,2}\.(\d{1,2}|[a-z])", r["n"]), r["n"]
        assert r["n"].split(".")[0] == r["goal"]
        assert corpus.local(r["t"]) == "id/sdg/target/" + r["n"].replace(".", "-")


def test_no_practice_implements_an_instrument_adopted_after_it_began(corpus):
    rows = corpus.select(
        "SELECT ?p ?i ?year ?adopted WHERE { ?p a ng:Practice ; ng:startYear ?year ; "
        "ng:implements ?x . { ?x eli:date_document ?adopted BIND(?x AS ?i) } UNION "
        "{ ?x ng:partOfInstrument ?i . ?i eli:date_document ?adopted } "
        "FILTER(SUBSTR(STR(?adopted), 1, 4) > STR(?year)) }"
    )
    assert not rows, [(corpus.local(r["p"]), corpus.local(r["i"])) for r in rows]
