"""The one door to SPARQL: every query and update runs here.

Queries see the union of the named graphs as their default graph unless the
request or the query names a dataset; normgraph's prefixes are predeclared;
SERVICE is refused so the endpoint cannot reach other hosts; answers can be
capped at a row count and say when they were cut.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, BinaryIO

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
    Variable,
    parse_query_results,
    serialize,
)

from kg.errors import FormatError, NormgraphError, QuerySyntaxError
from kg.formats import Format, names
from kg.sparql_text import calls_service, star_variables
from kg.vocab import prefixes

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
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
        items = list(islice(self.value, None if max_results is None else max_results + 1))
        truncated = max_results is not None and len(items) > max_results
        items = items[:max_results]
        if self.kind == "graph":
            serialize(items, output, fmt.ox)
        else:
            _solutions(self.variables, items).serialize(output, fmt.ox)
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


# ---------------------------------------------------------------- capped SELECT results
def _term(term: Any) -> dict[str, Any]:
    """A term in SPARQL 1.1 JSON results form."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _term(getattr(term, p)) for p in parts}}
    out: dict[str, Any] = {"type": "literal", "value": term.value}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _solutions(variables: list, rows: list) -> QuerySolutions:
    """Rebuild a QuerySolutions from rows already read, so pyoxigraph writes them."""
    names_ = [v.value for v in variables]
    bindings = [
        {name: _term(row[name]) for name in names_ if row[name] is not None} for row in rows
    ]
    document = {"head": {"vars": names_}, "results": {"bindings": bindings}}
    return parse_query_results(json.dumps(document).encode(), QueryResultsFormat.JSON)
