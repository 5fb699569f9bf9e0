"""Evaluation on judged queries: nDCG@10, Recall@10, Recall@100 and MRR for every
ranking the engine offers, beside a plain peer, per half and per kind of query.

Judgments are a TSV file with the header ``query, lang, kind, source, iri, grade``
(grade 1-3; one row per judged unit, the query's fields repeated); ``#`` starts a
comment. A query's half (tune or held-out) follows from a hash of its text, so
nobody chooses it: weights are chosen on the tune half and reported on both.

A hit counts for the judged unit it is, or lies inside (``…/art/4/para/a`` counts
for a judged ``…/art/4``, an article for its judged instrument); each judged unit
counts once, at its first hit, so ten paragraphs of one judged article earn one."""

from __future__ import annotations

import csv
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import NormgraphError
from search_api.search import dense
from search_api.search.engine import DOCUMENT_KINDS, Searcher, SearchRequest

HEADER = ["query", "lang", "kind", "source", "iri", "grade"]
KINDS = ("question", "keywords", "paraphrase", "body-procedure", "citation", "fr-es")
HALVES = ("tune", "heldout")
# run name -> the request options it sets (the peer is not the engine: see peer_ranking)
RUNS: dict[str, dict] = {
    "lexical": {"mode": "lexical", "concepts": False},
    "dense": {"mode": "dense", "concepts": False},
    "hybrid": {"mode": "hybrid", "concepts": False},
    "default": {},
}
PEER = "peer (cosine)"
DEPTH = 100
METRICS = ("nDCG@10", "Recall@10", "Recall@100", "MRR")


@dataclass(frozen=True)
class Judged:
    query: str
    lang: str
    kind: str
    source: str
    grades: dict[str, int]

    @property
    def half(self) -> str:
        """tune or heldout, from the query's text alone."""
        return HALVES[hashlib.sha256(self.query.encode()).digest()[0] % 2]


def read_qrels(path: Path) -> list[Judged]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise NormgraphError(f"cannot read {path}: {error.strerror}") from None
    numbered = [
        (n, line)
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]
    reader = csv.DictReader([line for _, line in numbered], delimiter="\t")
    if reader.fieldnames != HEADER:
        raise NormgraphError(f"{path}: the header must be {'<TAB>'.join(HEADER)}")
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    about: dict[str, tuple[str, str, str]] = {}
    for (n, _), row in zip(numbered[1:], reader, strict=True):
        where = f"{path}:{n}"
        grade = row["grade"] or ""
        if not grade.isdigit() or not 0 <= int(grade) <= 3:
            raise NormgraphError(f"{where}: grade must be a whole number 0-3, got {grade!r}")
        if row["kind"] not in KINDS:
            raise NormgraphError(f"{where}: kind must be one of {', '.join(KINDS)}")
        fields = (row["lang"] or "en", row["kind"], row["source"] or "")
        if about.setdefault(row["query"], fields) != fields:
            raise NormgraphError(
                f"{where}: {row['query']!r} has another lang, kind or source above"
            )
        grades[row["query"]][row["iri"]] = int(grade)
    return [Judged(q, *about[q], g) for q, g in grades.items()]


def credited(ranked: list[str], grades: dict[str, int]) -> list[int]:
    """The grade each hit earns: that of the judged unit it is or lies inside, once."""
    seen: set[str] = set()
    out = []
    for iri in ranked:
        judged = _judged_container(iri, grades)
        out.append(grades[judged] if judged and judged not in seen else 0)
        if judged:
            seen.add(judged)
    return out


def _judged_container(iri: str, grades: dict[str, int]) -> str | None:
    while "/" in iri.partition("://")[2]:  # up the path, to the host
        if iri in grades:
            return iri
        iri = iri.rsplit("/", 1)[0]
    return None


def ndcg(gains: list[int], grades: dict[str, int], k: int = 10) -> float:
    got = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return got / best if best else 0.0


