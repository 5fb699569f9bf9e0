"""Citations of provisions in running text: "article 27 of the International Covenant on
Civil and Political Rights", "article 4 (3)", "article 4, paragraph 3", "paragraph 5 of
resolution 43/1". Which instrument is cited is decided with the tagger's instrument
mentions (see ingest.tagging): the one named right after "of", else the document's own
instrument, else the only instrument named in the same sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.iris import Iris

_CITATION = re.compile(
    r"\b(?:(?:articles?|art\.|artículos?)\s+(?P<art>\d{1,3})"
    r"(?:\s*\((?P<sub>\d{1,2})\)|,?\s+(?:paragraphs?|para\.|párrafos?|paragraphes?)\s+(?P<para>\d{1,2}))?"
    r"|(?:paragraphs?|paras?\.|párrafos?|paragraphes?)\s+(?P<only>\d{1,3}))(?!\w)",
    re.I,
)
# what may stand between a citation and the instrument it cites
_OF = re.compile(r"\s*,?\s*(?:of|de|del|du|des)\s+(?:the\s+|la\s+|le\s+|l'|el\s+|los\s+)?", re.I)

Steps = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    steps: Steps  # (("art", "4"), ("para", "3")) or (("para", "5"),)
    of_at: int | None  # where the cited instrument's name must start, if "of ..." follows


def find(text: str) -> list[Citation]:
    out = []
    for match in _CITATION.finditer(text):
        if match["art"]:
            steps: Steps = (("art", match["art"]),)
            if match["sub"] or match["para"]:
                steps += (("para", match["sub"] or match["para"]),)
        else:
            steps = (("para", match["only"]),)
        of = _OF.match(text, match.end())
        out.append(Citation(match.start(), match.end(), steps, of.end() if of else None))
    return out


def provision(iris: Iris, instrument: str, steps: Steps, known: set[str] | dict) -> str | None:
    """The most specific provision of ``instrument`` that the steps name and the graph
    holds: article 4 (9) of an instrument whose article 4 has no paragraph 9 is article 4."""
    slug = iris.instrument_slug(instrument)
    if slug is None:
        return None
    for depth in range(len(steps), 0, -1):
        try:
            iri = iris.provision(slug, *steps[:depth]).value
        except ValueError:
            return None
        if iri in known:
            return iri
    return None
