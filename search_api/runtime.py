"""The per-process handle on the open release: its store, manifest, query
pool and SPARQL lane. Between requests it notices a newer `current` and switches to it, so a
new build or ingest goes live without a restart; requests already running keep
the objects they started with."""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

import requests
from flask import current_app, g, has_request_context
from pyoxigraph import Store

from kg.config import Settings
from kg.iris import Iris
from kg.release import Release, Releases
from kg.sparql_lane import Lane, LaneKeeper
from kg.sparql_pool import KEPT_OPEN, QueryPool
from kg.sparql_remote import Engine, uses_functions
from kg.store import open_read_only, union_query, with_iris
from search_api.cache import AnswerCache
from search_api.descriptions import graph_sizes
from search_api.reconcile.catalog import Catalog
from search_api.reconcile.service import Service
from search_api.search.encoder import Encoder
from search_api.search.engine import Searcher
from search_api.search.query_vectors import RememberingEncoder
from search_api.search.suggest import Suggester


class Live:
    """One release as a worker sees it: immutable once opened."""

    def __init__(
        self,
        release: Release,
        encoder: Encoder | RememberingEncoder,
        cache_bytes: int = 0,
        settings: Settings | None = None,
    ) -> None:
        self.release, self.encoder = release, encoder
        self.store: Store = open_read_only(release)
        self.iris = Iris(release.manifest.base_iri)
        self.answers = AnswerCache(cache_bytes)  # dies with this release's handle
        self.engine_url = settings.sparql_url if settings else ""
        self.limit = settings.query_timeout if settings else 30.0

    @property
    def base(self) -> str:
        return self.release.manifest.base_iri

    def engine_for(self, text: str) -> str | None:
        """The external engine that answers the query ``text`` on this release, or None
        for the embedded store (no engine set, or the query calls ngf: functions). /sparql
        and the pages' own queries both ask here."""
        if self.engine_url and not uses_functions(text, self.base):
            return self.engine_url
        return None

    def query(self, text: str, substitutions: dict[str, str] | None = None) -> Iterable:
        """A page's own query (kg.store.PageQuery), where engine_for sends it: the union of
        this release's graphs as the default graph on either."""
        text = with_iris(text, substitutions)
        if self.engine_for(text) is None:
            return self._embedded(text)
        return self._engine.run(text, self.base, timeout=self.limit).value

    @cached_property
    def _embedded(self):
        return union_query(self.store, self.base)

    @cached_property
    def _engine(self) -> Engine:
        # one session per release handle: a page's queries reuse its connections
        return Engine(self.engine_url, self.release.id, tuple(self.graph_sizes), requests.Session())

    @cached_property
    def graph_sizes(self) -> dict[str, int]:
        return graph_sizes(self.store)

    @cached_property
    def suggester(self) -> Suggester:
        return Suggester.from_store(self.store, self.iris)

    @cached_property
    def reconciler(self) -> Service:
        return Service(Catalog.from_store(self.store, self.iris))

    @cached_property
    def searcher(self) -> Searcher:
        return Searcher.from_release(self.release, self.store, self.encoder)


class Runtime:
    def __init__(self, settings: Settings, lane: Lane | None = None) -> None:
        self.settings = settings
        self.releases = Releases(settings.release_dir)
        self._live: Live | None = None
        self._target: str | None = None
        self._pools: dict[str, QueryPool] = {}
        self._lock = threading.Lock()
        self._lane = lane
        self._kept: dict[str, Live] = {}  # older releases opened by id (kept)
        self._own_keeper: LaneKeeper | None = None  # when no server hands a lane in

    def live(self) -> Live:
        """The current release, reopened if `current` moved since the last look."""
        try:
            target = os.readlink(self.releases.current_link)
        except OSError:
            target = None
        with self._lock:
            if self._live is None or target != self._target:
                # raises ReleaseNotFound; the encoder (a model) is shared by all releases
                current = self.releases.current()
                if self._live is not None:  # once the last request on it is done
                    weakref.finalize(self._live, give_back_memory)
                self._live = Live(current, self.encoder, self.settings.answer_cache, self.settings)
                self._target = target
            live = self._live
        if has_request_context():
            g.normgraph_release = live.release.id  # the app names it on the response
        return live

    def kept(self, release_id: str) -> Live:
        """A release this root keeps, by id: the current one's handle, or one opened
        read-only for older ones (a few per worker, dropped when the release is pruned).
        ReleaseNotFound for any other id."""
        live = self.live()
        if live.release.id == release_id:
            return live
        release = self.releases.get(release_id)  # only what the root holds now, by name
        with self._lock:
            handle = self._kept.pop(release_id, None)
            if handle is None or handle.release.path != release.path:
                cache = self.settings.answer_cache // KEPT_OPEN
                handle = Live(release, self.encoder, cache, self.settings)
            self._kept[release_id] = handle  # the most recently used last
            while len(self._kept) > KEPT_OPEN:
                self._kept.pop(next(iter(self._kept)))
        if has_request_context():
            g.normgraph_release = release_id
        return handle

    @cached_property
    def encoder(self) -> RememberingEncoder:
        return RememberingEncoder(Encoder.from_settings(self.settings, threads=1))

    @property
    def lane(self) -> Lane:
        """The server's SPARQL lane, or one of this app's own, made on first use."""
        with self._lock:
            if self._lane is None:
                directory = Path(tempfile.mkdtemp(prefix="normgraph-lane-"))
                self._own_keeper = keeper_for(self.settings, directory)
                self._lane = lane_for(self.settings, directory)
            return self._lane

    def pool(self) -> QueryPool:
        """Processes for queries: as many as the lane has places, since one worker's
        threads may hold all of them."""
        return self._pool("query", self.settings.query_workers)

    def update_pool(self) -> QueryPool:
        """One process for authorised updates, which stay out of the query lane."""
        return self._pool("update", 1)

    def _pool(self, name: str, size: int) -> QueryPool:
        with self._lock:
            if name not in self._pools:
                self._pools[name] = QueryPool(size)
            return self._pools[name]

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        if self._own_keeper is not None:
            self._own_keeper.close()
            shutil.rmtree(self._own_keeper.path.parent, ignore_errors=True)


def lane_for(settings: Settings, directory: Path) -> Lane:
    """The way into the SPARQL lane whose keeper listens in ``directory``."""
    return Lane(directory, wait=settings.query_wait)


def keeper_for(settings: Settings, directory: Path) -> LaneKeeper:
    """The SPARQL lane the settings describe, kept by a thread of this process and
    reached through ``directory`` (private to the server)."""
    return LaneKeeper(
        directory, slots=settings.query_workers, per_client=settings.queries_per_client
    ).start()


def give_back_memory() -> None:
    """Return the heap a closed release freed to the system. glibc keeps freed memory
    for reuse, so without this a worker stays as large as it was while two releases
    were open at once, during the switch."""
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is not None:
        trim(0)


_LIBC = ctypes.CDLL(None)  # the C library the process runs on (malloc_trim: glibc only)


def runtime() -> Runtime:
    return current_app.extensions["normgraph"]
