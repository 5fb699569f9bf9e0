"""French and Spanish queries put into English: the graph's labels for what they
name, the glossary for the other words."""

from search_api.search.translate import Glossary, glossary, to_english

ROWS = [
    {"en": "mother tongue", "fr": "langue maternelle", "es": "lengua materna"},
    {"en": "language", "fr": "langue|langues", "es": "lengua|lenguas|idioma"},
    {"en": "children", "fr": "enfant|enfants", "es": "niño|niños|niña|niñas"},
    {"en": "minority", "fr": "minorité|minoritaire", "es": "minoría|minoritario"},
    {"en": "teach", "fr": "enseigner|enseigne", "es": "enseñar|enseña"},
]


def test_longest_phrase_first_stems_and_no_accents_needed():
    fr = Glossary(ROWS, "fr")
    assert fr("enseigner aux enfants dans leur langue maternelle") == (
        "teach children mother tongue"
    )
    assert fr("les langues des minorites") == "language minority"  # plural, accent left out
    es = Glossary(ROWS, "es")
    assert es("¿Pueden los niños de minorías aprender en su lengua materna?") == (
        "Pueden children minority aprender mother tongue"
    )


def test_what_the_query_names_takes_the_graphs_english_label():
    named = [("Comité pour l'élimination de la discrimination raciale", "CERD committee")]
    english = to_english(
        "Qui élit le Comité pour l'élimination de la discrimination raciale ?", "fr", named
    )
    assert english.endswith("CERD committee")
    assert "Comité" not in english


def test_the_shipped_glossary_covers_both_languages():
    for lang in ("fr", "es"):
        words = glossary(lang)
        assert words is not None and len(words.terms) > 1000
    assert glossary("fr")("droits de l'homme") == "human rights"
    assert glossary("es")("derechos humanos") == "human rights"
    assert glossary("en") is None
    assert to_english("hate speech", "en", []) == "hate speech"
