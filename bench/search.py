"""Search benchmarks.

    .venv/bin/python bench/search.py passages [--count 100000] [--vectors FILE]
        generated passages embedded with the real model: the OpenVINO backend against plain
        sentence-transformers (torch) in the same run (1,200 passages in batches, 200 single
        queries) with the GFLOP/s each achieves beside this host's float32 peak, embedding
        throughput, index build time (dense + lexical), p50/p99 of hybrid
        search in-process, memory
    .venv/bin/python bench/search.py corpus [--qrels bench/qrels.tsv] [--rounds 5]
        the current release (NORMGRAPH_RELEASE_DIR): p50/p99 of the default search,
        in-process, over the judged queries' texts (the query embedding included)
    .venv/bin/python bench/search.py ann [--count 1000000]
        synthetic clustered vectors, to isolate the approximate index: recall@10
        against exact search, p50/p99 latency, resident memory of the index

Figures are printed; the README records them.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import faiss
import numpy as np

from search_api.search import dense

WORDS = (
    "state states minority minorities persons belonging national ethnic religious linguistic "
    "identity culture language mother tongue education school children women girls participation "
    "public life decisions associations contacts borders discrimination racial equality law "
    "enforcement police profiling force justice remedies reparations data statistics "
    "disaggregated census indigenous peoples african descent roma migrants refugees stateless "
    "citizenship hate speech incitement violence measures legislation policy programme plan "
    "national action committee recommendation report government ministry commission ombudsman "
    "equality body complaint access health housing employment development covid pandemic climate "
    "displacement security peacekeeping protection civilians training guidance country team"
).split()


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _passages(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60))).capitalize() + "."
        for _ in range(count)
    ]


def _query_times(encoder, queries: list[str]) -> list[float]:
    times = []
    for q in queries:
        started = time.perf_counter()
        encoder.encode([q])
        times.append((time.perf_counter() - started) * 1000)
    return times


def host_peak_gflops(size: int = 2048) -> float:
    """This host's float32 matrix-product rate: numpy's BLAS on every core, best of 3."""
    a, b = (np.random.default_rng(0).random((size, size), dtype=np.float32) for _ in range(2))
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(3))
    return 2 * size**3 / best / 1e9


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def model_gflop(encoder, texts: list[str]) -> tuple[float, float]:
    """GFLOP of one pass over the texts' real tokens (padding not counted) and tokens per
    text: the transformer's products from its config.json, attention included."""
    import json

    config = json.loads((encoder.path / "config.json").read_text())
    layers, hidden = config["num_hidden_layers"], config["hidden_size"]
    per_token = 2 * layers * (4 * hidden**2 + 2 * hidden * config["intermediate_size"])
    model = encoder.model  # the OpenVINO model: its tokenizer, unpadded, truncating as it runs
    lengths = [len(e.ids) for e in model.tokenizer.encode_batch([t.lower() for t in texts])]
    attention = sum(2 * 2 * layers * hidden * n * n for n in lengths)
    return (per_token * sum(lengths) + attention) / 1e9, sum(lengths) / len(lengths)


