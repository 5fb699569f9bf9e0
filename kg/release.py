"""Releases: one directory holds everything the server reads, and a `current`
symlink says which one is live (docs/architecture.md, "The release model").

Layout under the release root::

    current -> releases/<id>        switched atomically (symlink + rename)
    releases/<id>/store/            pyoxigraph (RocksDB)
    releases/<id>/passages.sqlite   passage table of ingested documents (ingest/passages.py)
    releases/<id>/manifest.json
    releases/.staging-<pid>-<n>/    a release being written; never read
    .lock                           held by the one process that writes

A build writes into a staging directory (empty, or for ingest a copy of the
current release: the store through its backup facility, which hard-links
RocksDB's immutable files, and the passage table through SQLite's backup API)
and only then renames it and switches `current`; a build that fails or is
killed leaves the previous release current and untouched, and its staging
leftovers are swept by the next writer.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Store

from kg.errors import BuildInProgress, ReleaseNotFound
from kg.export import write_dumps
from kg.progress import Progress

MANIFEST = "manifest.json"
STORE = "store"
PASSAGES = "passages.sqlite"


@dataclass
class Manifest:
    release_id: str
    created_at: str
    normgraph_version: str
    base_iri: str
    ontology: dict[str, str]
    counts: dict[str, int]
    inputs: list[dict[str, str]]
    checksums: dict[str, str]
    previous: str | None = None
    # Filled by the search index builder; the server refuses a model mismatch.
    embedding: dict[str, Any] = field(default_factory=lambda: {"model": None, "dimension": None})

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Release:
    path: Path
    manifest: Manifest

    @property
    def id(self) -> str:
        return self.manifest.release_id

    @property
    def store_path(self) -> Path:
        return self.path / STORE

    @property
    def passages_path(self) -> Path:
        return self.path / PASSAGES


# Called on a staged release (store closed) before it is committed, with the manifest
# to complete and the previous release's directory (or None). The search indexes are
# built this way, by the layer that owns them, wired in by the roots (search_api/cli.py, the app).
Finalizer = Callable[[Path, "Manifest", Path | None, Progress], None]


def new_release_id(checksum: str, now: dt.datetime | None = None) -> str:
    """Sortable by time, and tells two contents apart at a glance."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{checksum[:8]}"


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Stage:
    """A release being written. Only :meth:`commit` makes it visible."""

    def __init__(self, releases: Releases, path: Path, base: Release | None = None) -> None:
        self.releases, self.path, self.base = releases, path, base
        self.committed: Release | None = None

    @property
    def store_path(self) -> Path:
        return self.path / STORE

    @property
    def passages_path(self) -> Path:
        return self.path / PASSAGES

    def commit(self, manifest: Manifest, keep: int = 3, copy: Store | None = None) -> Release:
        """Write the dumps (from ``copy``, an in-memory store with the same quads, when
        given) and the manifest, publish the directory, switch `current` to it. The store
        must be closed (no writer open) by now."""
        manifest.checksums.update(write_dumps(self.path, manifest.base_iri, copy))
        _write_atomic(self.path / MANIFEST, manifest.to_json())
        final = self.releases.releases_dir / self.releases.free_id(manifest.release_id)
        if final.name != manifest.release_id:
            manifest.release_id = final.name
            _write_atomic(self.path / MANIFEST, manifest.to_json())
        os.rename(self.path, final)
        _fsync_dir(self.releases.releases_dir)
        self.releases._point_current_to(final)
        self.committed = Release(final, manifest)
        self.releases.prune(keep)
        return self.committed

    def install(self, manifest: Manifest, keep: int = 3) -> Release:
        """Publish a staged copy of a release built elsewhere (kg.pack) under its own id,
        as it is, and switch `current` to it."""
        final = self.releases.releases_dir / manifest.release_id
        os.rename(self.path, final)  # the caller checked, under the lock, that it is new
        _fsync_dir(self.releases.releases_dir)
        self.committed = Release(final, manifest)
        self.releases.switch_to(final, keep)
        return self.committed


