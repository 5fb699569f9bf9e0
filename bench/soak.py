"""Soak, release switches and faults under load (issue 11's "Soak", "Release switch
under load" and "Faults" lines), against the real server in its production layout
(`normgraph serve --front`) on loopback.

    .venv/bin/python bench/soak.py [--requests 100000] [--fault-requests 10000]
                                   [--clients 8] [--no-front] [--release-dir DIR]

--clients threads send --requests mixed requests: Linked Data documents and pages
of every resource, searches (the development set's questions), SPARQL (distinct
queries), the ontology, VoID and suggest; one in ten is malformed (bad SPARQL,
unknown parameters, huge or odd Accept headers, bad IRIs, path traversal under
/static and /dumps, bad methods and bodies). While they run, `normgraph build`
(at 20%) and `normgraph ingest` (at 45%) each make a new release; a web worker is
killed with SIGKILL and then a query process, in a second phase of
--fault-requests under the same load. For each phase it prints the answers by
status, every 5xx with its request, tracebacks in the server's log, whether any
client saw a release older than one it had already seen; for the soak, resident
memory of the whole server, and by role, after the first 10,000 requests and at the
end (the build and the ingest start only after the first sample, so both release
switches fall between the two, whatever --requests is); for each kill, how long
until every kind of request (page, search, SPARQL, none of them from a cache) was
answered again, and how many requests failed.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from load import NORMGRAPH, _free_port

HERE = Path(__file__).parent
KINDS = ("document", "page", "search", "sparql", "describe")
# one request of each kind that no cache can answer: (target, Accept-Language)
RECOVERY_PROBES = {
    "page": ("/doc/instrument/unmd-1992", "es, x-probe-{n};q=0.1"),  # a new key for the front
    "search": ("/api/search?q=minority+rights+probe+{n}", "en"),
    "sparql": ("/sparql?format=json&query=ASK+%7B+FILTER%28RAND%28%29+%3C+2%29+%7D", "en"),
}


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    server_errors: list = field(default_factory=list)  # (when, status, method, target)
    going_back: int = 0  # answers naming a release older than one the same client saw
    lock: threading.Lock = field(default_factory=threading.Lock)


def _releases_ordered(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "releases").iterdir())


def workload(root: Path, base: str) -> tuple[list[tuple], list[tuple]]:
    """(good requests, malformed requests) as (method, target, headers, body)."""
    query = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }"
    subjects = subprocess.run(
        [NORMGRAPH, "query", "--release-dir", str(root), "--format", "tsv", query],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")[1:]
    paths = [s.strip("<>")[len(base) :] for s in subjects if s.startswith(f"<{base}id/")]
    questions = [line.split("\t")[0] for line in (HERE / "qrels.tsv").read_text().splitlines()[1:]]
    good = []
    for path in paths:
        doc = path.removeprefix("id/")
        good += [("GET", f"/data/{doc}.{ext}", {}, None) for ext in ("ttl", "jsonld", "nt")]
        good += [("GET", f"/doc/{doc}", {"Accept-Language": lang}, None) for lang in ("en", "fr")]
        good.append(("GET", f"/{path}", {"Accept": "text/turtle"}, None))
    for q in dict.fromkeys(questions):
        good.append(("GET", "/api/search?" + urllib.parse.urlencode({"q": q}), {}, None))
        good.append(("GET", "/?" + urllib.parse.urlencode({"q": q}), {}, None))
    for i, path in enumerate(paths[:400]):
        query = f"SELECT ?p ?o WHERE {{ <{base}{path}> ?p ?o }} LIMIT {10 + i % 50}"
        good.append(("GET", "/sparql?" + urllib.parse.urlencode({"query": query}), {}, None))
    good += [
        ("GET", "/ontology", {"Accept": "text/html"}, None),
        ("GET", "/ontology", {"Accept": "text/turtle"}, None),
        ("GET", "/.well-known/void", {}, None),
        ("GET", "/api/suggest?q=rom", {}, None),
        ("GET", "/api/concepts?lang=fr", {}, None),
    ]
    bad = [
        ("GET", "/sparql?query=SELEKT+%3Fs+WHERE", {}, None),
        ("GET", "/sparql?query=ASK%7B%7D&bogus=1", {}, None),
        ("POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}"),
        ("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"DROP ALL"),
        ("GET", "/sparql?query=ASK%7B%7D", {"Accept": "application/x-nothing"}, None),
        ("GET", "/data/instrument/unmd-1992.ttl", {"Accept": "text/turtle;q=abc,,;;*/*"}, None),
        ("GET", "/doc/instrument/unmd-1992", {"Accept": "a/b, " * 1500}, None),
        ("GET", "/doc/instrument/unmd-1992", {"Accept-Language": "zz;q=2, ;q=x"}, None),
        ("GET", "/api/search?q=", {}, None),
        ("GET", "/api/search?q=roma&page=-3&size=9999", {}, None),
        ("GET", "/api/search?q=roma&lang=xx&type=nothing", {}, None),
        ("GET", "/api/search?q=" + "x" * 20000, {}, None),
        ("GET", "/id/instrument/%00%ff", {}, None),
        ("GET", "/id/instrument/no-such-thing", {}, None),
        ("GET", "/doc/%3Cscript%3Ealert(1)%3C%2Fscript%3E", {}, None),
        ("GET", "/data/instrument/unmd-1992.exe", {}, None),
        ("GET", "/static/../../../../etc/passwd", {}, None),
        ("GET", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", {}, None),
        ("GET", "/static/..%2f..%2fpyproject.toml", {}, None),
        ("GET", "/dumps/..%2fmanifest.json", {}, None),
        ("GET", "/dumps/../../manifest.json", {}, None),
        ("DELETE", "/data/instrument/unmd-1992.ttl", {}, None),
        ("PUT", "/sparql", {"Content-Type": "application/sparql-query"}, b"ASK {}"),
        ("POST", "/api/search", {"Content-Type": "application/json"}, b"{"),
        (
            "GET",
            "/sparql?query=" + urllib.parse.quote("SELECT * WHERE { SERVICE <http://x/> {} }"),
            {},
            None,
        ),
    ]
    return good, bad


def _send(conn: http.client.HTTPConnection, request: tuple) -> http.client.HTTPResponse:
    method, target, headers, body = request
    conn.request(method, target, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response


def client(port: int, jobs, tally: Tally, order: dict[str, int], done: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    newest = -1
    for request in jobs:
        try:
            response = _send(conn, request)
        except (OSError, http.client.HTTPException) as error:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status, release = type(error).__name__, None
        else:
            status, release = response.status, response.getheader("X-Normgraph-Release")
        with tally.lock:
            tally.statuses[status] += 1
            if isinstance(status, int) and status >= 500:
                tally.server_errors.append((time.monotonic(), status, request[0], request[1][:90]))
            if release is not None:
                rank = order.get(release)
                if rank is None:  # a release made during the run: ranks follow names
                    rank = order[release] = int(release[:8] + release[9:15])
                if rank < newest:
                    tally.going_back += 1
                newest = max(newest, rank)
            done[0] += 1
    conn.close()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _is_python(pid: int) -> bool:
    try:
        return "python" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
    except OSError:
        return False


def server_rss(master: int) -> int:
    """Resident memory of the server's whole process tree, in bytes."""
    total, todo = 0, [master]
    while todo:
        pid = todo.pop()
        total += _own_rss(pid)
        todo += _children(pid)
    return total


