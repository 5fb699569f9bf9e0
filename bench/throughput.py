"""Throughput side by side with Oxigraph's own server (issue 11's "Throughput"
line): wrk against `normgraph serve --front` (nginx before the workers, the
production layout), `normgraph serve` alone (the workers answer everything) and
`oxigraph serve-read-only` on the same data, in the same run.

    .venv/bin/python bench/throughput.py [--seconds 8] [--connections 16]
                                         [--release-dir DIR] [--only NAME ...]
                                         [--uncached]

Oxigraph's store is loaded from the release's own N-Quads dump and served with
`--union-default-graph`, as normgraph's endpoint answers over all graphs. Each
request is driven by wrk (2 threads) for --seconds; the table gives requests per
second, latency percentiles (of the front), non-2xx answers (of both of ours) and,
where Oxigraph answers the same question, the ratio of the front to it. Each of
wrk's requests repeats one request, so after the first the front and the workers
answer from their caches: these are figures for answers already asked.

--uncached measures what a query nobody asked before costs: for the three SPARQL
requests, every request wrk sends is a query text of its own (the single-IRI
query cycles through the release's subjects, and each text ends with a comment
naming wrk's thread and a counter), so no cache answers it; it runs against the
workers alone (the front would pass every distinct URL through) and Oxigraph.
The workers admit one query per client at once by default and wrk is one client:
set NORMGRAPH_QUERIES_PER_CLIENT to let it use every place. Needs
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
    return "/sparql?" + urllib.parse.urlencode({"format": fmt, "query": query})  # query last


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


SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) } ORDER BY ?s LIMIT 2000"
# wrk: each request one of the paths, its query text ended by "\n# <thread>-<counter>"
DISTINCT_LUA = """
local paths = {%s}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread", threads)
end
function init(args)
  sent = 0
end
function request()
  sent = sent + 1
  local path = paths[sent %% #paths + 1] .. "%%0A%%23%%20" .. thread .. "-" .. sent
  return wrk.format("GET", path)
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def distinct_script(paths: list[str], workdir: Path, name: str) -> Path:
    """A wrk script that sends each of ``paths`` (ending in an encoded query) in turn,
    each time with a comment of its own, so that no two requests are equal."""
    script = workdir / f"{name}.lua"
    script.write_text(DISTINCT_LUA % ",\n".join(_lua_string(p) for p in paths))
    return script


def subjects(port: int) -> list[str]:
    """IRIs of the release's subjects, from Oxigraph's server (as TSV)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", _oxigraph(SUBJECTS), headers={"Accept": "text/tab-separated-values"})
    lines = conn.getresponse().read().decode().splitlines()[1:]
    return [line.strip()[1:-1] for line in lines if line.startswith("<")]


def uncached_paths(iris: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """(name, normgraph paths, Oxigraph paths) of the three SPARQL requests, uncached."""
    one = [ONE_IRI.replace(RESOURCE, iri) for iri in iris]
    return [
        (
            "SPARQL: one IRI (each a different IRI)",
            [_sparql(q) for q in one],
            [_oxigraph(q) for q in one],
        ),
        ("SPARQL: FILTER on IRI prefix, LIMIT 50", [_sparql(PREFIX)], [_oxigraph(PREFIX)]),
        ("SPARQL: COUNT over all graphs", [_sparql(COUNT)], [_oxigraph(COUNT)]),
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


def wrk(
    port: int, path: str, accept: str, seconds: float, connections: int, script: Path | None = None
) -> Figures:
    """One wrk run (``script``: a Lua script that makes the requests); latency
    percentiles from its --latency table."""
    url = f"http://127.0.0.1:{port}{path}"
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    command += ["-H", f"Accept: {accept}", url] + (["-s", str(script)] if script else [])
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
    parser.add_argument(
        "--uncached", action="store_true", help="SPARQL only, every request a query of its own"
    )
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
            "workers": serve(root, args.workers),
            "oxigraph": oxigraph_server(root, Path(tmp)),
        }
        if args.uncached:
            try:
                uncached(servers, args, Path(tmp))
            finally:
                _stop(servers)
            return
        servers["front"] = serve(root, args.workers, "--front")
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
            _stop(servers)


def _stop(servers: dict[str, tuple[subprocess.Popen, int]]) -> None:
    for process, _ in servers.values():
        process.terminate()
        process.wait(timeout=30)


def uncached(servers: dict[str, tuple[subprocess.Popen, int]], args, workdir: Path) -> None:
    """The three SPARQL requests, every request a query text of its own."""
    per_client = os.environ.get("NORMGRAPH_QUERIES_PER_CLIENT", "1 (the default)")
    print(
        f"uncached: {args.connections} connections, {args.seconds:g} s each, wrk 2 threads, "
        f"{args.workers} workers, queries per client {per_client}"
    )
    head = f"{'workers':>8} {'p50/p99 ms':>13} {'non-2xx':>7} {'Oxigraph':>9} {'ratio':>6}"
    print(f"{'request':<42} {head}")
    iris = subjects(servers["oxigraph"][1])
    for i, (name, ours, theirs) in enumerate(uncached_paths(iris)):
        if args.only and not any(o in name for o in args.only):
            continue
        figures = {}
        for server, paths in (("workers", ours), ("oxigraph", theirs)):
            script = distinct_script(paths, workdir, f"{server}-{i}")
            port = servers[server][1]
            figures[server] = wrk(port, "/", "*/*", args.seconds, args.connections, script)
        alone, other = figures["workers"], figures["oxigraph"]
        latency = f"{alone.p50_ms:.1f}/{alone.p99_ms:.1f}"
        print(
            f"{name:<42} {alone.rps:>8,.0f} {latency:>13} {alone.non_2xx + alone.errors:>7}"
            f" {other.rps:>9,.0f} {alone.rps / other.rps:>6.2f}",
            flush=True,
        )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
