"""The one format table: every serialisation normgraph reads or writes, with
its name, kind and pyoxigraph format (which knows its media type and extension).
CLI ``--format``, content negotiation, ``/data/`` suffixes and the service
description all look formats up here."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat

from kg.errors import FormatError

RESULTS, GRAPH, DATASET = "results", "graph", "dataset"


@dataclass(frozen=True)
class Format:
    name: str
    kind: str
    ox: RdfFormat | QueryResultsFormat

    @property
    def media_type(self) -> str:
        return self.ox.media_type

    @property
    def extension(self) -> str:
        return self.ox.file_extension

    def fits(self, result_kind: str) -> bool:
        """Can this format carry a result of kind ``solutions``, ``boolean`` or ``graph``?"""
        if result_kind == "graph":
            return self.kind in (GRAPH, DATASET)
        return self.kind == RESULTS


FORMATS: tuple[Format, ...] = (
    Format("json", RESULTS, QueryResultsFormat.JSON),
    Format("xml", RESULTS, QueryResultsFormat.XML),
    Format("csv", RESULTS, QueryResultsFormat.CSV),
    Format("tsv", RESULTS, QueryResultsFormat.TSV),
    Format("ttl", GRAPH, RdfFormat.TURTLE),
    Format("nt", GRAPH, RdfFormat.N_TRIPLES),
    Format("jsonld", GRAPH, RdfFormat.JSON_LD),
    Format("rdfxml", GRAPH, RdfFormat.RDF_XML),
    Format("trig", DATASET, RdfFormat.TRIG),
    Format("nq", DATASET, RdfFormat.N_QUADS),
)


def names(*kinds: str) -> list[str]:
    return [f.name for f in FORMATS if not kinds or f.kind in kinds]


def by_name(name: str, *kinds: str) -> Format:
    """Look a format up by name, limited to ``kinds`` when given."""
    for fmt in FORMATS:
        if fmt.name == name and (not kinds or fmt.kind in kinds):
            return fmt
    raise FormatError(f"unknown format {name!r}; choose one of: {', '.join(names(*kinds))}")
