"""The ontology and thesauri as shipped: documented, versioned, covering the statement's themes."""

from collections import defaultdict

import pytest
from pyoxigraph import Literal, NamedNode

from kg.embedded import ontology_dir
from kg.iris import Iris
from kg.sources import read_turtle_dir
from kg.vocab import EXTERNAL

BASE = "https://w3id.org/normgraph/"
OWL, RDF, RDFS, SKOS = (EXTERNAL[k] for k in ("owl", "rdf", "rdfs", "skos"))


@pytest.fixture(scope="module")
def triples():
    return [t for s in read_turtle_dir("ontology", ontology_dir(), Iris(BASE)) for t in s.triples]


@pytest.fixture(scope="module")
def by_subject(triples):
    index = defaultdict(lambda: defaultdict(list))
    for t in triples:
        index[t.subject.value][t.predicate.value].append(t.object)
    return index


def _terms(by_subject):
    kinds = {OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty"}
    return {
        s: p
        for s, p in by_subject.items()
        if s.startswith(BASE + "def/") and kinds & {o.value for o in p[RDF + "type"]}
    }


def test_every_class_and_property_has_a_label_and_a_definition(by_subject):
    terms = _terms(by_subject)
    assert len(terms) > 40
    for iri, props in terms.items():
        labels = [o for o in props[RDFS + "label"] if isinstance(o, Literal) and o.language == "en"]
        definitions = [o for o in props[SKOS + "definition"] if isinstance(o, Literal)]
        assert labels, f"{iri} has no English rdfs:label"
        assert definitions, f"{iri} has no skos:definition"


def test_required_classes_exist(by_subject):
    terms = _terms(by_subject)
    for name in (
        "Instrument Treaty Declaration Resolution GeneralRecommendation ProgrammeOfAction "
        "GuidanceDocument PolicyStatement Provision Body UNEntity Practice RightsHolderGroup "
        "Theme WorkPlanCommitment Document Passage"
    ).split():
        assert BASE + "def/" + name in terms, name


def test_ontology_is_versioned(by_subject):
    ontology = by_subject[BASE + "def"]
    assert NamedNode(OWL + "Ontology") in ontology[RDF + "type"]
    assert ontology[OWL + "versionIRI"] and ontology[OWL + "versionInfo"]


# The themes the Network's 2020 statement names (issue 2), by slug.
STATEMENT_THEMES = (
    "country-guidance covid-19 gender multiple-discrimination disability age displacement security "
    "peacekeeping climate-change law-enforcement excessive-force racial-profiling "
    "leave-no-one-behind participation hate-speech education language-rights religion-belief "
    "citizenship-statelessness data-statistics remedies-reparations internal-reform"
).split()


def test_themes_cover_the_network_statement(by_subject):
    for slug in STATEMENT_THEMES:
        concept = by_subject.get(BASE + "id/theme/" + slug)
        assert concept, f"theme {slug} missing"
        langs = {o.language for o in concept[SKOS + "prefLabel"]}
        assert {"en", "fr", "es"} <= langs, f"theme {slug} lacks en/fr/es labels"


def test_thesauri_have_hierarchy_and_alt_labels(by_subject):
    for kind in ("theme", "group"):
        concepts = {s: p for s, p in by_subject.items() if s.startswith(f"{BASE}id/{kind}/")}
        assert any(p[SKOS + "broader"] for p in concepts.values()), kind
        assert sum(1 for p in concepts.values() if p[SKOS + "altLabel"]) >= len(concepts) * 0.8
        for iri, props in concepts.items():
            for broader in props[SKOS + "broader"]:
                assert broader.value in concepts, f"{iri} has unknown broader {broader}"