def rss_by_role(master: int) -> dict[str, int]:
    """Resident MiB of the server's processes by role: master, web workers, query
    processes, front."""
    roles: Counter = Counter()
    for pid in [master, *_children(master)]:
        role = "master" if pid == master else "web worker" if _is_python(pid) else "front"
        roles[role] += server_rss(pid) if role == "front" else _own_rss(pid)
        if role == "web worker":
            roles["query processes"] += sum(server_rss(q) for q in _children(pid))
    return {role: n // 2**20 for role, n in roles.items()}


def _own_rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def web_workers(master: int) -> list[int]:
    return [p for p in _children(master) if _is_python(p)]


def recovery(port: int, since: float, limit: float = 60) -> float | None:
    """Seconds after ``since`` when every kind of probe was answered 200 again."""
    pending, n = dict(RECOVERY_PROBES), itertools.count()
    while pending and time.monotonic() - since < limit:
        for kind, (target, language) in list(pending.items()):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            i = next(n)
            probe = ("GET", target.format(n=i), {"Accept-Language": language.format(n=i)}, None)
            try:
                if _send(conn, probe).status == 200:
                    del pending[kind]
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()
        time.sleep(0.05)
    return None if pending else time.monotonic() - since


def start(root: Path, front: bool) -> tuple[subprocess.Popen, int, Path]:
    port = _free_port()
    log = root / "server.log"
    env = {**os.environ, "NORMGRAPH_RELEASE_DIR": str(root), "NORMGRAPH_QUERY_TIMEOUT": "10"}
    process = subprocess.Popen(
        [NORMGRAPH, "serve", "--port", str(port), "--workers", "2"]
        + (["--front"] if front else []),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    for _ in range(300):
        if recovery(port, time.monotonic(), limit=1) is not None:
            return process, port, log
        time.sleep(0.5)
    process.kill()
    raise SystemExit("the server did not come up; see " + str(log))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000, help="of the soak (100,000)")
    parser.add_argument("--fault-requests", type=int, default=10_000, help="of the fault phase")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--no-front", action="store_true", help="the workers alone")
    parser.add_argument("--release-dir", type=Path, help="copy this release root (default: build)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "releases"
        if args.release_dir:
            subprocess.run(["cp", "-a", str(args.release_dir), str(root)], check=True)
        else:
            subprocess.run([NORMGRAPH, "build", "-q", "--release-dir", str(root)], check=True)
        good, bad = workload(root, "https://w3id.org/normgraph/")
        rng = random.Random(args.seed)

        def mix(n: int) -> list:
            return [rng.choice(bad) if rng.random() < 0.1 else rng.choice(good) for _ in range(n)]

        print(f"{len(good)} distinct good requests, {len(bad)} malformed (one in ten)")
        process, port, log = start(root, not args.no_front)
        order = {r: int(r[:8] + r[9:15]) for r in _releases_ordered(root)}
        server = Server(process.pid, port, root)
        try:
            soak = phase(server, mix(args.requests), args.clients, order, SWITCHES, rss_at=10_000)
            faults = phase(server, mix(args.fault_requests), args.clients, order, FAULTS)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        print(f"\nsoak, with a build and an ingest while it runs ({args.clients} clients):")
        _report(soak, log)
        print("\nfaults: SIGKILL of a web worker and of a query process under load:")
        _report(faults, log)


@dataclass(frozen=True)
class Server:
    master: int
    port: int
    root: Path


@dataclass
class Phase:
    tally: Tally
    elapsed: float
    rss: dict
    events: list


SWITCHES = ((0.20, "build"), (0.45, "ingest"))
SOAK_NOTE = """Note on minority language education (written for the soak benchmark)

1. States should make it possible for persons belonging to linguistic minorities to
learn their mother tongue or to be taught in it.

2. Teacher training and textbooks in minority languages need public funding.

3. Persons belonging to minorities should take part in decisions on the curricula
that concern them.
"""
FAULTS = ((0.20, "kill web worker"), (0.60, "kill query process"))


def phase(server: Server, plan: list, clients: int, order: dict, steps, rss_at=None) -> Phase:
    """Send ``plan`` from ``clients`` threads; take each of ``steps`` in turn once
    its share of the plan is done; resident memory after ``rss_at`` and at the end."""
    tally, done, jobs, lock = Tally(), [0], iter(plan), threading.Lock()

    def next_jobs():
        while True:
            with lock:
                job = next(jobs, None)
            if job is None:
                return
            yield job

    threads = [
        threading.Thread(target=client, args=(server.port, next_jobs(), tally, order, done))
        for _ in range(clients)
    ]
    events, rss = [], {}
    started = time.monotonic()
    for thread in threads:
        thread.start()

    def due(at: float) -> bool:  # a switch falls between the two memory samples
        return done[0] >= at * len(plan) and (not rss_at or "first" in rss)

    def run_steps() -> None:  # one after the other: a build and an ingest share a lock
        for at, step in steps:
            while not due(at) and any(t.is_alive() for t in threads):
                time.sleep(0.05)
            _step(step, server, events, tally)
            events[-1] += (done[0],)  # how many requests had been answered when it was done

    stepper = threading.Thread(target=run_steps)
    stepper.start()
    while any(t.is_alive() for t in threads):
        if rss_at and done[0] >= rss_at and "first" not in rss:
            rss["first"] = server_rss(server.master)
            rss["first by role"] = rss_by_role(server.master)
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    rss["last"] = server_rss(server.master)
    rss["last by role"] = rss_by_role(server.master)
    stepper.join()
    return Phase(tally, elapsed, rss, events)


def _step(step: str, server: Server, events: list, tally: Tally) -> None:
    at = time.monotonic()
    env = {**os.environ, "NORMGRAPH_RELEASE_DIR": str(server.root)}
    quiet = {"env": env, "stdout": subprocess.DEVNULL}
    if step == "build":
        ok = subprocess.run([NORMGRAPH, "build", "-q"], **quiet).returncode == 0
        events.append((step, "new release" if ok else "FAILED", time.monotonic() - at, None, 0))
    elif step == "ingest":
        document = server.root.parent / "soak-note.txt"
        document.write_text(SOAK_NOTE, encoding="utf-8")
        ok = subprocess.run([NORMGRAPH, "ingest", "-q", str(document)], **quiet).returncode == 0
        events.append((step, "new release" if ok else "FAILED", time.monotonic() - at, None, 0))
    else:
        if step == "kill web worker":
            victims = web_workers(server.master)
        else:
            victims = [q for w in web_workers(server.master) for q in _children(w) if _is_python(q)]
        failed_before = _failed(tally)
        os.kill(victims[0], signal.SIGKILL)
        again = recovery(server.port, time.monotonic())
        time.sleep(2)  # requests in flight at the kill have failed or finished by now
        lost = _failed(tally) - failed_before
        events.append((step, f"pid {victims[0]}", 0.0, again, lost))


def _failed(tally: Tally) -> int:
    with tally.lock:
        return sum(n for s, n in tally.statuses.items() if not isinstance(s, int) or s >= 500)


def _report(result: Phase, log: Path) -> None:
    tally = result.tally
    total = sum(tally.statuses.values())
    rate = total / result.elapsed
    print(f"  {total} requests in {result.elapsed:.0f} s ({rate:,.0f} req/s)")
    print("  answers:", ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items(), key=str)))
    print(f"  5xx: {len(tally.server_errors)}")
    for _, status, method, target in tally.server_errors[:20]:
        print(f"    {status} {method} {target}")
    tracebacks = log.read_text(errors="replace").count("Traceback")
    print(f"  tracebacks in the server's log so far: {tracebacks}")
    if "first" in result.rss:
        first, last = result.rss["first"], result.rss["last"]
        print(
            f"  resident memory (whole server): {first / 2**20:,.0f} MiB after the first 10,000,"
            f" {last / 2**20:,.0f} MiB at the end ({(last - first) / first:+.1%})"
        )
        print(f"    by role, MiB: {result.rss['first by role']} then {result.rss['last by role']}")
    print(f"  answers naming an older release than the same client had seen: {tally.going_back}")
    for step, what, took, recovered, lost, at in result.events:
        if "kill" in step:
            again = f"{recovered:.2f} s" if recovered is not None else "NOT within 60 s"
            print(f"  {step} ({what}): every kind answered again after {again}; {lost} lost")
        else:
            print(f"  {step}: {what} after {took:.0f} s, at request {at:,} of {total:,}")


if __name__ == "__main__":
    main()