def recall(gains: list[int], grades: dict[str, int], k: int) -> float:
    relevant = sum(1 for g in grades.values() if g > 0)
    return sum(1 for g in gains[:k] if g > 0) / relevant if relevant else 0.0


def mrr(gains: list[int]) -> float:
    return next((1 / (i + 1) for i, g in enumerate(gains) if g > 0), 0.0)


def scores(ranked: list[str], grades: dict[str, int]) -> dict[str, float]:
    gains = credited(ranked, grades)
    return {
        "nDCG@10": ndcg(gains, grades),
        "Recall@10": recall(gains, grades, 10),
        "Recall@100": recall(gains, grades, 100),
        "MRR": mrr(gains),
    }


def peer_ranking(searcher: Searcher, query: str) -> list[str]:
    """The plain peer: cosine of the query's embedding with each document's stored one."""
    vector = searcher.encoder.encode([query])[0]
    found = dense.search(searcher.index, vector, len(searcher.units))
    units = searcher.units
    return [units[h.row].iri for h in found if units[h.row].kind in DOCUMENT_KINDS][:DEPTH]


Ranker = Callable[[Judged], list[str]]


def rankers(
    searcher: Searcher, runs: tuple[str, ...] = (*RUNS, PEER), **options
) -> dict[str, Ranker]:
    """The ``runs`` of RUNS (``options`` overriding the request's defaults) and the peer."""

    def engine(run: dict) -> Ranker:
        def rank(j: Judged) -> list[str]:
            # no lang=, as most users send none: the engine detects the language as it would
            request = SearchRequest(q=j.query, size=DEPTH, **{**options, **run})
            return [h.iri for h in searcher.search(request).hits]

        return rank

    out: dict[str, Ranker] = {name: engine(run) for name, run in RUNS.items() if name in runs}
    if PEER in runs:
        out[PEER] = lambda j: peer_ranking(searcher, j.query)
    return out


@dataclass
class Report:
    """Per query and run, the four metrics; summarised by half and by kind."""

    judged: list[Judged]
    per_query: dict[str, list[dict[str, float]]]  # run -> one dict per judged query

    def mean(self, run: str, metric: str, keep: Callable[[Judged], bool]) -> float | None:
        values = [
            s[metric] for j, s in zip(self.judged, self.per_query[run], strict=True) if keep(j)
        ]
        return sum(values) / len(values) if values else None


def evaluate(
    searcher: Searcher, judged: list[Judged], runs: tuple[str, ...] = (*RUNS, PEER), **options
) -> Report:
    ranked = rankers(searcher, runs, **options)
    return Report(
        judged, {name: [scores(rank(j), j.grades) for j in judged] for name, rank in ranked.items()}
    )


def _cell(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.3f}"


def format_report(report: Report) -> str:
    """One table per half (and both together), then nDCG@10 by kind of query."""
    lines = []
    for half in (*HALVES, "all"):
        keep = (lambda j, h=half: j.half == h) if half != "all" else (lambda j: True)
        count = sum(1 for j in report.judged if keep(j))
        lines += [
            "",
            f"{half}: {count} queries",
            f"{'run':<16}" + "".join(f"{m:>11}" for m in METRICS),
        ]
        for run in report.per_query:
            lines.append(
                f"{run:<16}" + "".join(_cell(report.mean(run, m, keep), 11) for m in METRICS)
            )
    for half in HALVES:
        counts = {k: sum(1 for j in report.judged if j.kind == k and j.half == half) for k in KINDS}
        lines += ["", f"nDCG@10 by kind, {half} half"]
        lines.append(f"{'run':<16}" + "".join(f"{f'{k} ({n})':>18}" for k, n in counts.items()))
        for run in report.per_query:
            cells = [
                report.mean(run, "nDCG@10", lambda j, k=k, h=half: j.kind == k and j.half == h)
                for k in KINDS
            ]
            lines.append(f"{run:<16}" + "".join(_cell(c, 18) for c in cells))
    return "\n".join(lines[1:])
