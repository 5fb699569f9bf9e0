"""Which language a query is in, when the request does not say."""

import pytest

from ingest.language import guess

# words only one language's labels use, as ingest.language.vocabulary reads them from the graph
KNOWN = {"en": {"profiling"}, "fr": {"raciale", "minorités"}, "es": {"odio", "afrodescendientes"}}


@pytest.mark.parametrize(
    "query,lang",
    [
        ("can minority children be taught in their mother tongue", "en"),
        ("hate speech", "en"),
        ("A/RES/47/135", "en"),
        ("GR 36", "en"),
        ("Qui surveille l'application de la Convention ?", "fr"),
        ("enseignement dans la langue maternelle", "fr"),
        ("discrimination raciale", "fr"),
        ("¿Cómo se protegen los derechos de las minorías?", "es"),
        ("discurso de odio", "es"),
        ("personas afrodescendientes", "es"),
        ("حقوق الأقليات", "ar"),
        ("права меньшинств", "ru"),
        ("少数群体的权利", "zh"),
    ],
)
def test_detect(query, lang):
    assert guess(query, known=KNOWN) == lang


def test_without_the_graphs_words_a_bare_keyword_stays_english():
    assert guess("discurso odio") == "en"
