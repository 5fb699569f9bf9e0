"""Answers rendered once per release. A release never changes, so a Linked Data
document or a resource page rendered for one request is the answer to every
equal request while that release is current. The cache belongs to the release's
``Live`` handle (search_api.runtime): when ``current`` moves, the worker opens
the new release with an empty cache, so no answer of an older release is served
after the switch."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class AnswerCache:
    """A thread-safe LRU of rendered bodies, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], bytes | str]) -> bytes:
        """The body cached under ``key``, or ``render()``'s, kept if it fits."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        body = render()  # outside the lock: other threads go on meanwhile
        body = body.encode("utf-8") if isinstance(body, str) else body
        self._put(key, body)
        return body

    def _put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:  # a few huge answers must not flush the rest
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self._size -= len(evicted)

    def __len__(self) -> int:
        return len(self._items)
