"""Reconciliation quality: how often /reconcile is right, on names as people write them.

    .venv/bin/python bench/reconcile.py [--bench bench/reconcile.tsv] [--no-type] [--misses]

Sends every name of the bench set (bench/reconcile.tsv) to the current release
(NORMGRAPH_RELEASE_DIR) through /reconcile, in batches of 10 as OpenRefine does,
in-process, each with the type its column would be reconciled against and
``type_strict: should``, as OpenRefine sends them (``--no-type``: without a type).
Prints, per language and overall: the precision of ``match: true`` (of the names
auto-matched, how many got the right entity), how many were auto-matched, and top-1
and top-3 recall (the right entity first, or among the first three candidates).
``--misses`` lists the names whose entity is not in the top 3 and the wrong
auto-matches. The README records the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kg.config import Settings
from kg.errors import NormgraphError

BENCH = Path(__file__).with_name("reconcile.tsv")
BATCH = 10
LANGS = ("en", "fr", "es", "ar", "ru", "zh")


@dataclass(frozen=True)
class Case:
    name: str
    lang: str
    type: str
    expected: str
    kind: str
    source: str


@dataclass
class Outcome:
    case: Case
    ids: list[str]
    matched: str | None  # the candidate with match: true, if any


def read_bench(path: Path) -> list[Case]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = csv.DictReader(
        (line for line in lines if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    cases = []
    for number, row in enumerate(rows, start=2):
        if None in row.values() or set(row) != set(Case.__dataclass_fields__):
            raise SystemExit(f"{path}: row {number}: expected 6 tab-separated columns")
        cases.append(Case(**row))
    return cases


def run(cases: list[Case], with_type: bool) -> list[Outcome]:
    from search_api.app import create_app

    app = create_app(Settings.load())
    client = app.test_client()
    outcomes = []
    try:
        for start in range(0, len(cases), BATCH):
            batch = cases[start : start + BATCH]
            queries = {
                f"q{i}": {
                    "query": c.name,
                    **({"type": c.type, "type_strict": "should"} if with_type else {}),
                }
                for i, c in enumerate(batch)
            }
            response = client.post("/reconcile", data={"queries": json.dumps(queries)})
            if response.status_code != 200:
                raise SystemExit(f"/reconcile answered {response.status_code}: {response.json}")
            for i, case in enumerate(batch):
                result = response.json[f"q{i}"]["result"]
                matched = next((c["id"] for c in result if c.get("match")), None)
                outcomes.append(Outcome(case, [c["id"] for c in result], matched))
    finally:
        app.extensions["normgraph"].close()
    return outcomes


def report(outcomes: list[Outcome], with_type: bool, misses: bool) -> None:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.case.lang].append(o)
        groups["all"].append(o)
    print(f"reconciliation bench, {len(outcomes)} names, {'with' if with_type else 'without'} type")
    print("lang  names  match:true  precision  top-1  top-3")
    for lang in (*LANGS, "all"):
        group = groups.get(lang, [])
        if not group:
            continue
        auto = [o for o in group if o.matched]
        right = sum(o.matched == o.case.expected for o in auto)
        precision = f"{right / len(auto):.3f}" if auto else "-"
        top1 = sum(o.ids[:1] == [o.case.expected] for o in group) / len(group)
        top3 = sum(o.case.expected in o.ids[:3] for o in group) / len(group)
        print(f"{lang:<5} {len(group):>5}  {len(auto):>10}  {precision:>9}  {top1:.3f}  {top3:.3f}")
    if misses:
        for o in outcomes:
            if o.matched and o.matched != o.case.expected:
                print(f"WRONG MATCH  {o.case.name!r} -> {o.matched} (expected {o.case.expected})")
            elif o.case.expected not in o.ids[:3]:
                got = o.ids[:3]
                print(
                    f"MISS  {o.case.name!r} ({o.case.lang}) -> {got} (expected {o.case.expected})"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=BENCH, help="the bench set (TSV)")
    parser.add_argument("--no-type", action="store_true", help="send the names without a type")
    parser.add_argument("--misses", action="store_true", help="list misses and wrong matches")
    args = parser.parse_args(argv)
    try:
        cases = read_bench(args.bench)
    except OSError as error:
        print(f"reconcile bench: {error}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        outcomes = run(cases, with_type=not args.no_type)
    except NormgraphError as error:
        print(f"reconcile bench: {error}", file=sys.stderr)
        return 1
    report(outcomes, not args.no_type, args.misses)
    print(f"({time.perf_counter() - started:.1f} s, catalog build included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
