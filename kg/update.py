"""SPARQL updates through the release mechanism: copy the current store into a
staging release, apply the update there, commit atomically. Readers never see
a store being written, and a failed or killed update leaves `current` as it was."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from kg import store as stores
from kg import version
from kg.errors import InvalidRequest
from kg.iris import Iris
from kg.progress import silent
from kg.release import Finalizer, Release, Releases, new_release_id
from kg.sparql import update
from kg.sparql_text import DatasetConflict, apply_using


def apply(
    releases: Releases,
    text: str,
    using: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
    relative_base: str | None = None,
    keep: int = 3,
    finalize: Finalizer | None = None,
) -> Release:
    """Apply ``text`` to a copy of the current release and make the copy current.
    ``using`` is the protocol's (using-graph-uri, using-named-graph-uri); relative IRIs
    resolve against ``relative_base`` (the endpoint) or the release's base IRI."""
    try:
        text = apply_using(text, *using)
    except DatasetConflict as error:
        raise InvalidRequest(str(error)) from None
    with releases.stage(from_current=True) as stage:
        previous = releases.current()
        store = stores.create(stage.store_path)
        update(store, text, previous.manifest.base_iri, relative_base)
        store.flush()
        iris = Iris(previous.manifest.base_iri)
        counts, checksum = stores.census(store, iris), stores.checksum(store)
        del store  # close RocksDB before the directory is renamed
        manifest = dataclasses.replace(
            previous.manifest,
            release_id=new_release_id(checksum),
            created_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            normgraph_version=version(),
            counts=counts,
            inputs=[*previous.manifest.inputs, _update_input(text)],
            checksums={"nquads_sha256": checksum},
            previous=previous.id,
        )
        if finalize is not None:
            finalize(stage.path, manifest, previous.path, silent())
        return stage.commit(manifest, keep=keep)


def _update_input(text: str) -> dict[str, str]:
    return {
        "file": "sparql-update",
        "graph": "",
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
    }
