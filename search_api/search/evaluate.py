"""Evaluation on judged queries: nDCG@10, Recall@10, Recall@100 and MRR for
lexical, dense, hybrid and hybrid+concepts.

Judgments are a TSV file with a header ``query, lang, iri, grade`` (grade 0-3;
one row per judged unit, the query text repeated); ``#`` starts a comment."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kg.errors import NormgraphError
from search_api.search.engine import Searcher, SearchRequest

RUNS = {
    "lexical": {"mode": "lexical", "concepts": False},
    "dense": {"mode": "dense", "concepts": False},
    "hybrid": {"mode": "hybrid", "concepts": False},
    "hybrid+concepts": {"mode": "hybrid", "concepts": True},
}
DEPTH = 100


@dataclass(frozen=True)
class Judged:
    query: str
    lang: str
    grades: dict[str, int]


def read_qrels(path: Path) -> list[Judged]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise NormgraphError(f"cannot read {path}: {error.strerror}") from None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t")
    if reader.fieldnames != ["query", "lang", "iri", "grade"]:
        raise NormgraphError(f"{path}: the header must be query<TAB>lang<TAB>iri<TAB>grade")
    grades: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for n, row in enumerate(reader, start=2):
        try:
            grade = int(row["grade"])
        except (TypeError, ValueError):
            raise NormgraphError(f"{path}:{n}: grade must be a whole number 0-3") from None
        grades[(row["query"], row["lang"] or "en")][row["iri"]] = grade
    return [Judged(q, lang, g) for (q, lang), g in grades.items()]


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gain = sum((2 ** grades.get(iri, 0) - 1) / math.log2(i + 2) for i, iri in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return gain / best if best else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int) -> float:
    relevant = {iri for iri, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr(ranked: list[str], grades: dict[str, int]) -> float:
    return next((1 / (i + 1) for i, iri in enumerate(ranked) if grades.get(iri, 0) > 0), 0.0)


def evaluate(searcher: Searcher, judged: list[Judged], fusion: str) -> dict[str, dict[str, float]]:
    table = {}
    for run, options in RUNS.items():
        sums = defaultdict(float)
        for j in judged:
            request = SearchRequest(q=j.query, lang=j.lang, size=DEPTH, fusion=fusion, **options)
            ranked = [h.iri for h in searcher.search(request).hits]
            sums["nDCG@10"] += ndcg(ranked, j.grades)
            sums["Recall@10"] += recall(ranked, j.grades, 10)
            sums["Recall@100"] += recall(ranked, j.grades, 100)
            sums["MRR"] += mrr(ranked, j.grades)
        table[run] = {metric: total / len(judged) for metric, total in sums.items()}
    return table


def format_table(table: dict[str, dict[str, float]]) -> str:
    metrics = ["nDCG@10", "Recall@10", "Recall@100", "MRR"]
    lines = [f"{'run':<16}" + "".join(f"{m:>11}" for m in metrics)]
    for run, scores in table.items():
        lines.append(f"{run:<16}" + "".join(f"{scores[m]:>11.3f}" for m in metrics))
    return "\n".join(lines)
