"""Lexical retrieval: BM25 over a persistent tantivy index with English stemming
and phrase queries. A quoted phrase in the query is matched
as a phrase; other words are matched one by one (any of them, scored by BM25);
concept expansions join as boosted phrases."""

from __future__ import annotations

import re
from pathlib import Path

import tantivy

from search_api.search.units import Unit

_PHRASE = re.compile(r'"([^"]+)"')
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 64


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("row", stored=True, indexed=True, fast=True)
    builder.add_text_field("label", stored=False, tokenizer_name="en_stem")
    builder.add_text_field("text", stored=False, tokenizer_name="en_stem")
    return builder.build()


def build(path: Path, units: list[Unit]) -> None:
    """Write a fresh index of ``units`` (row i = unit i) into ``path``."""
    path.mkdir(parents=True)
    index = tantivy.Index(_schema(), path=str(path))
    writer = index.writer(heap_size=64_000_000, num_threads=1)
    for row, unit in enumerate(units):
        document = tantivy.Document(label=unit.label, text=unit.text)
        document.add_unsigned("row", row)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)[:MAX_WORDS]]  # lower: no AND/OR/NOT operators


def query_string(text: str, expansions: list[tuple[str, float]] = ()) -> str:
    """The tantivy query for free text: phrases kept, other words bare (no syntax
    survives from user input), label matches weighted up, expansions boosted down."""
    phrases = [" ".join(_words(p)) for p in _PHRASE.findall(text)]
    rest = _words(_PHRASE.sub(" ", text))
    parts = [f'"{p}"' for p in phrases if p] + rest
    parts += [f"label:({' '.join(rest)})^2"] if rest else []
    for phrase, boost in expansions:
        words = " ".join(_words(phrase))
        if words:
            parts.append(f'"{words}"^{boost:.2f}')
    return " ".join(parts)


def required_phrases(text: str) -> list[str]:
    return [" ".join(_words(p)) for p in _PHRASE.findall(text) if _words(p)]


class LexicalIndex:
    def __init__(self, path: Path) -> None:
        self.index = tantivy.Index.open(str(path))

    def search(
        self, text: str, k: int, expansions: list[tuple[str, float]] = ()
    ) -> list[tuple[int, float]]:
        """(row, BM25 score) of the ``k`` best units, best first."""
        q = query_string(text, expansions)
        if not q:
            return []
        query = self.index.parse_query(q, ["text"])
        searcher = self.index.searcher()
        must = [self.index.parse_query(f'"{p}"', ["text"]) for p in required_phrases(text)]
        if must:  # a quoted phrase is a requirement, not a hint
            clauses = [(tantivy.Occur.Must, m) for m in must] + [(tantivy.Occur.Should, query)]
            query = tantivy.Query.boolean_query(clauses)
        hits = searcher.search(query, k, count=False).hits
        # the row from its fast field (a column): fetching each stored document cost more
        # than the search itself at 100k units
        rows = searcher.fast_field_values("row", [addr for _, addr in hits])
        # plain pairs: an object per hit cost more than the fusion that reads them
        return list(zip(rows, [score for score, _ in hits], strict=True))
