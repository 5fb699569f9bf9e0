"""The tagger, compiled from the graph's own labels: concepts, instruments (titles, short
titles, abbreviations, symbols, "resolution 43/1"), bodies, entities, countries and
provision citations, with counts. Search calls the same function on queries."""

import pytest
from pyoxigraph import Store

from ingest.tagging import _FOLDED, Tagger
from kg.release import Releases

from .conftest import BASE, STATEMENT, STATEMENT_LINKS

ID = BASE + "id/"


@pytest.fixture(scope="module")
def tagger(base_release) -> Tagger:
    store = Store.read_only(str(Releases(base_release).current().store_path))
    return Tagger.from_store(store, BASE, "en")


def found(mentions) -> dict[str, int]:
    return {m.iri[len(ID) :]: m.count for m in mentions}


def test_statement_links_instruments_bodies_and_themes(tagger):
    got = found(tagger.tag(STATEMENT))
    assert {iri: got.get(iri) for iri in STATEMENT_LINKS} == STATEMENT_LINKS


def test_lemmas_and_case_are_ignored_but_acronyms_are_exact(tagger):
    got = found(tagger.tag("LAW ENFORCEMENT OFFICERS met with Roma and the Ohchr."))
    assert "theme/law-enforcement" in got and "group/roma" in got
    assert "entity/ohchr" not in got, "acronyms match only as written"


def test_longest_match_wins(tagger):
    got = found(tagger.tag("People of African descent and the Working Group of Experts on "
                           "People of African Descent"))  # fmt: skip
    assert got == {"group/people-of-african-descent": 1, "body/wgepad": 1}


def test_a_body_name_is_the_body_not_the_resolution_titled_after_it(tagger):
    got = found(tagger.tag("The Human Rights Council met; resolution 60/251 created it."))
    assert got == {"body/hrc": 1, "instrument/ga-res-60-251": 1}


def test_provision_citations_resolve_to_provision_iris(tagger):
    text = (
        "Article 2 (5) of the UN Minorities Declaration, article 4, paragraph 3 of the "
        "Declaration on the Rights of Persons Belonging to National or Ethnic, Religious and "
        "Linguistic Minorities and paragraph 2 of resolution 47/21 apply; article 9 (7) of the "
        "UN Minorities Declaration has no paragraph 7, and paragraph 5 of resolution 43/1 is "
        "not in the graph."
    )
    assert found(tagger.tag(text)) == {
        "instrument/unmd-1992": 3,
        "instrument/unmd-1992/art/2/para/5": 1,
        "instrument/unmd-1992/art/4/para/3": 1,
        "instrument/unmd-1992/art/9": 1,  # falls back to the article
        "instrument/hrc-res-47-21": 1,  # "resolution 47/21" (symbol A/HRC/RES/47/21)
        "instrument/hrc-res-47-21/para/2": 1,
        "instrument/hrc-res-43-1": 1,  # its paragraphs are not in the corpus: no provision
    }


def test_a_word_that_two_labels_share_is_counted_once(tagger):
    # "disability" is the lemma of the label "Disability" and of the label "disabilities"
    got = found(tagger.tag("Grounds of gender, disability and age; ageing with disabilities."))
    assert got == {"theme/gender": 1, "theme/disability": 2, "theme/age": 2}


def test_bare_citations_use_the_documents_instrument_or_the_sentence(tagger):
    unmd = ID + "instrument/unmd-1992"
    assert "instrument/unmd-1992/art/8/para/4" in found(tagger.tag("See article 8 (4).", unmd))
    assert found(tagger.tag("See article 8 (4).")) == {}
    same_sentence = found(tagger.tag("Under the UN Minorities Declaration, article 3 applies."))
    assert "instrument/unmd-1992/art/3" in same_sentence


def test_mentions_carry_kind_label_and_surface_form(tagger):
    [mention] = [m for m in tagger.tag("the covid-19 crisis and the pandemic") if m.kind == "theme"]
    assert (mention.label, mention.count, mention.surface) == ("COVID-19 response", 2, "covid-19")


def test_french_labels_in_a_french_text(base_release):
    store = Store.read_only(str(Releases(base_release).current().store_path))
    french = Tagger.from_store(store, BASE, "fr")
    got = found(french.tag("Le racisme et les droits des minorités au Sénégal."))
    assert {"theme/equality-non-discrimination", "theme/minority-protection", "country/sen"} <= set(
        got
    )


def test_shorter_forms_of_titles():
    from ingest.lexicon import _variants

    assert _variants("The Highest Aspiration: A Call to Action for Human Rights") >= {
        "A Call to Action for Human Rights",
        "Call to Action for Human Rights",
    }
    assert "World Conference against Racism" in _variants(
        "World Conference against Racism, Racial Discrimination, Xenophobia and Related Intolerance"
    )
    assert _variants("International Decade for People of African Descent") == {
        "Decade for People of African Descent"
    }
    assert _variants("UN Minorities Declaration") == set(), "two words are too few to be safe"


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_norms_are_the_lemmatizers_folded_lemmas(base_release, language):
    """The tagger sets NORM from its own lookups, skipping spaCy's lemmatizer pipe: each
    token's NORM must be what the pipe's lemma would give (lower-cased, "of" folded)."""
    store = Store.read_only(str(Releases(base_release).current().store_path))
    tagger = Tagger.from_store(store, BASE, language)
    text = {
        "en": "The States Parties undertook measures; LAW ENFORCEMENT Officers were trained "
        "for the Decades of People of African Descent, children's rights and women.",
        "fr": "Les États parties ont pris des mesures pour les personnes appartenant à des "
        "minorités nationales ou ethniques, religieuses et linguistiques.",
        "ar": "حقوق الأشخاص المنتمين إلى أقليات قومية أو إثنية وإلى أقليات دينية ولغوية",
    }[language]
    lemmatized = tagger.nlp(text)  # the whole pipe, lemmatizer included
    expected = []
    for token in lemmatized:
        lemma = tagger._lemmas.get(token.lower_) or token.lemma_.lower() or token.lower_
        lemma = lemma[0] if isinstance(lemma, list) else lemma
        expected.append("of" if lemma in _FOLDED.get(language, ()) else lemma)
    normed = tagger._normed(tagger.nlp(text, disable=["lemmatizer"]))
    assert [t.norm_ for t in normed] == expected
    if language != "ar":  # Arabic has no lookup table: its lemmas are the words themselves
        assert any(t.lemma_.lower() != t.lower_ for t in lemmatized)
