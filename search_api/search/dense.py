"""Dense retrieval over FAISS: normalised vectors, inner product (= cosine).
Exact search (a flat index) for small releases; above a threshold an HNSW graph,
with scalar quantisation once memory matters. Row i is unit i of the units table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

EXACT_UP_TO = 50_000  # below this a flat index answers in milliseconds
QUANTISE_FROM = 1_000_000  # above this 8-bit scalar quantisation keeps memory in bounds


@dataclass(frozen=True)
class DenseHit:
    row: int
    score: float


def build(vectors: np.ndarray) -> faiss.Index:
    count, dimension = vectors.shape
    if count <= EXACT_UP_TO:
        index = faiss.IndexFlatIP(dimension)
    elif count < QUANTISE_FROM:
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
    else:
        index = faiss.IndexHNSWSQ(
            dimension, faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT
        )
        index.train(vectors)
    index.add(vectors)
    return index


def kind(index: faiss.Index) -> str:
    return "exact" if isinstance(index, faiss.IndexFlat) else "hnsw"


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    return faiss.read_index(str(path), faiss.IO_FLAG_READ_ONLY)


def search(index: faiss.Index, query: np.ndarray, k: int) -> list[DenseHit]:
    if index.ntotal == 0:
        return []
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = max(64, k)
    scores, rows = index.search(query.reshape(1, -1), min(k, index.ntotal))
    return [DenseHit(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
