"""`normgraph serve`: the app under gunicorn or, with --dev, under Flask's
development server.

The serving model (README, "Production layout"): a few worker processes, each
with a pool of threads, so that a request waiting on its SPARQL process does not
hold a whole worker; the request head (and a body of announced length) is read by
the worker's event loop, not by a thread, so a slow or half-open connection costs a
socket and never a thread; one SPARQL lane for the whole server (kg.sparql_lane),
kept by the master. A worker gives SPARQL requests all but KEEP_FOR_OTHERS of its
threads at most; the others wait in its event loop, in order, for the lane's wait
at most.
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import deque
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from gunicorn import http
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import TConn, ThreadWorker

from kg.config import Settings
from kg.errors import NormgraphError
from search_api.app import create_app
from search_api.blueprints.sparql import ARRIVED, LANE_PATHS
from search_api.front import Front, end_all
from search_api.runtime import keeper_for, lane_for
from search_api.search.engine import SearchRequest

HEAD_TIMEOUT = 15.0  # seconds a client may take to send a request head (and body)
HEAD_LIMIT = 64 * 1024  # a head this long goes to a thread, whose parser refuses it
KEEP_FOR_OTHERS = 4  # threads per worker that SPARQL requests may never take
_END_OF_HEAD = b"\r\n\r\n"
_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*\r?$", re.I | re.M)
_EXPECT = re.compile(rb"^expect:", re.I | re.M)
_REQUEST_LINE = re.compile(rb"[A-Z]+ (?:https?://[^/ ]*)?([^? ]*)")
_serving = threading.local()  # the connection a thread serves: its arrival time for the app


class BufferingWorker(ThreadWorker):
    """gunicorn's threaded worker, except that a request reaches a thread only once
    its head (and a body of announced length, up to the largest allowed) has
    arrived: until then the connection waits in the worker's event loop, and is
    closed after HEAD_TIMEOUT. Upstream gthread reads the head in a thread, where a
    client that sends half a head holds the thread for as long as it likes."""

    max_body = 1 << 20  # set from the settings by serve()
    lane_wait = 2.0  # NORMGRAPH_QUERY_WAIT, set by serve()

    def init_process(self) -> None:
        self.lane_threads = max(1, self.cfg.threads - KEEP_FOR_OTHERS)
        self.in_lane = 0  # SPARQL requests a thread has taken up
        self.lane_queue: deque[Any] = deque()  # SPARQL requests waiting for a thread
        super().init_process()

    def accept(self, listener: Any) -> None:
        try:
            sock, client = listener.accept()
        except BlockingIOError:
            return  # another worker took it
        except ConnectionAbortedError:
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, sock, client, listener.getsockname())
        self._await_request(conn)

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection's next request is read the same way."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._await_request(conn)

    def _await_request(self, conn: Any) -> None:
        conn.sock.setblocking(False)
        conn.head, conn.scanned, conn.needed = bytearray(), 0, None
        conn.timeout = time.monotonic() + HEAD_TIMEOUT  # murder_pending closes it then
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._read, conn))

    def _read(self, conn: Any, client: Any) -> None:
        try:
            chunk = conn.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        conn.head += chunk
        if chunk and not self._complete(conn):
            return
        self.poller.unregister(client)
        self.pending_conns.remove(conn)
        if not conn.head:  # closed before sending anything
            self.nr_conns -= 1
            conn.close()
            return
        self._hand_over(conn)

    def _complete(self, conn: Any) -> bool:
        """Is the head there (with the body it announces)? Each byte is scanned once,
        so a client that trickles its head byte by byte costs no more than a fast one."""
        if conn.needed is None:
            end = conn.head.find(_END_OF_HEAD, max(0, conn.scanned - len(_END_OF_HEAD)))
            conn.scanned = len(conn.head)
            if end < 0:
                return len(conn.head) >= HEAD_LIMIT
            conn.needed = self._needed(bytes(conn.head[:end]), end + len(_END_OF_HEAD))
        return len(conn.head) >= conn.needed

    def _needed(self, head: bytes, body_starts: int) -> int:
        """Bytes to read before a thread takes over: the body too, unless the client
        awaits 100 Continue or announces more than the largest body allowed."""
        length = _LENGTH.search(head)
        if length is None or _EXPECT.search(head) or int(length.group(1)) > self.max_body:
            return body_starts
        return body_starts + int(length.group(1))

    def _hand_over(self, conn: Any) -> None:
        """Give the bytes read so far to the connection's parser and queue it for a thread."""
        if conn.parser is None:
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
        unreader = conn.parser.unreader
        unreader.unread(unreader.take_buffered() + bytes(conn.head))
        conn.head = bytearray()
        conn.data_ready = True
        self.enqueue_req(conn)

    # SPARQL requests: at most lane_threads of them in threads; the rest wait here, in
    # order, costing no thread, and go to one when a SPARQL request is done. One that
    # waited the whole lane wait goes anyway, and the app refuses it at once (429).
    def enqueue_req(self, conn: Any) -> None:
        conn.arrived = time.monotonic()
        if not _for_lane(conn):
            super().enqueue_req(conn)
            return
        self.lane_queue.append(conn)
        self._take_up()

    def finish_request(self, conn: Any, fs: Any) -> None:
        if getattr(conn, "lane", False):
            conn.lane = False
            self.in_lane -= 1
        super().finish_request(conn, fs)
        self._take_up()

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        if self.lane_queue:  # wake when the oldest waiter's wait is up
            due = self.lane_queue[0].arrived + self.lane_wait - time.monotonic()
            timeout = max(0.0, min(timeout, due))
        super().wait_for_and_dispatch_events(timeout)
        self._take_up()

    def _take_up(self) -> None:
        now = time.monotonic()
        while self.lane_queue and (
            self.in_lane < self.lane_threads or now - self.lane_queue[0].arrived >= self.lane_wait
        ):
            conn = self.lane_queue.popleft()
            conn.lane = True
            self.in_lane += 1
            super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        _serving.arrived = getattr(conn, "arrived", None)
        return super().handle(conn)


