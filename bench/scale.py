"""Scaling benchmarks: the embedded parts at a million synthetic items, one part per run
(each fits in a few minutes on two cores; run them one at a time under the CPU lock).

    .venv/bin/python bench/scale.py vectors --index flat|ivf-sq8 [--count 1000000]
        clustered 384-d vectors (bench/search.py's generator): resident memory the index
        adds, build time (IVF: train + add), p50/p99 of one query for the 1,000 candidates
        a search takes, recall@10 against exact search (IVF)
    .venv/bin/python bench/scale.py lexical [--count 1000000]
        generated passages (bench/search.py's words) in a tantivy index built by
        search/lexical.py: build time, size on disk, p50/p99 of BM25 for 1,000 candidates
    .venv/bin/python bench/scale.py store [--triples 1000000]
        passages as triples (type, text, document, order, mentioned concepts) bulk-loaded
        into an Oxigraph store in one named graph: load time, size on disk, p50/p99 of a
        resource description (kg.store.describe) and of a count over every passage

Figures are printed; the README's "Scaling to ten million passages" records them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import faiss
import numpy as np
from pyoxigraph import Literal, NamedNode, Quad, Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search import _clustered, _passages  # bench/search.py's generators

from search_api.search import dense

CANDIDATES = 1000  # what a search takes from each retriever (search/engine.py)
DIMENSION = 384  # the packaged model's
BASE = "https://example.org/"


def _rss_mib() -> float:
    """Resident memory now (not the peak): what an index adds is the difference."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


def _directory_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def _quantiles(run: Callable[[int], object], rounds: int) -> str:
    times = []
    for i in range(rounds):
        started = time.perf_counter()
        run(i)
        times.append((time.perf_counter() - started) * 1000)
    q = statistics.quantiles(times, n=100)
    return f"p50 {q[49]:.2f} ms, p99 {q[98]:.2f} ms over {rounds} queries"


def bench_vectors(kind: str, count: int, queries: int = 300) -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(0, 1, (2000, DIMENSION)).astype(np.float32)
    faiss.normalize_L2(centres)
    chunks = [
        _clustered(min(100_000, count - i), DIMENSION, rng, centres)
        for i in range(0, count, 100_000)
    ]
    base = np.concatenate(chunks)
    del chunks
    probe = _clustered(queries, DIMENSION, rng, centres)
    before = _rss_mib()
    started = time.perf_counter()
    if kind == "flat":
        index = faiss.IndexFlatIP(DIMENSION)
        index.add(base)
    else:
        if count <= dense.EXACT_UP_TO:
            raise SystemExit(f"--count {count:,}: IVF-SQ8 starts above {dense.EXACT_UP_TO:,}")
        index = dense.build(base)
    build_s = time.perf_counter() - started
    added = _rss_mib() - before
    latency = _quantiles(lambda i: dense.nearest(index, probe[i], CANDIDATES), queries)
    line = (
        f"vectors {kind} over {count:,} x {DIMENSION}: build {build_s:.1f} s, "
        f"memory added {added:.0f} MiB ({added / count * 1e6:.0f} MiB per million), "
        f"file {len(faiss.serialize_index(index)) / 2**20:.0f} MiB; "
        f"{CANDIDATES} nearest: {latency}"
    )
    if kind != "flat":
        exact = faiss.IndexFlatIP(DIMENSION)
        exact.add(base)
        _, truth = exact.search(probe, 10)
        found = sum(
            len({row for row, _ in dense.nearest(index, probe[i], 10)} & set(truth[i].tolist()))
            for i in range(queries)
        )
        line += f"; recall@10 {found / (10 * queries):.3f}"
    print(line)


def _passage_units(count: int) -> Iterator:
    from search_api.search.units import Unit

    for i, text in enumerate(_passages(count)):
        yield Unit(f"{BASE}passage/{i}", "passage", text[:60], text)


