"""Countries of ISO 3166-1, through pycountry: the one description of a country, used by the
corpus (where a practice takes place) and by ingest (the countries a passage names)."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from typing import Any

import pycountry
from pyoxigraph import Literal, NamedNode

from kg.iris import Iris

# The six UN languages; pycountry ships ISO 3166-1 names in each (from Debian's iso-codes).
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
SOURCE = "https://www.iso.org/iso-3166-country-codes.html"

Add = Callable[[NamedNode, str, Any], None]


def find(name: str) -> Any | None:
    """The country with this ISO 3166-1 name, official name, common name or code, or None."""
    try:
        return pycountry.countries.lookup(name.strip())
    except LookupError:
        return None


@cache
def translator(language: str) -> Callable[[str], str]:
    """ISO 3166-1 names in ``language``; a name without a translation stays English."""
    if language == "en":
        return str
    try:
        catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return str
    return catalog.gettext


def describe(add: Add, iris: Iris, code: str) -> NamedNode:
    """Say what a graph needs of a country (type, names in the UN languages, code) through
    ``add(subject, curie, object)``, and return its IRI."""
    country = pycountry.countries.get(alpha_3=code.upper())
    if country is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 code")
    me = iris.country(country.alpha_3)
    add(me, "rdf:type", iris.term("Country"))
    for language in LANGUAGES:
        name = translator(language)(country.name)
        if language == "en" or name != country.name:  # untranslated: English says it already
            add(me, "rdfs:label", Literal(name, language=language))
    add(me, "dcterms:identifier", Literal(country.alpha_3))
    add(me, "dcterms:source", NamedNode(SOURCE))
    return me
