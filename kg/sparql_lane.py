"""Admission to SPARQL for a whole server: the lane that keeps slow queries from
starving everything else.

- ``slots`` queries run at once across every web worker and thread of one server.
  One :class:`LaneKeeper` (a thread of the process that owns the lane: the server's
  master) hands the places out, first come, first served, whichever process asks.
- A place is held by an open connection to the keeper's Unix socket: closing it gives
  the place back, and so does the kernel when the holder dies, so a worker killed with
  SIGKILL never leaks a place.
- One client (its bearer token, else its address) holds at most ``per_client``
  places at once; its later queries wait while other clients' queries pass them.
- A request waits at most ``wait`` seconds, counted from when it reached the server,
  then gets :class:`LaneFull` (429 with Retry-After); the time it waited is taken off
  its time limit.

The protocol, one connection per request: the asker sends its client's digest and a
newline; the keeper answers ``ok`` when the place is the asker's, or ``wait client``
/ ``wait server`` (what it waits for, sent again when that changes) until then.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import selectors
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ConfigError, NormgraphError

SOCKET_NAME = "keeper.sock"
FIRST_ANSWER = 1.0  # s: the keeper answers at once; a request whose wait is up still hears it
_SOCKET_PATH_MAX = 107  # bytes of a Unix socket's path on Linux, without the NUL
_WHOSE = {b"client": "from this client", b"server": "on this server"}


class LaneFull(NormgraphError):
    """No place in the SPARQL lane within the wait; try again after ``retry_after`` s."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LaneClosed(NormgraphError):
    """The lane's keeper is gone: the server is stopping."""


def keeper_socket(directory: Path) -> Path:
    path = Path(directory) / SOCKET_NAME
    if len(os.fsencode(path)) > _SOCKET_PATH_MAX:
        raise ConfigError(f"the SPARQL lane's directory path is too long for a socket: {path}")
    return path


@dataclass
class _Asker:
    sock: socket.socket
    client: bytes = b""
    heard: bytes = b""  # what arrived before the newline
    granted: bool = False
    told: bytes = b""  # the last thing the asker was told it waits for


