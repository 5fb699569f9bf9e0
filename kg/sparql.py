"""The one door to SPARQL: every query runs here, over the union of the named
graphs, with normgraph's prefixes predeclared, and comes back as a typed result
that a format from kg.formats can write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Variable,
)

from kg.errors import FormatError, QuerySyntaxError
from kg.formats import Format, names
from kg.vocab import prefixes

Term = NamedNode | BlankNode | Literal


@dataclass(frozen=True)
class QueryResult:
    kind: str  # "solutions" | "boolean" | "graph"
    value: QuerySolutions | QueryBoolean | QueryTriples

    def write(self, fmt: Format, output: BinaryIO) -> None:
        if not fmt.fits(self.kind):
            fitting = (
                "json, xml, csv, tsv"
                if self.kind != "graph"
                else ", ".join(names("graph", "dataset"))
            )
            raise FormatError(
                f"format {fmt.name!r} cannot carry a {self.kind} result; use one of: {fitting}"
            )
        self.value.serialize(output, fmt.ox)


def run(
    store: Store, text: str, base_iri: str, substitutions: dict[Variable, Term] | None = None
) -> QueryResult:
    """Parse and evaluate ``text``; a syntax error names the parser's complaint. Values that
    come from users are bound through ``substitutions``, never pasted into the text."""
    try:
        value = store.query(
            text,
            base_iri=base_iri,
            prefixes=prefixes(base_iri),
            use_default_graph_as_union=True,
            substitutions=substitutions,
        )
    except SyntaxError as error:
        raise QuerySyntaxError(f"the query does not parse: {error}") from None
    if isinstance(value, QueryBoolean):
        return QueryResult("boolean", value)
    if isinstance(value, QueryTriples):
        return QueryResult("graph", value)
    return QueryResult("solutions", value)
