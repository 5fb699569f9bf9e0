"""The one format table: every serialisation normgraph reads or writes, with
its name, kind and pyoxigraph format (which knows its media type, extension and
W3C format IRI). CLI ``--format``, content negotiation, ``/data/`` suffixes,
``Link`` alternates and the service description all look formats up here."""

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
    # Other media types clients send for this format, and other names for ``format=``.
    media_aliases: tuple[str, ...] = ()
    name_aliases: tuple[str, ...] = ()

    @property
    def media_type(self) -> str:
        return self.ox.media_type

    @property
    def media_types(self) -> tuple[str, ...]:
        """Bare media types (no parameters) this format answers to, preferred first."""
        return (self.ox.media_type.split(";")[0].strip(), *self.media_aliases)

    @property
    def extension(self) -> str:
        return self.ox.file_extension

    @property
    def iri(self) -> str:
        return self.ox.iri

    def fits(self, result_kind: str) -> bool:
        """Can this format carry a result of kind ``solutions``, ``boolean`` or ``graph``?"""
        if result_kind == "graph":
            return self.kind in (GRAPH, DATASET)
        return self.kind == RESULTS

    def answers_to(self, name: str) -> bool:
        return name == self.name or name in self.name_aliases or name in self.media_types


FORMATS: tuple[Format, ...] = (
    Format("json", RESULTS, QueryResultsFormat.JSON, ("application/json",), ("srj",)),
    Format("xml", RESULTS, QueryResultsFormat.XML, ("application/xml", "text/xml"), ("srx",)),
    Format("csv", RESULTS, QueryResultsFormat.CSV),
    Format("tsv", RESULTS, QueryResultsFormat.TSV),
    Format("ttl", GRAPH, RdfFormat.TURTLE, ("application/x-turtle",), ("turtle", "n3")),
    Format("nt", GRAPH, RdfFormat.N_TRIPLES, ("text/plain",), ("ntriples", "n-triples")),
    Format("jsonld", GRAPH, RdfFormat.JSON_LD, ("application/json",), ("json-ld", "json")),
    Format(
        "rdfxml",
        GRAPH,
        RdfFormat.RDF_XML,
        ("application/xml", "text/xml"),
        ("rdf", "xml", "rdf+xml"),
    ),
    Format("trig", DATASET, RdfFormat.TRIG),
    Format("nq", DATASET, RdfFormat.N_QUADS, (), ("nquads", "n-quads")),
)


def names(*kinds: str) -> list[str]:
    return [f.name for f in FORMATS if not kinds or f.kind in kinds]


def of_kinds(*kinds: str) -> list[Format]:
    return [f for f in FORMATS if not kinds or f.kind in kinds]


def by_name(name: str, *kinds: str) -> Format:
    """Look a format up by name (or alias, or media type), limited to ``kinds`` when given.
    Exact names win over aliases, so ``json`` is SPARQL JSON unless only graphs are asked."""
    candidates = of_kinds(*kinds)
    for fmt in candidates:
        if fmt.name == name:
            return fmt
    for fmt in candidates:
        if fmt.answers_to(name):
            return fmt
    raise FormatError(f"unknown format {name!r}; choose one of: {', '.join(names(*kinds))}")


def by_extension(extension: str, *kinds: str) -> Format | None:
    return next((f for f in of_kinds(*kinds) if f.extension == extension), None)