def _for_lane(conn: Any) -> bool:
    """Is the connection's next request one for the SPARQL lane (by its path)?"""
    if conn.parser is None:
        return False
    line = _REQUEST_LINE.match(conn.parser.unreader.buf.getvalue()[:4096])
    path = unquote(line.group(1).decode("latin-1")) if line else ""  # as the app will route it
    return LANE_PATHS.fullmatch(path) is not None


def _stamped(app: Any) -> Any:
    """The WSGI app, told when its request arrived (environ ARRIVED)."""

    def call(environ: dict, start_response: Any) -> Any:
        arrived = getattr(_serving, "arrived", None)
        if arrived is not None:
            environ[ARRIVED] = arrived
        return app(environ, start_response)

    return call


def _warm(worker: Any) -> None:
    """Start each worker's query processes, open its release and load its model and the
    query taggers of the languages search translates before it takes requests, so that
    no first search waits seconds for them."""
    runtime = worker.wsgi.extensions["normgraph"]
    runtime.pool().warm()
    try:
        for lang in ("en", "fr", "es"):
            runtime.live().searcher.search(SearchRequest(q="warm up", lang=lang))
    except NormgraphError as error:  # no release or no index yet: requests will say so
        worker.log.warning("not warmed up: %s", error)


class Server(BaseApplication):
    def __init__(
        self, settings: Settings, options: dict[str, Any], lane_dir: Path, proxied: bool = False
    ) -> None:
        self.settings, self.options, self.lane_dir = settings, options, lane_dir
        self.proxied = proxied  # behind the front: clients are named by X-Forwarded-For
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # one lane for every worker: the master keeps it, in the directory they share
        app = create_app(
            self.settings, lane_for(self.settings, self.lane_dir), proxied=self.proxied
        )
        app.wsgi_app = _stamped(app.wsgi_app)
        return app


def options(settings: Settings, host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "search_api.server.BufferingWorker",
        "threads": threads,
        "worker_connections": 1000,  # open connections per worker, idle ones included
        "keepalive": 5,
        # a thread waits at most the longest limit for its query process, plus slack
        "timeout": int(max(settings.query_timeout, settings.update_timeout)) + 30,
        "graceful_timeout": 10,
        "limit_request_line": 0,  # the app answers 414 itself (NORMGRAPH_MAX_URL)
        "accesslog": "-",
        "post_worker_init": _warm,
    }


def serve(
    settings: Settings,
    host: str,
    port: int,
    workers: int,
    threads: int = 16,
    dev: bool = False,
    front: bool = False,
) -> None:
    if dev:
        create_app(settings).run(host=host, port=port, debug=False, use_reloader=False)
        return
    BufferingWorker.max_body, BufferingWorker.lane_wait = settings.max_body, settings.query_wait
    lane_dir, master = Path(tempfile.mkdtemp(prefix="normgraph-lane-")), os.getpid()
    run_dir = Path(tempfile.mkdtemp(prefix="normgraph-front-")) if front else None
    config = options(settings, host, port, workers, threads)
    nginx, stopping, keeper = None, threading.Event(), None
    try:
        keeper = keeper_for(settings, lane_dir)
        config["post_fork"] = lambda _arbiter, _worker: keeper.forget()
        if run_dir is not None:
            gate = Front(run_dir, host, port, settings, processes=workers)
            config["bind"] = f"unix:{gate.socket}"
            nginx = gate.start()
            threading.Thread(target=_stop_with, args=(nginx, master, stopping), daemon=True).start()
        Server(settings, config, lane_dir, proxied=front).run()
    finally:
        if os.getpid() == master:  # workers leave through here too, and must not remove it
            if keeper is not None:
                keeper.close()
            if nginx is not None:
                stopping.set()
                nginx.terminate()
                nginx.wait(timeout=10)
                end_all(nginx)
            for directory in (lane_dir, run_dir):
                if directory is not None:
                    shutil.rmtree(directory, ignore_errors=True)


def _stop_with(nginx: subprocess.Popen, master: int, stopping: threading.Event) -> None:
    """The workers are unreachable without their front: stop the server when it ends."""
    nginx.wait()
    end_all(nginx)
    if not stopping.is_set():
        os.kill(master, signal.SIGTERM)