def bench_lexical(count: int, queries: int = 300) -> None:
    from search_api.search import lexical

    started = time.perf_counter()
    units = list(_passage_units(count))
    words = sum(len(u.text.split()) for u in units)
    generate_s = time.perf_counter() - started
    asked = [" ".join(q.split()[:6]) for q in _passages(queries, seed=11)]
    with tempfile.TemporaryDirectory(prefix="bench-lexical-") as tmp:
        started = time.perf_counter()
        lexical.build(Path(tmp) / "lex", units)
        build_s = time.perf_counter() - started
        size = _directory_mib(Path(tmp) / "lex")
        del units
        index = lexical.LexicalIndex(Path(tmp) / "lex")
        index.search(asked[0], CANDIDATES)  # the first search maps the files
        latency = _quantiles(lambda i: index.search(asked[i], CANDIDATES), queries)
    print(
        f"lexical over {count:,} passages ({words / count:.0f} words each, generated in "
        f"{generate_s:.0f} s): build {build_s:.1f} s, index {size:.1f} MiB on disk; "
        f"BM25 for {CANDIDATES} candidates: {latency}"
    )


def _passage_quads(triples: int) -> Iterator:
    graph = NamedNode(f"{BASE}graph/documents")
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    passage = NamedNode(f"{BASE}def/Passage")
    text, order = NamedNode(f"{BASE}def/text"), NamedNode(f"{BASE}def/order")
    part_of = NamedNode("http://purl.org/dc/terms/isPartOf")
    mentions = NamedNode(f"{BASE}def/mentions")
    concepts = [NamedNode(f"{BASE}concept/{n}") for n in range(2000)]
    rng = random.Random(5)
    written, i = 0, 0
    while written < triples:
        texts = _passages(1000, seed=i)
        for j, wording in enumerate(texts):
            s = NamedNode(f"{BASE}passage/{i + j}")
            document = NamedNode(f"{BASE}document/{(i + j) // 50}")
            quads = [
                Quad(s, rdf_type, passage, graph),
                Quad(s, text, Literal(wording, language="en"), graph),
                Quad(s, part_of, document, graph),
                Quad(s, order, Literal(str((i + j) % 50 + 1), datatype=_INTEGER), graph),
            ]
            quads += [Quad(s, mentions, c, graph) for c in rng.sample(concepts, 3)]
            written += len(quads)
            yield from quads
            if written >= triples:
                return
        i += 1000


_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def bench_store(triples: int, queries: int = 200) -> None:
    from kg.store import describe, union_query

    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        path = Path(tmp) / "store"
        store = Store(str(path))
        started = time.perf_counter()
        store.bulk_extend(_passage_quads(triples))
        store.flush()
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        store.optimize()
        optimize_s = time.perf_counter() - started
        held = len(store)
        passages = held // 7
        size = _directory_mib(path)
        rng = random.Random(9)
        query = union_query(store, BASE)
        picks = [f"{BASE}passage/{rng.randrange(passages)}" for _ in range(queries)]
        one = _quantiles(lambda i: describe(query, picks[i]), queries)
        count = (
            "SELECT ?c (COUNT(?p) AS ?n) WHERE { GRAPH ?g { ?p <"
            + f"{BASE}def/mentions> ?c }} }} GROUP BY ?c ORDER BY DESC(?n) LIMIT 10"
        )
        whole = _quantiles(lambda i: list(store.query(count)), 5)
    print(
        f"store of {held:,} triples ({passages:,} passages): load {load_s:.1f} s "
        f"({held / load_s:,.0f} triples/s) + optimize {optimize_s:.1f} s, "
        f"{size:.0f} MiB on disk ({size / held * 1e6:.0f} MiB per million triples); "
        f"describe one passage: {one}; mentions per concept over all: {whole}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    vectors = sub.add_parser("vectors", help="synthetic vectors, one FAISS index")
    vectors.add_argument("--index", choices=("flat", "ivf-sq8"), required=True)
    vectors.add_argument("--count", type=int, default=1_000_000)
    lexical = sub.add_parser("lexical", help="generated passages, the tantivy index")
    lexical.add_argument("--count", type=int, default=1_000_000)
    store = sub.add_parser("store", help="passages as triples, the Oxigraph store")
    store.add_argument("--triples", type=int, default=1_000_000)
    args = parser.parse_args()
    faiss.omp_set_num_threads(2)
    if args.what == "vectors":
        bench_vectors(args.index, args.count)
    elif args.what == "lexical":
        bench_lexical(args.count)
    else:
        bench_store(args.triples)


if __name__ == "__main__":
    main()