def copy_release_data(release: Release, target: Path) -> None:
    """Copy a release's store and passage table into ``target`` (a staging directory),
    cheaply: RocksDB hard-links its immutable files, SQLite copies page by page."""
    Store.read_only(str(release.store_path)).backup(str(target / STORE))
    if release.passages_path.is_file():
        copy_sqlite(release.passages_path, target / PASSAGES)


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite database, even while readers have it open."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


class Releases:
    """The release root: reading the current release, staging and committing new ones."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.releases_dir = self.root / "releases"
        self.current_link = self.root / "current"

    def exists(self) -> bool:
        return (self.current_link / MANIFEST).is_file()

    def free_id(self, release_id: str) -> str:
        """``release_id``, or with a suffix when a release has it (two builds in one
        second with the same content)."""
        suffix, free = 1, release_id
        while (self.releases_dir / free).exists():
            suffix += 1
            free = f"{release_id}-{suffix}"
        return free

    def current(self) -> Release:
        if not self.exists():
            raise ReleaseNotFound(
                f"no current release in {self.root}/ (run `normgraph build`, or set "
                "NORMGRAPH_RELEASE_DIR / --release-dir to where one was built)"
            )
        path = self.current_link.resolve()  # resolve once: a later switch must not move us
        return Release(path, Manifest.read(path / MANIFEST))

    def get(self, release_id: str) -> Release:
        """A release this root holds, by id."""
        for path in self.all():
            if path.name == release_id and (path / MANIFEST).is_file():
                return Release(path, Manifest.read(path / MANIFEST))
        held = ", ".join(p.name for p in self.all()) or "none"
        raise ReleaseNotFound(f"no release {release_id!r} in {self.root}/ (it holds: {held})")

    def all(self) -> list[Path]:
        if not self.releases_dir.is_dir():
            return []
        return sorted(p for p in self.releases_dir.iterdir() if not p.name.startswith("."))

    @contextmanager
    def stage(self, from_current: bool = False) -> Iterator[Stage]:
        """Hold the write lock, sweep dead staging dirs, and give a fresh one (with
        ``from_current``, a copy of the current release to add to — store by RocksDB
        backup, hard links where possible, passage table by SQLite backup; ``stage.base``
        is that release). On any exception the staging directory is removed; `current`
        is untouched."""
        self.releases_dir.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BuildInProgress(
                    f"another normgraph process is writing a release in {self.root}/ "
                    "(it holds .lock); wait for it to finish"
                ) from None
            for leftover in self.releases_dir.glob(".staging-*"):
                shutil.rmtree(leftover, ignore_errors=True)
            path = self.releases_dir / f".staging-{os.getpid()}"
            path.mkdir()
            # read `current` under the lock: no other writer can switch it until we are done
            base = self.current() if from_current else None
            stage = Stage(self, path, base)
            try:
                if base is not None:
                    copy_release_data(base, stage.path)
                yield stage
            finally:
                if stage.committed is None:
                    shutil.rmtree(path, ignore_errors=True)

    def _point_current_to(self, release_path: Path) -> None:
        tmp = self.root / f".current-{os.getpid()}"
        if tmp.is_symlink():
            tmp.unlink()
        os.symlink(os.path.relpath(release_path, self.root), tmp)
        os.replace(tmp, self.current_link)  # rename(2) is atomic: readers see old or new
        _fsync_dir(self.root)

    def switch_to(self, release_path: Path, keep: int = 3) -> Release:
        """Make a release this root holds current (the caller holds the write lock)."""
        self._point_current_to(release_path)
        self.prune(keep)
        return Release(release_path, Manifest.read(release_path / MANIFEST))

    def kept(self) -> list[Release]:
        """Every release this root holds, oldest first."""
        return [
            Release(p, Manifest.read(p / MANIFEST)) for p in self.all() if (p / MANIFEST).is_file()
        ]

    def prune(self, keep: int) -> list[Path]:
        """Remove all but the newest ``keep`` releases; never the current one."""
        current = self.current_link.resolve() if self.current_link.exists() else None
        removed = []
        for old in self.all()[: max(0, len(self.all()) - keep)]:
            if old.resolve() != current:
                shutil.rmtree(old, ignore_errors=True)
                removed.append(old)
        return removed
