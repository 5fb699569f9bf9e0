"""Fusion of the lexical and dense rankings, keeping each part of the score:
reciprocal rank fusion, or a weighted sum of min-max normalised scores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

RRF_K = 60


@dataclass(slots=True)
class Scored:
    row: int
    lexical: float = 0.0  # raw BM25
    dense: float = 0.0  # cosine
    lexical_rank: int | None = None
    dense_rank: int | None = None
    fused: float = 0.0
    concept: float = 0.0
    pinned: bool = False
    matched: tuple[str, ...] = ()  # the query's concepts it is tagged with

    @property
    def score(self) -> float:
        return self.fused + self.concept + (10.0 if self.pinned else 0.0)


def merge(lexical: list[tuple[int, float]], dense: list[tuple[int, float]]) -> dict[int, Scored]:
    # positional arguments, no list per candidate: keywords and a default factory made
    # these 2,000 objects a search cost twice as much at 100k units
    out = {row: Scored(row, score, 0.0, rank) for rank, (row, score) in enumerate(lexical, 1)}
    for rank, (row, score) in enumerate(dense, start=1):
        found = out.get(row)  # no throwaway Scored per dense hit
        if found is None:
            out[row] = Scored(row, 0.0, score, None, rank)
        else:
            found.dense, found.dense_rank = score, rank
    return out


def rrf(candidates: dict[int, Scored]) -> None:
    for c in candidates.values():
        c.fused = sum(1 / (RRF_K + r) for r in (c.lexical_rank, c.dense_rank) if r is not None)
        c.fused *= RRF_K / 2  # scale: a unit first in both lists scores ~1


def weighted(candidates: dict[int, Scored], lexical_weight: float = 0.5) -> None:
    lex_max = max((c.lexical for c in candidates.values()), default=0.0) or 1.0
    dense_scores = [c.dense for c in candidates.values() if c.dense_rank is not None]
    low, high = (min(dense_scores), max(dense_scores)) if dense_scores else (0.0, 1.0)
    spread = (high - low) or 1.0
    for c in candidates.values():
        lex = c.lexical / lex_max
        den = (c.dense - low) / spread if c.dense_rank is not None else 0.0
        c.fused = lexical_weight * lex + (1 - lexical_weight) * den


def top(scored: list[Scored], n: int, name: Callable[[Scored], str]) -> list[Scored]:
    """The ``n`` best, in the order a full sort gives (score, then ``name``: the IRI). The
    scores are cut at the n-th best in an array and only what ties with or beats it is
    sorted in Python: a sort key per candidate cost more than the search at 100k units."""
    if len(scored) > n > 0:
        scores = np.fromiter((c.score for c in scored), dtype=np.float64, count=len(scored))
        cut = np.partition(scores, len(scores) - n)[len(scores) - n]  # the n-th best
        scored = [scored[i] for i in np.flatnonzero(scores >= cut).tolist()]
    return sorted(scored, key=lambda c: (-c.score, name(c)))[:n]


METHODS = {"rrf": rrf, "weighted": weighted}
