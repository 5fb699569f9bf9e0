"""Choose the ranking weights (search_api/search/rank.py) on the tune half of the
judged queries, never on the held-out half.

    .venv/bin/python bench/tune.py [--qrels bench/qrels.tsv] [--top 10]

For English queries and for the others apart, every combination of the grid below
is scored by mean nDCG@10 over that group's tune-half queries; the best are printed,
with the weights in rank.WEIGHTS for comparison. Copy the winners into rank.WEIGHTS
by hand, then report both halves with `normgraph eval`.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

from search_api.search.rank import WEIGHTS, Weights

GRID = {
    "lexical": (0.1, 0.2, 0.35, 0.5),
    "concept": (0.2, 0.35, 0.5, 0.7, 1.0),
    "translate": (True,),
    "original": (0.0, 0.25, 0.5),
}


class CachedEncoder:
    """The real encoder, each text embedded once for the whole sweep."""

    def __init__(self, encoder) -> None:
        self.encoder, self.cache = encoder, {}
        self.model_id, self.dimension = encoder.model_id, encoder.dimension

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        missing = [t for t in texts if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.encoder.encode(missing), strict=True))
        return np.stack([self.cache[t] for t in texts])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qrels", type=Path, default=Path(__file__).parent / "qrels.tsv")
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()

    from kg.config import Settings
    from kg.release import Releases
    from kg.store import open_read_only
    from search_api.search.encoder import Encoder
    from search_api.search.engine import Searcher
    from search_api.search.evaluate import PEER, evaluate, read_qrels

    release = Releases(Settings.load().release_dir).current()
    searcher = Searcher.from_release(release, open_read_only(release), Encoder())
    searcher.encoder = CachedEncoder(searcher.encoder)
    tune = [j for j in read_qrels(args.qrels) if j.half == "tune"]
    groups = {
        "en": [j for j in tune if j.lang == "en"],
        "other": [j for j in tune if j.lang != "en"],
    }
    for group, judged in groups.items():
        print(f"\n{group}: {len(judged)} tune-half queries")
        everyone = lambda j: True  # noqa: E731
        peer = evaluate(searcher, judged, runs=(PEER,)).mean(PEER, "nDCG@10", everyone)
        print(f"  {PEER}: {peer:.3f}")
        scored = []
        for values in itertools.product(*GRID.values()):
            weights = Weights(**dict(zip(GRID, values, strict=True)))
            report = evaluate(searcher, judged, runs=("default",), weights=weights)
            scored.append((report.mean("default", "nDCG@10", everyone), weights))
        scored.sort(key=lambda s: -s[0])
        current = WEIGHTS[group]
        mine = (
            next(s for s, w in scored if w == current)
            if current in [w for _, w in scored]
            else None
        )
        print(f"  rank.WEIGHTS[{group!r}] = {current}: {mine if mine is None else f'{mine:.3f}'}")
        for score, weights in scored[: args.top]:
            print(f"  {score:.3f}  {weights}")


if __name__ == "__main__":
    main()
