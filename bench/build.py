"""Benchmark: how long a release build takes (graph, then graph + search indexes as
`normgraph build` does it; the second and later runs reuse embeddings), and peak memory.

    .venv/bin/python bench/build.py [--runs N]

Prints one line per run and a summary; the figures go into the README.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from kg.build import Inputs, build
from kg.config import Settings
from kg.embedded import corpus_dir, ontology_dir
from kg.progress import silent
from search_api.search.encoder import encoder_args
from search_api.search.index import finalizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="number of builds (default 3)")
    args = parser.parse_args()
    inputs = Inputs(ontology_dir(), corpus_dir())
    times = []
    with tempfile.TemporaryDirectory() as root:
        settings = Settings.load(environ={}, release_dir=Path(root))
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            release = build(settings, inputs, silent())
            times.append(time.perf_counter() - started)
            counts = release.manifest.counts
            print(f"graph only, run {run}: {times[-1]:.2f} s, {counts['triples']:,} triples")
        finalize = finalizer(*encoder_args(settings))
        for run in range(1, 3):
            started = time.perf_counter()
            release = build(settings, inputs, silent(), finalize=finalize)
            label = "first (loads the model, encodes all units)" if run == 1 else "again (reuse)"
            print(
                f"with search indexes, {label}: {time.perf_counter() - started:.2f} s, "
                f"{release.manifest.counts['units']:,} units"
            )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"build: median {statistics.median(times):.2f} s over {len(times)} runs; "
        f"peak RSS {peak_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
