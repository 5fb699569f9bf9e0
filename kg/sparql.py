"""The one door to SPARQL: every query and update runs here.

Queries see the union of the named graphs as their default graph unless the
request or the query names a dataset; normgraph's prefixes are predeclared;
SERVICE is refused so the endpoint cannot reach other hosts; answers can be
capped at a row count and say when they were cut.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Variable,
    parse,
    parse_query_results,
    serialize,
)

from kg.errors import FormatError, NormgraphError, QuerySyntaxError
from kg.formats import Format, names
from kg.sparql_text import calls_service, star_variables
from kg.vocab import prefixes

Term = NamedNode | BlankNode | Literal


class QueryRefused(NormgraphError):
    """The request is well-formed but not allowed here (SERVICE, an update without a token)."""


class QueryTimeout(NormgraphError):
    """The query ran past its time limit and was stopped."""


class QueryLost(NormgraphError):
    """The process running the query died (killed, out of memory); asking again works."""


@dataclass(frozen=True)
class Dataset:
    """The protocol's default-graph-uri / named-graph-uri (both empty: the query decides)."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


@dataclass(frozen=True)
class QueryResult:
    kind: str  # "solutions" | "boolean" | "graph"
    value: QuerySolutions | QueryBoolean | QueryTriples
    columns: tuple[Variable, ...] = ()  # solutions: the order to write them in

    @property
    def variables(self) -> list[Variable]:
        return list(self.columns) or list(getattr(self.value, "variables", []))

    def write(self, fmt: Format, output: BinaryIO, max_results: int | None = None) -> bool:
        """Serialise with pyoxigraph's writers; returns True when cut at ``max_results``."""
        if not fmt.fits(self.kind):
            fitting = names("graph", "dataset") if self.kind == "graph" else names("results")
            raise FormatError(
                f"format {fmt.name!r} cannot carry a {self.kind} result; "
                f"use one of: {', '.join(fitting)}"
            )
        reordered = self.kind == "solutions" and self.variables != self.value.variables
        if self.kind == "boolean" or (max_results is None and not reordered):
            self.value.serialize(output, fmt.ox)
            return False
        # Cut natively in a line format (one line per row), then convert: no Python per row.
        if self.kind == "graph":
            lines, truncated = _first_lines(self.value, RdfFormat.N_TRIPLES, max_results)
            serialize(parse(lines, RdfFormat.N_TRIPLES), output, fmt.ox)
            return truncated
        lines, truncated = _first_lines(self.value, QueryResultsFormat.TSV, max_results, 1)
        if reordered:
            lines = _reorder(lines, self.value.variables, self.variables)
        if fmt.ox == QueryResultsFormat.TSV:
            output.write(lines)
        else:
            parse_query_results(lines, QueryResultsFormat.TSV).serialize(output, fmt.ox)
        return truncated


@dataclass
class Answer:
    """A serialised answer, ready to send: what the HTTP layer needs and nothing else."""

    kind: str
    format: str
    body: bytes
    truncated: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _check_allowed(text: str) -> None:
    if calls_service(text):
        raise QueryRefused("SERVICE (federated query) is disabled on this endpoint")


def run(
    store: Store,
    text: str,
    base_iri: str,
    dataset: Dataset = Dataset(),
    relative_base: str | None = None,
    functions: dict | None = None,
    substitutions: dict[Variable, Term] | None = None,
) -> QueryResult:
    """Parse and evaluate a query; a syntax error carries the parser's message.
    ``base_iri`` is the data's base (for ``ng:``); relative IRIs in the text resolve
    against ``relative_base`` (the endpoint, for the HTTP service) or else ``base_iri``.
    Values that come from users are bound through ``substitutions``, never pasted in."""
    _check_allowed(text)
    options: dict[str, Any] = {"use_default_graph_as_union": True}
    if substitutions:
        options["substitutions"] = substitutions
    if functions:
        options["custom_functions"] = functions
    if dataset:
        # The protocol's dataset replaces the query's own (SPARQL 1.1 Protocol §2.1.4).
        del options["use_default_graph_as_union"]
        options["default_graph"] = [NamedNode(g) for g in dataset.default]
        options["named_graphs"] = [NamedNode(g) for g in dataset.named]
    try:
        value = store.query(
            text, base_iri=relative_base or base_iri, prefixes=prefixes(base_iri), **options
        )
    except SyntaxError as error:
        raise QuerySyntaxError(f"the query does not parse: {error}") from None
    if isinstance(value, QueryBoolean):
        return QueryResult("boolean", value)
    if isinstance(value, QueryTriples):
        return QueryResult("graph", value)
    return QueryResult("solutions", value, _columns(text, value.variables))


def _columns(text: str, variables: list[Variable]) -> tuple[Variable, ...]:
    """SELECT * columns in the order of first appearance (pyoxigraph sorts them)."""
    order = star_variables(text)
    if order is None:
        return tuple(variables)
    place = {name: i for i, name in enumerate(order)}
    return tuple(sorted(variables, key=lambda v: place.get(v.value, len(place))))


def update(store: Store, text: str, base_iri: str, relative_base: str | None = None) -> None:
    """Apply an update to a writable store (callers stage a release first: kg.update)."""
    _check_allowed(text)
    try:
        store.update(text, base_iri=relative_base or base_iri, prefixes=prefixes(base_iri))
    except SyntaxError as error:
        raise QuerySyntaxError(f"the update does not parse: {error}") from None


# ---------------------------------------------------------------- capped results
class _Enough(Exception):
    """Raised by a _LineCap to stop a serialiser once it has all the lines it needs."""


class _LineCap(io.RawIOBase):
    """A sink that keeps the first ``lines`` lines written to it, then stops the writer."""

    def __init__(self, lines: int | None) -> None:
        self.left, self.parts, self.full = lines, [], False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.full:  # the writer flushing its buffer after being stopped
            return len(data)
        data = bytes(data)
        if self.left is not None:
            seen = data.count(b"\n")
            if seen >= self.left:
                cut = -1
                for _ in range(self.left):
                    cut = data.index(b"\n", cut + 1)
                self.parts.append(data[: cut + 1])
                self.full = True
                raise _Enough
            self.left -= seen
        self.parts.append(data)
        return len(data)


def _first_lines(
    value: QuerySolutions | QueryTriples, fmt: Any, rows: int | None, header: int = 0
) -> tuple[bytes, bool]:
    """The ``header`` lines and first ``rows`` rows of ``value`` in a line format
    (TSV, N-Triples), and whether there were more; evaluation stops one row past."""
    sink = _LineCap(None if rows is None else header + rows + 1)
    with contextlib.suppress(_Enough):
        value.serialize(sink, fmt)
    lines = b"".join(sink.parts)
    if sink.full:  # the extra row only said there were more
        lines = lines[: lines.rfind(b"\n", 0, len(lines) - 1) + 1]
    return lines, sink.full


def _reorder(tsv: bytes, given: list[Variable], wanted: list[Variable]) -> bytes:
    """TSV results with their columns in ``wanted`` order (a tab never occurs inside a term)."""
    order = [given.index(v) for v in wanted]
    out = []
    for line in tsv.split(b"\n")[:-1]:
        cells = line.split(b"\t")
        out.append(b"\t".join(cells[i] for i in order))
    return b"\n".join(out) + b"\n"
