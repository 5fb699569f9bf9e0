"""Worker processes that run SPARQL, so that a query past its deadline can be
stopped: pyoxigraph cannot cancel a running query, but a process can be killed.

Each web worker owns a small pool (how many run at once in the whole server is
the SPARQL lane's business: kg.sparql_lane). A job goes to an idle child; if no answer
comes within the limit the child is killed (SIGKILL) and replaced on demand,
and the caller gets QueryTimeout — never a partial result. Children open
releases read-only and keep the few used last open between jobs (STORES_OPEN).
"""

from __future__ import annotations

import io
import multiprocessing
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg import errors
from kg.formats import by_name
from kg.sparql import Answer, Dataset, QueryLost, QueryRefused, QueryTimeout, run

# older releases kept open beside the current one, for /releases/{id}/sparql: in a query
# process, opening a store costs ~20 ms against a job of ~0.5 ms (README)
KEPT_OPEN = 4
STORES_OPEN = KEPT_OPEN + 1


@dataclass(frozen=True)
class QueryJob:
    release_path: str
    text: str
    base_iri: str
    formats: dict[str, str | None]  # result kind -> format name, None if not acceptable
    max_results: int
    dataset: Dataset = field(default_factory=Dataset)
    relative_base: str | None = None
    # (factory, arguments...): called once per process, its result has
    # for_release(release_path, base_iri) -> custom SPARQL functions (ngf:similarity);
    # the composition root passes it, so kg names no upper layer
    functions: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class UpdateJob:
    release_root: str
    text: str
    using: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    relative_base: str | None = None
    # (factory, arguments...) returning a kg.release.Finalizer, so that the layer that owns
    # the search indexes rebuilds them without kg importing it
    finalizer: tuple[Any, ...] | None = None


# errors a child may report, rebuilt by name in the parent
_ERRORS: dict[str, type[errors.NormgraphError]] = {
    cls.__name__: cls
    for cls in (
        errors.NormgraphError,
        errors.QuerySyntaxError,
        errors.FormatError,
        errors.NotAcceptable,
        errors.InvalidRequest,
        errors.ReleaseNotFound,
        errors.BuildInProgress,
        QueryRefused,
    )
}


def _perform(job: QueryJob | UpdateJob, cache: dict[str, Any]) -> Answer:
    if isinstance(job, UpdateJob):
        from kg.release import Releases
        from kg.update import apply

        releases = Releases(Path(job.release_root))
        finalize = _load(job.finalizer, cache) if job.finalizer else None
        release = apply(releases, job.text, job.using, job.relative_base, finalize=finalize)
        return Answer("update", "", b"", extra={"release": release.id})
    store = _store(job.release_path, cache.setdefault("stores", OrderedDict()))
    functions = None
    if job.functions:
        functions = _load(job.functions, cache).for_release(job.release_path, job.base_iri)
    result = run(store, job.text, job.base_iri, job.dataset, job.relative_base, functions)
    name = job.formats.get(result.kind)
    if name is None:
        raise errors.NotAcceptable(f"no acceptable format for a {result.kind} result")
    out = io.BytesIO()
    truncated = result.write(by_name(name), out, job.max_results)
    return Answer(result.kind, name, out.getvalue(), truncated)


def _store(release_path: str, stores: OrderedDict) -> Any:
    """The release's store, opened once while it stays among the STORES_OPEN used last."""
    from pyoxigraph import Store

    if release_path in stores:
        stores.move_to_end(release_path)
    else:
        stores[release_path] = Store.read_only(str(Path(release_path) / "store"))
        while len(stores) > STORES_OPEN:
            stores.popitem(last=False)
    return stores[release_path]


def _load(spec: tuple[Any, ...], cache: dict[Any, Any]) -> Any:
    """Call a (factory, arguments...) once per process (a model loads once, not per job)."""
    if spec not in cache:
        cache[spec] = spec[0](*spec[1:])
    return cache[spec]


def _child(conn: Connection) -> None:
    cache: dict[str, Any] = {}
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        try:
            conn.send(("ok", _perform(job, cache), ""))
        except errors.NormgraphError as error:
            name = type(error).__name__ if type(error).__name__ in _ERRORS else "NormgraphError"
            conn.send(("error", name, str(error)))
        except Exception as error:  # report, never die silently
            conn.send(("crash", "", f"{type(error).__name__}: {error}"))


class _Child:
    def __init__(self, context: Any) -> None:
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_child, args=(child_end,), daemon=True)
        self.process.start()
        child_end.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """At most ``size`` children; ``submit`` blocks while all are busy."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._context = multiprocessing.get_context("spawn")  # no inherited locks or handles
        self._idle: list[_Child] = []
        self._count = 0
        self._cond = threading.Condition()

    def warm(self) -> None:
        """Start the children now rather than on the first query."""
        with self._cond:
            while self._count < self.size:
                self._idle.append(_Child(self._context))
                self._count += 1

    def submit(self, job: QueryJob | UpdateJob, limit: float) -> Answer:
        """Run ``job`` in a child and wait at most ``limit`` seconds for the answer."""
        child = self._acquire()
        try:
            child.conn.send(job)
            if not child.conn.poll(limit):
                child.kill()
                child = None
                raise QueryTimeout(f"stopped after the time limit of {limit:g} s")
            status, name, payload = child.conn.recv()
        except (EOFError, OSError):
            if child is not None:
                child.kill()
                child = None
            raise QueryLost("the query process died; try again") from None
        finally:
            self._release(child)
        if status == "ok":
            return name
        if status == "error":
            raise _ERRORS[name](payload)
        raise RuntimeError(payload)

    def _acquire(self) -> _Child:
        with self._cond:
            while not self._idle and self._count >= self.size:
                self._cond.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return _Child(self._context)
        except BaseException:
            self._release(None)
            raise

    def _release(self, child: _Child | None) -> None:
        with self._cond:
            if child is None:
                self._count -= 1
            else:
                self._idle.append(child)
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            for child in self._idle:
                child.kill()
            self._idle.clear()
            self._count = 0