class LaneKeeper:
    """The places of one lane, handed out in the order they were asked for (a waiter
    whose client holds all its places lets later waiters of other clients pass)."""

    def __init__(self, directory: Path, slots: int, per_client: int) -> None:
        self.path = keeper_socket(directory)
        self.slots, self.per_client = slots, per_client
        self._queue: list[_Asker] = []  # waiting, oldest first
        self._held: Counter[bytes] = Counter()
        self._free = slots
        self._selector = selectors.DefaultSelector()
        self._listener: socket.socket | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._closed = False
        self._thread: threading.Thread | None = None

    def start(self) -> LaneKeeper:
        self.path.unlink(missing_ok=True)
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(self.path))
        self._listener.listen(1024)
        self._listener.setblocking(False)
        self._selector.register(self._listener, selectors.EVENT_READ, None)
        self._selector.register(self._wake_r, selectors.EVENT_READ, False)
        self._thread = threading.Thread(target=self._serve, name="sparql-lane", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        if self._thread is not None:
            self._thread.join(5)
        self.path.unlink(missing_ok=True)

    def forget(self) -> None:
        """In a process forked from the keeper's: close the copies of its sockets
        (the keeper's thread runs only in the parent)."""
        for key in list(self._selector.get_map().values()):
            with contextlib.suppress(OSError):
                key.fileobj.close()  # type: ignore[union-attr]
        self._wake_w.close()

    def waiting(self) -> int:
        """How many askers wait for a place now (a snapshot, for tests and logs)."""
        return len(self._queue)

    def _serve(self) -> None:
        while not self._closed:
            for key, _ in self._selector.select():
                if key.data is None:
                    self._accept()
                elif isinstance(key.data, _Asker):
                    self._hear(key.data)
        for key in list(self._selector.get_map().values()):
            key.fileobj.close()  # type: ignore[union-attr]
        self._selector.close()
        self._wake_w.close()

    def _accept(self) -> None:
        assert self._listener is not None
        try:
            sock, _ = self._listener.accept()
        except (BlockingIOError, ConnectionAbortedError):
            return
        sock.setblocking(False)
        self._selector.register(sock, selectors.EVENT_READ, _Asker(sock))

    def _hear(self, asker: _Asker) -> None:
        try:
            data = asker.sock.recv(256)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data or asker.client or len(asker.heard) + len(data) > 128:
            self._leave(asker)  # gone (place given back), or not speaking the protocol
            return
        asker.heard += data
        if b"\n" in asker.heard:
            asker.client = asker.heard.split(b"\n", 1)[0] or b"-"
            self._queue.append(asker)
            self._hand_out()

    def _leave(self, asker: _Asker) -> None:
        self._selector.unregister(asker.sock)
        asker.sock.close()
        if asker.granted:
            self._free += 1
            self._held[asker.client] -= 1
            if not self._held[asker.client]:
                del self._held[asker.client]
        elif asker in self._queue:
            self._queue.remove(asker)
        self._hand_out()

    def _hand_out(self) -> None:
        """Give free places to the oldest waiters that may take one; tell the others
        what they wait for when that changed."""
        for asker in list(self._queue):
            own = self._held[asker.client] >= self.per_client
            if self._free and not own:
                self._queue.remove(asker)
                asker.granted = True
                self._free -= 1
                self._held[asker.client] += 1
                self._tell(asker, b"ok")
            else:
                self._tell(asker, b"wait client" if own else b"wait server")

    def _tell(self, asker: _Asker, word: bytes) -> None:
        if word == asker.told:
            return
        asker.told = word
        with contextlib.suppress(OSError):  # gone: its end of file gives the place back
            asker.sock.send(word + b"\n")


@dataclass
class Lane:
    """A process's way into the lane a :class:`LaneKeeper` keeps in ``directory``."""

    directory: Path
    wait: float

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.wait))

    @contextmanager
    def place(self, client: str, wait: float | None = None, waited: float = 0.0) -> Iterator[float]:
        """A place in the lane for ``client`` while the block runs; yields the seconds
        waited. ``waited``: seconds the request already waited before it asked (in the
        server's queue), which count toward the wait; ``wait`` may shorten the lane's
        wait (to leave a short time limit room to run)."""
        if waited and waited >= self.wait:  # its whole wait is up: no place, however free
            raise LaneFull(f"no SPARQL place within {self.wait:g} s; try again", self.retry_after)
        started = time.monotonic() - waited
        deadline = started + min(self.wait, self.wait if wait is None else wait)
        with self._ask(client) as keeper:
            whose = self._answer(keeper, deadline)
            if whose is not None:
                raise LaneFull(
                    f"the SPARQL place(s) {whose} are taken; try again", self.retry_after
                )
            yield time.monotonic() - started

    @contextmanager
    def _ask(self, client: str) -> Iterator[socket.socket]:
        keeper = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                keeper.connect(str(keeper_socket(self.directory)))
            except OSError as error:
                raise LaneClosed(f"the SPARQL lane is not open: {error.strerror}") from None
            digest = hashlib.sha256(client.encode("utf-8", "surrogatepass")).hexdigest()
            keeper.sendall(digest[:32].encode() + b"\n")
            yield keeper  # closing it gives the place back
        finally:
            keeper.close()

    @staticmethod
    def _answer(keeper: socket.socket, deadline: float) -> str | None:
        """None once the place is ours, else what it still waits for at ``deadline``."""
        first = max(deadline, time.monotonic() + FIRST_ANSWER)  # the keeper answers at once
        pending, waits = b"", None
        while True:
            left = (first if waits is None else deadline) - time.monotonic()
            if left <= 0:
                return _WHOSE.get(waits or b"server", "on this server")
            keeper.settimeout(left)
            try:
                data = keeper.recv(64)
            except TimeoutError:
                return _WHOSE.get(waits or b"server", "on this server")
            if not data:
                raise LaneClosed("the SPARQL lane closed (the server is stopping)")
            *lines, pending = (pending + data).split(b"\n")
            for line in lines:
                if line == b"ok":
                    return None
                waits = line.removeprefix(b"wait ")
