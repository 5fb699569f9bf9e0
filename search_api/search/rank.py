"""How the engine weighs its signals, in one place: the share of BM25 in the fused
score, the concept boost and what the dense query is made of. English queries and
the others get their own weights, because BM25 works on the English corpus text and
a French or Spanish query shares few words with it.

Every value was chosen on the tune half of ``bench/qrels.tsv`` only (``bench/tune.py``:
the best mean nDCG@10, a tie within 0.01 going to the smaller boost); the README gives
the held-out figures (``normgraph eval``). Two other layers were
tried there and lost, so they are not here: a boost for the parts of an instrument the
query names, and a cap on the hits of one instrument before others get a place; and
a concept boost that is not scaled by the concept's specificity, or that several
named concepts share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    lexical: float  # share of normalised BM25 in the fused score; dense has the rest
    # boost for a unit tagged with a concept the query names, times the concept's
    # specificity: a concept that tags half the corpus says little about the answer
    concept: float
    # the query is put into English (search_api.search.translate): its embedding is
    # blended with the English version's, and BM25 reads both
    translate: bool
    original: float  # the query's own embedding's share in that blend


WEIGHTS = {
    "en": Weights(lexical=0.2, concept=0.35, translate=True, original=0.25),
    "other": Weights(lexical=0.1, concept=0.5, translate=True, original=0.0),
}


def weights_for(lang: str) -> Weights:
    return WEIGHTS["en" if lang == "en" else "other"]


def covers(surfaces: Iterable[str], query: str, share: float = 0.6) -> bool:
    """Whether the named things make up most of the query's words (a bare citation)."""
    words = len(query.split())
    named = sum(len(s.split()) for s in surfaces)
    return words > 0 and named / words >= share
