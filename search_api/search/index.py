"""Build the search indexes inside a staged release, so that the store and the
indexes always come from the same release. Embeddings are reused from the
previous release for every unit whose text has not changed, so a rebuild, an
update or an ingest only encodes what is new."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pyoxigraph import Store

from kg.iris import Iris
from kg.progress import Progress
from kg.release import Finalizer, Manifest
from search_api.search import dense, lexical
from search_api.search.encoder import Encoder
from search_api.search.units import Unit, collect, read_table, write_table

SEARCH_DIR = "search"
UNITS, VECTORS, DENSE, LEXICAL, INFO = (
    "units.sqlite",
    "vectors.npy",
    "dense.faiss",
    "lexical",
    "index.json",
)


def _previous_vectors(previous: Path | None, model_id: str) -> dict[str, np.ndarray]:
    """text hash -> vector, from a previous release built with the same model."""
    if previous is None or not (previous / SEARCH_DIR / INFO).is_file():
        return {}
    info = json.loads((previous / SEARCH_DIR / INFO).read_text())
    if info.get("model") != model_id:
        return {}
    units = read_table(previous / SEARCH_DIR / UNITS)
    vectors = np.load(previous / SEARCH_DIR / VECTORS)
    return {u.text_hash: vectors[i] for i, u in enumerate(units)}


def _vectors(
    units: list[Unit], encoder: Encoder, reuse: dict[str, np.ndarray], progress: Progress
) -> tuple[np.ndarray, int]:
    missing = [u for u in units if u.text_hash not in reuse]
    with progress.step(f"embedding {len(missing)} new texts ({len(units) - len(missing)} reused)"):
        fresh = dict(
            zip(
                (u.text_hash for u in missing),
                encoder.encode([u.text for u in missing]),
                strict=True,
            )
        )
    table = {**reuse, **fresh}
    if not units:
        return np.zeros((0, encoder.dimension), dtype=np.float32), 0
    return np.stack([table[u.text_hash] for u in units]).astype(np.float32), len(missing)


def build_indexes(
    release_dir: Path,
    manifest: Manifest,
    previous: Path | None,
    encoder: Encoder,
    progress: Progress,
) -> None:
    """Collect the units of the staged store and write every search index beside it;
    record the model, its dimension and the unit count in the manifest."""
    target = release_dir / SEARCH_DIR
    target.mkdir()
    store = Store.read_only(str(release_dir / "store"))
    with progress.step("collecting search units") as step:
        units = collect(store, Iris(manifest.base_iri))
        step.done(f"{len(units)} units")
    vectors, encoded = _vectors(
        units, encoder, _previous_vectors(previous, encoder.model_id), progress
    )
    with progress.step("writing dense, lexical and unit indexes") as step:
        write_table(target / UNITS, units)
        np.save(target / VECTORS, vectors)
        index = dense.build(vectors)
        dense.save(index, target / DENSE)
        lexical.build(target / LEXICAL, units)
        info = {
            **encoder.describe(),
            "units": len(units),
            "dense": dense.kind(index),
            "encoded": encoded,
        }
        (target / INFO).write_text(json.dumps(info, indent=2) + "\n")
        step.done(f"{dense.kind(index)} dense index, {len(units)} units")
    manifest.embedding = encoder.describe()
    manifest.counts["units"] = len(units)


def finalizer(model_id: str, backend: str = "auto", cache_dir: str | None = None) -> Finalizer:
    """The kg.release.Finalizer that builds the search indexes with ``model_id`` run by
    ``backend`` (the model is loaded once, on first use; see encoder.encoder_args)."""
    encoder = Encoder(model_id, backend=backend, cache_dir=Path(cache_dir) if cache_dir else None)

    def finalize(
        release_dir: Path, manifest: Manifest, previous: Path | None, progress: Progress
    ) -> None:
        build_indexes(release_dir, manifest, previous, encoder, progress)

    return finalize
