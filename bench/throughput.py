"""Throughput side by side with Oxigraph's own server (issue 11's "Throughput"
line): wrk against `normgraph serve --front` (nginx before the workers, the
production layout), `normgraph serve` alone (the workers answer everything) and
`oxigraph serve-read-only` on the same data, in the same run.

    .venv/bin/python bench/throughput.py [--seconds 8] [--connections 16]
                                         [--release-dir DIR] [--only NAME ...]

Oxigraph's store is loaded from the release's own N-Quads dump and served with
`--union-default-graph`, as normgraph's endpoint answers over all graphs. Each
request is driven by wrk (2 threads) for --seconds; the table gives requests per
second, latency percentiles (of the front), non-2xx answers (of both of ours) and,
where Oxigraph answers the same question, the ratio of the front to it. Each of
wrk's requests repeats one request, so after the first the front and the workers
answer from their caches: these are figures for answers already asked. Needs
`wrk` and `nginx` (Debian) and `oxigraph` (PyPI) on the PATH or in the virtualenv.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from load import NORMGRAPH, _free_port, serve

BASE = "https://w3id.org/normgraph/"
RESOURCE = BASE + "id/instrument/unmd-1992"
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"


def _sparql(query: str, fmt: str = "json") -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, "format": fmt})


def _oxigraph(query: str) -> str:
    return "/query?" + urllib.parse.urlencode({"query": query})


@dataclass(frozen=True)
class Request:
    name: str
    normgraph: str
    oxigraph: str | None = None  # the same question put to Oxigraph's server
    accept: str = "*/*"
    target: float | None = None  # the floor: a ratio to Oxigraph, or req/s alone


ONE_IRI = f"SELECT ?p ?o WHERE {{ <{RESOURCE}> ?p ?o }}"
PREFIX = (
    "SELECT ?s WHERE { ?s ?p ?o "
    f'FILTER(STRSTARTS(STR(?s), "{BASE}id/instrument/icerd-1965")) }} LIMIT 50'
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
CONSTRUCT = f"CONSTRUCT {{ <{RESOURCE}> ?p ?o }} WHERE {{ <{RESOURCE}> ?p ?o }}"
REQUESTS = [
    Request("SPARQL: all triples of one IRI", _sparql(ONE_IRI), _oxigraph(ONE_IRI), target=0.3),
    Request("SPARQL: FILTER on IRI prefix, LIMIT 50", _sparql(PREFIX), _oxigraph(PREFIX)),
    Request("SPARQL: COUNT over all graphs", _sparql(COUNT), _oxigraph(COUNT)),
    Request(
        "Linked Data document vs CONSTRUCT",
        "/data/instrument/unmd-1992.ttl",
        _oxigraph(CONSTRUCT),
        accept="text/turtle",
        target=1.0,
    ),
    Request(
        "/api/search",
        "/api/search?" + urllib.parse.urlencode({"q": "mother tongue education for minorities"}),
        target=150,
    ),
    Request("resource page /doc/instrument/unmd-1992", "/doc/instrument/unmd-1992", target=300),
    Request("/healthz (the server's ceiling)", "/healthz"),
]


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(port: int, path: str, accept: str, seconds: float, connections: int) -> Figures:
    """One wrk run; latency percentiles from its --latency table."""
    url = f"http://127.0.0.1:{port}{path}"
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    command += ["-H", f"Accept: {accept}", url]
    out = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Figures(
        rps,
        p50,
        p99,
        int(non_2xx.group(1)) if non_2xx else 0,
        sum(int(n) for n in errors.groups()) if errors else 0,
    )


def _status(port: int, path: str, accept: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    response.read()
    return response.status


def oxigraph_server(root: Path, workdir: Path) -> tuple[subprocess.Popen, int]:
    """Oxigraph's read-only server over the release's own N-Quads dump."""
    dump = next((root / "current" / "dumps").glob("*.nq.gz"))
    store = workdir / "oxigraph"
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(store), "--file", str(dump), "--format", "nq"],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    command = [OXIGRAPH, "serve-read-only", "--location", str(store)]
    command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            if _status(port, _oxigraph("ASK {}"), "*/*") == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("Oxigraph's server did not come up")


def _verdict(request: Request, ours: Figures, ratio: float | None) -> str:
    if request.target is None:
        return ""
    value = ratio if request.oxigraph else ours.rps
    ok = value is not None and value >= request.target and ours.non_2xx == 0
    unit = "x" if request.oxigraph else " req/s"
    return f"{'meets' if ok else 'BELOW'} ≥{request.target:g}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="per request (default 8)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--workers", type=int, default=2, help="normgraph workers (default 2)")
    parser.add_argument("--release-dir", type=Path, help="serve this release root")
    parser.add_argument("--only", nargs="+", help="requests whose name contains one of these")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/throughput.py: wrk is not installed (apt-get install wrk)")
    requests = [r for r in REQUESTS if not args.only or any(o in r.name for o in args.only)]
    with tempfile.TemporaryDirectory() as tmp:
        root = args.release_dir
        if root is None:
            root = Path(tmp) / "releases"
            subprocess.run([NORMGRAPH, "build", "-q", "--release-dir", str(root)], check=True)
        servers = {
            "front": serve(root, args.workers, "--front"),
            "workers": serve(root, args.workers),
            "oxigraph": oxigraph_server(root, Path(tmp)),
        }
        print(f"{args.connections} connections, {args.seconds:g} s each, wrk 2 threads")
        print(
            f"{'request':<42} {'front':>8} {'p50/p99 ms':>13} {'alone':>7} {'non-2xx':>7}"
            f" {'Oxigraph':>9} {'ratio':>6}"
        )
        run = lambda name, path, accept: wrk(  # noqa: E731
            servers[name][1], path, accept, args.seconds, args.connections
        )
        try:
            for request in requests:
                front = run("front", request.normgraph, request.accept)
                alone = run("workers", request.normgraph, request.accept)
                other = ratio = None
                if request.oxigraph:
                    other = run("oxigraph", request.oxigraph, request.accept)
                    ratio = front.rps / other.rps
                failed = front.non_2xx + front.errors + alone.non_2xx + alone.errors
                latency = f"{front.p50_ms:.1f}/{front.p99_ms:.1f}"
                print(
                    f"{request.name:<42} {front.rps:>8,.0f} {latency:>13}"
                    f" {alone.rps:>7,.0f} {failed:>7}"
                    f" {f'{other.rps:,.0f}' if other else '-':>9}"
                    f" {f'{ratio:.2f}' if ratio else '-':>6}  {_verdict(request, front, ratio)}",
                    flush=True,
                )
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