def compare_backends(sample: list[str], queries: list[str], models: Path) -> None:
    """Plain sentence-transformers against OpenVINO, alternately, on the same texts; the
    export is left in ``models`` for the search that follows."""
    from search_api.search.encoder import Encoder

    encoders = {name: Encoder(backend=name, cache_dir=models) for name in ("torch", "openvino")}
    rates: dict[str, list[float]] = {name: [] for name in encoders}
    vectors = {}
    for encoder in encoders.values():
        encoder.encode(sample[:64])  # warm up
    for _ in range(2):
        for name, encoder in encoders.items():
            started = time.perf_counter()
            vectors[name] = encoder.encode(sample, batch_size=128)
            rates[name].append(len(sample) / (time.perf_counter() - started))
    cosine = (vectors["torch"] * vectors["openvino"]).sum(axis=1)
    for name, encoder in encoders.items():
        q = statistics.quantiles(_query_times(encoder, queries), n=100)
        print(
            f"embedding with {encoder.backend}: {len(sample):,} passages, best of 2: "
            f"{max(rates[name]):.0f} passages/s; one query: p50 {q[49]:.1f} ms, "
            f"p99 {q[98]:.1f} ms"
        )
    ratio = max(rates["openvino"]) / max(rates["torch"])
    print(
        f"openvino / torch: {ratio:.2f}x; cosine mean {cosine.mean():.5f}, min {cosine.min():.5f}"
    )
    # why the ratio is what it is: both backends against what the cores can do in float32
    gflop, tokens = model_gflop(encoders["openvino"], sample)
    achieved = {name: gflop * max(r) / len(sample) for name, r in rates.items()}
    print(
        f"achieved: torch {achieved['torch']:.0f} GFLOP/s, openvino {achieved['openvino']:.0f} "
        f"GFLOP/s ({tokens:.1f} tokens a passage, padding not counted); this host's float32 "
        f"matrix-product peak (numpy, 2048x2048, all cores) {host_peak_gflops():.0f} GFLOP/s; "
        f"2x torch would need {2 * achieved['torch']:.0f}"
    )


def bench_passages(count: int, cache: Path | None = None) -> None:
    from kg.release import Manifest, Release
    from search_api.search import lexical
    from search_api.search.encoder import Encoder
    from search_api.search.engine import Searcher, SearchRequest
    from search_api.search.labels import Labels
    from search_api.search.lexical import LexicalIndex
    from search_api.search.units import Unit

    texts = _passages(count)
    queries = [" ".join(q.split()[:8]) for q in _passages(200, seed=11)]
    models = Path(tempfile.mkdtemp(prefix="bench-models-"))
    # in a process of its own, so that torch stays out of the memory measured below
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(compare_backends, texts[:1200], queries, models).result()
    units = [Unit(f"https://example.org/p/{i}", "passage", t[:60], t) for i, t in enumerate(texts)]
    encoder = Encoder(cache_dir=models)
    encoder.encode(["warm up"])
    if cache is not None and cache.exists():
        vectors = np.load(cache)
        print(f"embedding: {len(vectors):,} vectors read from {cache}")
    else:
        started = time.perf_counter()
        vectors = encoder.encode(texts, batch_size=128)
        embed_s = time.perf_counter() - started
        rate = count / embed_s
        print(
            f"embedding ({encoder.backend}): {count:,} passages in {embed_s:.0f} s = "
            f"{rate:.0f} passages/s"
        )
        if cache is not None:
            np.save(cache, vectors)
    if len(vectors) != count:
        raise SystemExit(f"{cache} holds {len(vectors):,} vectors, not {count:,}")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index = dense.build(vectors)
        dense_s = time.perf_counter() - started
        started = time.perf_counter()
        lexical.build(Path(tmp) / "lex", units)
        lex_s = time.perf_counter() - started
        print(f"index build: dense ({dense.kind(index)}) {dense_s:.1f} s, lexical {lex_s:.1f} s")
        manifest = Manifest("bench", "", "", "https://example.org/", {}, {}, [], {})
        searcher = Searcher(
            Release(Path(tmp), manifest),
            units,
            index,
            LexicalIndex(Path(tmp) / "lex"),
            encoder,
            Labels({}, {}),
            None,
        )
        times = []
        for q in queries:
            started = time.perf_counter()
            searcher.search(SearchRequest(q=q))
            times.append((time.perf_counter() - started) * 1000)
        quantiles = statistics.quantiles(times, n=100)
        print(
            f"hybrid search: p50 {quantiles[49]:.1f} ms, p99 {quantiles[98]:.1f} ms "
            f"over {len(times)} queries"
        )
    shutil.rmtree(models, ignore_errors=True)
    torch = "torch loaded" if "torch" in sys.modules else "torch never loaded"
    print(f"peak RSS of the process: {_rss_mib():.0f} MiB ({encoder.backend}; {torch})")


