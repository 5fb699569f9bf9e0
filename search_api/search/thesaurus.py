"""The concept schemes and their top concepts, with labels in a chosen language."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.store import PageQuery

_SCHEMES = """
SELECT ?scheme ?top ?schemeLabel ?topLabel (COUNT(DISTINCT ?narrower) AS ?n) WHERE {
  ?scheme a skos:ConceptScheme ; skos:prefLabel ?schemeLabel .
  OPTIONAL { ?top skos:topConceptOf ?scheme ; skos:prefLabel ?topLabel .
             OPTIONAL { ?narrower skos:broader ?top } }
} GROUP BY ?scheme ?top ?schemeLabel ?topLabel
"""


@dataclass
class Concept:
    iri: str
    label: str
    narrower: int = 0


@dataclass
class Scheme:
    iri: str
    label: str
    top_concepts: list[Concept] = field(default_factory=list)


def schemes(query: PageQuery, lang: str = "en") -> list[Scheme]:
    labels: dict[str, dict[str, str]] = {}
    tops: dict[str, dict[str, int]] = {}
    for row in query(_SCHEMES, None):
        scheme = row["scheme"].value
        labels.setdefault(scheme, {})[row["schemeLabel"].language or ""] = row["schemeLabel"].value
        tops.setdefault(scheme, {})
        if row["top"] is not None:
            top = row["top"].value
            labels.setdefault(top, {})[row["topLabel"].language or ""] = row["topLabel"].value
            tops[scheme][top] = int(row["n"].value)

    def pick(iri: str) -> str:
        by_lang = labels.get(iri, {})
        return by_lang.get(lang) or by_lang.get("en") or next(iter(by_lang.values()), iri)

    return [
        Scheme(
            scheme,
            pick(scheme),
            sorted(
                (Concept(t, pick(t), n) for t, n in tops[scheme].items()),
                key=lambda c: c.label.casefold(),
            ),
        )
        for scheme in sorted(tops)
    ]
