"""Load benchmark: requests per second and p50/p99 latency of the real server
(`normgraph serve`, gunicorn) on loopback, for an IRI lookup, a simple SPARQL
SELECT and a search, with 2 and 4 workers.

    .venv/bin/python bench/load.py [--seconds 10] [--workers 2 4] [--release-dir DIR]

Without --release-dir it builds the embedded corpus into a temporary directory.
The load generator runs on the same machine, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

NORMGRAPH = shutil.which("normgraph", path=str(Path(sys.executable).parent)) or "normgraph"
SCENARIOS = {
    "IRI lookup (/data/....ttl)": "/data/instrument/unmd-1992/art/4/para/3.ttl",
    "SPARQL SELECT": "/sparql?"
    + urllib.parse.urlencode(
        {
            "query": "SELECT ?a ?l WHERE { ?a a ng:Article ; rdfs:label ?l } ORDER BY ?a",
            "format": "json",
        }
    ),
    "search (/api/search)": "/api/search?"
    + urllib.parse.urlencode({"q": "can minority children be taught in their mother tongue"}),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _client(port: int, path: str, until: float, latencies: list[float], errors: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        started = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            errors.append(response.status)
    conn.close()


def run(port: int, path: str, seconds: float, clients: int) -> tuple[float, float, float, int]:
    latencies: list[float] = []
    errors: list[int] = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(port, path, until, latencies, errors))
        for _ in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, q[49] * 1000, q[98] * 1000, len(errors)


def serve(root: Path, workers: int, *options: str) -> tuple[subprocess.Popen, int]:
    """`normgraph serve` with ``options`` (``--front``) on a free port, once it searches."""
    port = _free_port()
    env = {**os.environ, "NORMGRAPH_RELEASE_DIR": str(root)}
    process = subprocess.Popen(
        [NORMGRAPH, "serve", "--port", str(port), "--workers", str(workers), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", SCENARIOS["search (/api/search)"])  # warms the model too
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the server did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per scenario (default 10)")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--release-dir", type=Path, help="serve this release root")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.release_dir
        if root is None:
            root = Path(tmp)
            subprocess.run([NORMGRAPH, "build", "-q", "--release-dir", str(root)], check=True)
        print(f"{'workers':>7}  {'scenario':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} errors")
        for workers in args.workers:
            process, port = serve(root, workers)
            try:
                for name, path in SCENARIOS.items():
                    rps, p50, p99, errors = run(port, path, args.seconds, clients=2 * workers)
                    print(f"{workers:>7}  {name:<28} {rps:>8.1f} {p50:>8.1f} {p99:>8.1f} {errors}")
            finally:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
