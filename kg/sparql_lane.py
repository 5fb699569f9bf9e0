"""Admission to SPARQL for a whole server: the lane that keeps slow queries from
starving everything else.

- ``slots`` queries run at once across every web worker and thread of one server.
  A place is an exclusive ``flock`` on one of ``slots`` files in a directory the
  workers share; the kernel drops the lock when its holder dies, so a worker killed
  with SIGKILL never leaks a place.
- One client (its bearer token, else its address) holds at most ``per_client``
  places at once, the same way, with files per hashed client.
- A request waits at most ``wait`` seconds for both, then gets :class:`LaneFull`
  (429 with Retry-After); the time it waited is taken off its time limit.
- ``local`` bounds the SPARQL requests in progress (running or waiting) in one web
  worker, so that they can never occupy all of its threads: pages, search, Linked
  Data and health checks always find a thread.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import NormgraphError

CLIENT_BUCKETS = 4096  # clients hash into this many buckets, so the directory stays small
_POLL = (0.002, 0.02)  # first and longest pause between two looks for a free place


class LaneFull(NormgraphError):
    """No place in the SPARQL lane within the wait; try again after ``retry_after`` s."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Lane:
    directory: Path
    slots: int
    per_client: int
    wait: float
    local: int = 64
    _local: threading.BoundedSemaphore = field(init=False, repr=False)
    _freed: threading.Condition = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._local = threading.BoundedSemaphore(self.local)
        self._freed = threading.Condition()  # wakes this worker's waiters at once

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.wait))

    @contextmanager
    def admit(self, client: str, wait: float | None = None) -> Iterator[float]:
        """Hold a place for ``client`` while the block runs; yields the seconds waited.
        ``wait`` may shorten the lane's wait (to leave a short time limit room to run)."""
        with self.in_worker(), self.place(client, wait) as waited:
            yield waited

    @contextmanager
    def in_worker(self) -> Iterator[None]:
        """Count one SPARQL request in progress in this worker (running, waiting for a
        place, or waiting for an equal request's answer); LaneFull when too many are."""
        if not self._local.acquire(blocking=False):
            raise LaneFull("too many SPARQL requests at once; try again", self.retry_after)
        try:
            yield
        finally:
            self._local.release()

    @contextmanager
    def place(self, client: str, wait: float | None = None) -> Iterator[float]:
        """A place in the lane for ``client``, for a request already counted by
        :meth:`in_worker`; yields the seconds waited."""
        started = time.monotonic()
        deadline = started + min(self.wait, self.wait if wait is None else wait)
        with (
            self._place(self._client_files(client), deadline, "from this client"),
            self._place(self._slot_files(), deadline, "on this server"),
        ):
            yield time.monotonic() - started

    @contextmanager
    def _place(self, paths: list[Path], deadline: float, whose: str) -> Iterator[None]:
        fd = self._take(paths, deadline)
        if fd is None:
            raise LaneFull(
                f"all {len(paths)} SPARQL place(s) {whose} are taken; try again", self.retry_after
            )
        try:
            yield
        finally:
            os.close(fd)  # closing the descriptor drops the lock
            with self._freed:
                self._freed.notify_all()

    def _slot_files(self) -> list[Path]:
        return [self.directory / f"slot-{i}" for i in range(self.slots)]

    def _client_files(self, client: str) -> list[Path]:
        digest = hashlib.sha256(client.encode("utf-8", "surrogatepass")).digest()
        bucket = int.from_bytes(digest[:4], "big") % CLIENT_BUCKETS
        return [self.directory / f"client-{bucket}-{i}" for i in range(self.per_client)]

    def _take(self, paths: list[Path], deadline: float) -> int | None:
        """A locked descriptor on the first free file, looking again until ``deadline``:
        at once when a place of this worker frees, else after a short pause (another
        worker's place frees without telling)."""
        pause = _POLL[0]
        while (fd := _lock_any(paths)) is None:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            with self._freed:
                self._freed.wait(min(pause, left))
            pause = min(pause * 2, _POLL[1])
        return fd


def _lock_any(paths: list[Path]) -> int | None:
    for path in paths:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # not inherited by children
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            os.close(fd)
        except BaseException:
            os.close(fd)
            raise
    return None