def bench_corpus(qrels: Path, rounds: int) -> None:
    from kg.config import Settings
    from kg.release import Releases
    from kg.store import open_read_only
    from search_api.search.encoder import Encoder
    from search_api.search.engine import Searcher, SearchRequest

    release = Releases(Settings.load().release_dir).current()
    searcher = Searcher.from_release(release, open_read_only(release), Encoder())
    # the query and language columns alone, so that an older checkout can run this too
    lines = [line for line in qrels.read_text().splitlines() if not line.startswith("#")]
    queries = sorted({(row["query"], row["lang"]) for row in csv.DictReader(lines, delimiter="\t")})
    for q, lang in queries:  # warm up: each language's tagger is built on first use
        searcher.search(SearchRequest(q=q, lang=lang))
    times = []
    for _ in range(rounds):
        for q, lang in queries:
            started = time.perf_counter()
            searcher.search(SearchRequest(q=q, lang=lang))
            times.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(times, n=100)
    print(
        f"default search on release {release.id} ({len(searcher.units)} units): "
        f"p50 {quantiles[49]:.1f} ms, p99 {quantiles[98]:.1f} ms over {len(times)} searches"
    )


def _clustered(count: int, dim: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    labels = rng.integers(0, len(centres), count)
    # noise of norm ~0.6 around topic centres: neighbours exist, as in real embeddings
    vectors = centres[labels] + rng.normal(0, 0.6 / dim**0.5, (count, dim)).astype(np.float32)
    faiss.normalize_L2(vectors)
    return vectors


def bench_ann(count: int, dim: int = 384, queries: int = 1000) -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(0, 1, (2000, dim)).astype(np.float32)
    faiss.normalize_L2(centres)
    base = np.concatenate(
        [_clustered(min(100_000, count - i), dim, rng, centres) for i in range(0, count, 100_000)]
    )
    probe = _clustered(queries, dim, rng, centres)
    started = time.perf_counter()
    index = dense.build(base)
    build_s = time.perf_counter() - started
    index_mib = len(faiss.serialize_index(index)) / 2**20
    exact = faiss.IndexFlatIP(dim)
    exact.add(base)
    _, truth = exact.search(probe, 10)
    del exact
    hits, times = 0, []
    for i in range(queries):
        started = time.perf_counter()
        found = dense.search(index, probe[i], 10)
        times.append((time.perf_counter() - started) * 1000)
        hits += len({h.row for h in found} & set(truth[i].tolist()))
    quantiles = statistics.quantiles(times, n=100)
    print(
        f"ANN ({dense.kind(index)}, {type(index).__name__}) over {count:,} vectors: "
        f"build {build_s:.0f} s, recall@10 {hits / (10 * queries):.3f}, "
        f"p50 {quantiles[49]:.2f} ms, p99 {quantiles[98]:.2f} ms, "
        f"index size {index_mib:.0f} MiB (float32 vectors alone: "
        f"{count * dim * 4 / 2**20:.0f} MiB); peak RSS of the run {_rss_mib():.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    passages = sub.add_parser("passages", help="generated passages, the real model")
    passages.add_argument("--count", type=int, default=100_000)
    passages.add_argument(
        "--vectors",
        type=Path,
        help="a .npy file: the embeddings are read from it when it exists, else written to it "
        "(re-measures search without the 40-minute embedding)",
    )
    corpus = sub.add_parser("corpus", help="the current release, the judged queries")
    corpus.add_argument("--qrels", type=Path, default=Path(__file__).parent / "qrels.tsv")
    corpus.add_argument("--rounds", type=int, default=5)
    ann = sub.add_parser("ann", help="synthetic vectors, the approximate index")
    ann.add_argument("--count", type=int, default=1_000_000)
    args = parser.parse_args()
    faiss.omp_set_num_threads(2)
    if args.what == "passages":
        bench_passages(args.count, args.vectors)
    elif args.what == "corpus":
        bench_corpus(args.qrels, args.rounds)
    else:
        bench_ann(args.count)


if __name__ == "__main__":
    main()
