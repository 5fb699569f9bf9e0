"""Serving under abuse: issue 11's "Starvation" and "Slow clients" figures, from
the real server (`normgraph serve`, gunicorn) on loopback.

    .venv/bin/python bench/serving.py [--heavy 8] [--limit 10] [--seconds 8]
                                      [--half-open 64] [--release-dir DIR]

Starvation: the latency of cheap requests (/healthz, a Linked Data document, a
search, a trivial ASK from a client of its own) idle, then while --heavy clients
keep a cross-product query each running (sent again as soon as it is answered);
and how long every slow query took to be answered (refused with 429, or stopped
at the limit). Slow clients: the latency of a normal request alone and with
--half-open connections that sent half a request head. Without --release-dir it
builds the embedded corpus into a temporary directory. The load generator runs on
the same machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from load import NORMGRAPH, serve

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = {
    "/healthz": "/healthz",
    "Linked Data (.ttl)": "/data/instrument/unmd-1992.ttl",
    "search": "/api/search?" + urllib.parse.urlencode({"q": "mother tongue education"}),
    # RAND() keeps it out of the answer cache, so that it needs a place in the lane
    "trivial ASK": "/sparql?"
    + urllib.parse.urlencode({"query": "ASK { FILTER(RAND() < 2) }", "format": "json"}),
}
CHEAP_CLIENT = {"Authorization": "Bearer cheap-client"}  # the ASK is a client of its own


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, float, str | None]:
    """One request on a new connection: status, seconds, Retry-After."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started, response.getheader("Retry-After")
    finally:
        conn.close()


def _cheap_loop(port: int, path: str, until: float, out: list) -> None:
    while time.monotonic() < until:
        out.append(_get(port, path, CHEAP_CLIENT))


def cheap(port: int, seconds: float) -> dict[str, list]:
    """Every cheap request in its own closed loop, all at once, for ``seconds``."""
    results: dict[str, list] = {name: [] for name in CHEAP}
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_cheap_loop, args=(port, path, until, results[name]))
        for name, path in CHEAP.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _heavy_loop(port: int, client: int, stop: threading.Event, out: list) -> None:
    body = urllib.parse.urlencode({"query": HEAVY})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": f"Bearer heavy-{client}",
    }
    while not stop.is_set():
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.request("POST", "/sparql", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        out.append((response.status, time.perf_counter() - started))


def _quantiles(times: list[float]) -> tuple[float, float]:
    if len(times) < 2:
        return (times[0] * 1000,) * 2 if times else (float("nan"),) * 2
    q = statistics.quantiles(times, n=100)
    return q[49] * 1000, q[98] * 1000


def starvation(port: int, heavy: int, limit: float, seconds: float) -> None:
    idle = cheap(port, seconds)
    stop, slow = threading.Event(), []
    threads = [
        threading.Thread(target=_heavy_loop, args=(port, i, stop, slow)) for i in range(heavy)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1)  # let them take the lane
    loaded = cheap(port, seconds)
    stop.set()
    for thread in threads:
        thread.join()
    print(f"\nStarvation: {heavy} clients each keep a cross-product running (limit {limit:g} s)")
    head = f"{'request':<20} {'idle p50/p99 ms':>17} {'loaded p50/p99 ms':>19} {'p99 x':>6}"
    print(head, " answers")
    for name in CHEAP:
        i50, i99 = _quantiles([s for _, s, _ in idle[name]])
        l50, l99 = _quantiles([s for _, s, _ in loaded[name]])
        statuses = Counter(status for status, _, _ in loaded[name])
        refused = [r for status, _, r in loaded[name] if status == 429]
        note = " (all with Retry-After)" if refused and all(refused) else ""
        print(
            f"{name:<20} {i50:>8.1f}/{i99:<8.1f} {l50:>9.1f}/{l99:<9.1f} {l99 / i99:>6.2f}  "
            f"{dict(statuses)}{note}"
        )
    worst = max(s for _, s in slow)
    print(
        f"slow queries answered: {len(slow)}, {dict(Counter(s for s, _ in slow))}; slowest "
        f"{worst:.2f} s ({'within' if worst <= limit + 2 else 'OVER'} limit + 2 s)"
    )


def _half_open(port: int, count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(sock)
    return sockets


def slow_clients(port: int, count: int, samples: int = 200) -> None:
    path = CHEAP["Linked Data (.ttl)"]
    alone = [_get(port, path)[1] for _ in range(samples)]
    sockets = _half_open(port, count)
    try:
        time.sleep(0.5)
        crowded = [_get(port, path) for _ in range(samples)]
        still_open = sum(1 for s in sockets if _is_open(s))
    finally:
        for sock in sockets:
            sock.close()
    a50, a99 = _quantiles(alone)
    c50, c99 = _quantiles([s for _, s, _ in crowded])
    failed = sum(1 for status, _, _ in crowded if status != 200)
    print(f"\nSlow clients: {count} half-open connections ({still_open} still open at the end)")
    print(f"{path} alone: p50 {a50:.1f} ms, p99 {a99:.1f} ms")
    print(f"{path} with them: p50 {c50:.1f} ms, p99 {c99:.1f} ms; {failed} failed")
    print(f"p99 delayed by {c99 - a99:.1f} ms")


def _is_open(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) != b""  # data would be an answer: open and served
    except BlockingIOError:
        return True  # nothing to read: the server still holds it open
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heavy", type=int, default=8, help="cross-product clients (8)")
    parser.add_argument("--limit", type=float, default=10.0, help="query time limit, s (10)")
    parser.add_argument("--seconds", type=float, default=8.0, help="per measurement (8)")
    parser.add_argument("--half-open", type=int, default=64, help="slow connections (64)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--release-dir", type=Path, help="serve this release root")
    args = parser.parse_args()
    os.environ["NORMGRAPH_QUERY_TIMEOUT"] = str(args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.release_dir
        if root is None:
            root = Path(tmp)
            subprocess.run([NORMGRAPH, "build", "-q", "--release-dir", str(root)], check=True)
        process, port = serve(root, args.workers)
        try:
            starvation(port, args.heavy, args.limit, args.seconds)
            slow_clients(port, args.half_open)
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
