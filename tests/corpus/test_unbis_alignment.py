"""The alignment of themes and groups with the UNBIS Thesaurus (ontology/unbis-alignment.ttl):
enough concepts matched, every other one accounted for with a reason, the Arabic,
Chinese and Russian labels of exact matches present and traced to their UNBIS concept."""

from __future__ import annotations

import re
from collections import Counter

from kg.embedded import ontology_dir

UNBIS = "http://metadata.un.org/thesaurus/"
# prefLabels of themes and groups per language: 70 concepts in English, French and
# Spanish; the 21 exact UNBIS matches give Arabic, Chinese and Russian. Two UNBIS terms
# read doubtfully and are replaced by the UN's own wording, each with its source in the
# editorial note (NOT_FROM_UNBIS). A change here is a change of coverage.
LABELS_PER_LANGUAGE = {"en": 70, "fr": 70, "es": 70, "ar": 21, "ru": 21, "zh": 21}
LEFT_OUT: set[tuple[str, str]] = set()
# concept, language -> the label that does not come from UNBIS, and where it does come from
NOT_FROM_UNBIS = {
    ("group/people-of-african-descent", "zh"): (
        "非洲人后裔",
        "https://www.un.org/zh/fight-racism/vulnerable-groups/people-of-african-descent",
    ),
    ("theme/association", "ar"): ("حرية تكوين الجمعيات", "https://undocs.org/ar/A/HRC/RES/15/21"),
}

_CONCEPTS = """
SELECT ?c ?match ?kind ?note WHERE {
  VALUES ?t { ng:Theme ng:RightsHolderGroup } ?c a ?t .
  OPTIONAL { VALUES (?p ?kind) { (skos:exactMatch "exact") (skos:closeMatch "close") }
             ?c ?p ?match }
  OPTIONAL { ?c skos:editorialNote ?note }
}"""


def _local(iri: str) -> str:
    return iri.split("/id/", 1)[1]


def test_at_least_forty_concepts_matched_and_the_rest_listed_with_a_reason(corpus):
    rows = corpus.select(_CONCEPTS)
    concepts = {_local(r["c"]) for r in rows}
    matched = {_local(r["c"]) for r in rows if r["match"]}
    assert len(matched) >= 40
    assert all(r["match"].startswith(UNBIS) for r in rows if r["match"])
    text = (ontology_dir() / "unbis-alignment.ttl").read_text()
    unmatched = dict(re.findall(r"^#\s+((?:theme|group)/[a-z0-9-]+): (.+)$", text, re.M))
    assert set(unmatched) == concepts - matched
    assert all(len(reason) > 20 for reason in unmatched.values())


def test_every_match_says_why(corpus):
    for r in corpus.select(_CONCEPTS):
        if r["match"]:
            assert r["note"] and r["note"].startswith(f"{r['kind'].title()} match: UNBIS ")


def test_exact_matches_have_six_languages_traced_to_unbis(corpus):
    rows = corpus.select(_CONCEPTS)
    exact = {_local(r["c"]): r for r in rows if r["kind"] == "exact"}
    labels = corpus.select(
        """SELECT ?c ?lang WHERE { VALUES ?t { ng:Theme ng:RightsHolderGroup } ?c a ?t ;
           skos:prefLabel ?l BIND(LANG(?l) AS ?lang) }"""
    )
    langs: dict[str, set[str]] = {}
    for r in labels:
        langs.setdefault(_local(r["c"]), set()).add(r["lang"])
    for concept, row in exact.items():
        missing = {"en", "fr", "es", "ar", "ru", "zh"} - langs[concept]
        assert missing == {lang for c, lang in LEFT_OUT if c == concept}, concept
        assert row["match"] in row["note"]  # the source of the labels
    for concept, names in langs.items():
        if concept not in exact:
            assert not names & {"ar", "ru", "zh"}, concept  # only exact matches get them
    assert Counter(r["lang"] for r in labels) == LABELS_PER_LANGUAGE


def test_doubtful_unbis_labels_are_left_out(corpus):
    found = corpus.select(
        """SELECT ?l WHERE { VALUES ?c { theme:association
           <https://w3id.org/normgraph/id/group/people-of-african-descent> }
           ?c skos:prefLabel ?l }"""
    )
    values = {r["l"] for r in found}
    assert "黑人" not in values and "حرية المشاركة" not in values


def test_a_label_not_from_unbis_names_its_un_source(corpus):
    for (concept, lang), (label, source) in NOT_FROM_UNBIS.items():
        row = corpus.select(
            f"""SELECT ?l ?note WHERE {{ <https://w3id.org/normgraph/id/{concept}>
               skos:prefLabel ?l ; skos:editorialNote ?note FILTER(LANG(?l) = "{lang}") }}"""
        )
        assert [r["l"] for r in row] == [label]
        assert source in row[0]["note"]
