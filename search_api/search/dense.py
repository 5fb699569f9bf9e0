"""Dense retrieval over FAISS: normalised vectors, inner product (= cosine).
Exact search (a flat index) for small releases; above a threshold an inverted
file with 8-bit scalar quantisation (IVF-SQ8): it trains in seconds where an
HNSW graph takes minutes on two cores, and holds a million 384-dimension
vectors in about 400 MB. Row i is unit i of the units table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

EXACT_UP_TO = 50_000  # below this a flat index answers in milliseconds
TRAIN_SAMPLE = 200_000  # k-means for the coarse quantiser sees at most this many vectors
NPROBE = 48  # cells visited per query: recall against latency (bench/search.py ann)


@dataclass(frozen=True)
class DenseHit:
    row: int
    score: float


def lists_for(count: int) -> int:
    """Coarse cells: about 4 * sqrt(n), so each holds a few hundred vectors."""
    return max(64, int(4 * count**0.5))


def build(vectors: np.ndarray) -> faiss.Index:
    count, dimension = vectors.shape
    if count <= EXACT_UP_TO:
        index = faiss.IndexFlatIP(dimension)
    else:
        quantiser = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFScalarQuantizer(
            quantiser,
            dimension,
            lists_for(count),
            faiss.ScalarQuantizer.QT_8bit,
            faiss.METRIC_INNER_PRODUCT,
        )
        sample = vectors[np.random.default_rng(0).permutation(count)[:TRAIN_SAMPLE]]
        index.train(sample)
    index.add(vectors)
    return index


def kind(index: faiss.Index) -> str:
    return "exact" if isinstance(index, faiss.IndexFlat) else "ivf-sq8"


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    return faiss.read_index(str(path), faiss.IO_FLAG_READ_ONLY)


def nearest(
    index: faiss.Index, query: np.ndarray, k: int, floor: float = -1.0
) -> list[tuple[int, float]]:
    """(row, cosine) of the ``k`` nearest units, best first, those below ``floor`` left out."""
    if index.ntotal == 0:
        return []
    if isinstance(index, faiss.IndexIVF):
        index.nprobe = NPROBE
    scores, rows = index.search(query.reshape(1, -1), min(k, index.ntotal))
    keep = (rows[0] >= 0) & (scores[0] >= floor)
    return list(zip(rows[0][keep].tolist(), scores[0][keep].tolist(), strict=True))


def search(index: faiss.Index, query: np.ndarray, k: int) -> list[DenseHit]:
    return [DenseHit(row, score) for row, score in nearest(index, query, k)]
