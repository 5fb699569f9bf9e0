"""Answers rendered once per release. A release never changes, so a Linked Data
document, a resource page, the ontology, the VoID description, a search or a
SPARQL answer rendered for one request is the answer to every equal request
while that release is current. The cache belongs to the release's ``Live``
handle (search_api.runtime): when ``current`` moves, the worker opens the new
release with an empty cache, so no answer of an older release is served after
the switch."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Generic, TypeVar

from flask import Response, request

if TYPE_CHECKING:
    from search_api.runtime import Live

T = TypeVar("T")
MAX_AGE = 300  # seconds a client or proxy may reuse an answer without asking again


class AnswerCache(Generic[T]):
    """A thread-safe LRU of rendered answers, bounded by their total size in bytes.
    Equal requests that arrive while an answer is being rendered wait for that
    rendering instead of starting their own (a burst of one new SPARQL query takes
    one place in the lane, not sixteen)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._rendering: dict[Hashable, Future] = {}

    def get(self, key: Hashable, render: Callable[[], T], size: Callable[[T], int] = len) -> T:
        """The answer cached under ``key``, or ``render()``'s, kept if it fits. An
        exception from ``render`` keeps nothing; the requests that waited for it get it too."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
            pending = self._rendering.get(key)
            if pending is None:
                pending = self._rendering[key] = Future()
                mine = True
            else:
                mine = False
        if not mine:
            return pending.result()  # raises what the rendering raised
        try:
            value = render()  # outside the lock: other threads go on meanwhile
            if isinstance(value, str):
                value = value.encode("utf-8")
            self._put(key, value, size(value))
            pending.set_result(value)
            return value
        except BaseException as error:
            pending.set_exception(error)
            raise
        finally:
            with self._lock:
                del self._rendering[key]

    def peek(self, key: Hashable) -> T | None:
        """The answer cached under ``key``, if there is one."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
            return None

    def _put(self, key: Hashable, value: T, size: int) -> None:
        if size > self.max_bytes // 8:  # a few huge answers must not flush the rest
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, evicted) = self._items.popitem(last=False)
                self._size -= evicted

    def __len__(self) -> int:
        return len(self._items)


def release_answer(
    live: Live,
    render: Callable[[], bytes | str],
    mimetype: str,
    variant: str = "",
    name: str | None = None,
) -> Response:
    """The answer ``render`` gives to this request, rendered once per release and
    equal request (host, path and query, ``variant``: whatever else it depends on,
    such as the negotiated format or languages). Its ETag names the release, ``name``
    (what it is the answer about; default the path and query) and ``variant``; its
    Last-Modified is the release's; conditional requests get 304."""
    key = (request.host_url, request.full_path, variant)  # all a body depends on
    response = Response(live.answers.get(key, render), mimetype=mimetype)
    what = request.full_path if name is None else name
    response.set_etag(hashlib.sha1(f"{live.release.id} {what} {variant}".encode()).hexdigest())
    response.last_modified = dt.datetime.strptime(
        live.release.manifest.created_at, "%Y-%m-%dT%H:%M:%SZ"
    ).replace(tzinfo=dt.UTC)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)
