"""SPARQL on an external engine (NORMGRAPH_SPARQL_URL): the HTTP client, and the
mapping between a release's public graph names and the engine's.

A release lives on the engine in graphs named ``urn:normgraph:release:{id}:{graph}``
(kg.publish loads them), so that two releases sit side by side. Each query goes
out with the protocol's dataset (``default-graph-uri`` / ``named-graph-uri``)
limited to the current release's graphs; graph names the query itself gives
(``FROM``, ``FROM NAMED``, ``GRAPH <g>``) are mapped to the release's, and
the engine's answer is mapped back, so ``GRAPH ?g`` binds the public names.

Where a graph variable is used in a way the mapping cannot keep faithful (in an
expression, a filter, a VALUES block, as a subject or object), the query is
refused with a clear 400 rather than answered wrongly. Everything else
normgraph adds (SERVICE refusal, the row cap, formats, the time limit) stays
with the caller, exactly as for the embedded store.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urljoin

import requests
from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
    parse_query_results,
    serialize,
)

from kg.errors import InvalidRequest, NormgraphError, NotAcceptable, QuerySyntaxError
from kg.formats import by_name
from kg.sparql import Answer, Dataset, QueryResult, QueryTimeout, _check_allowed, _columns
from kg.sparql_pool import QueryJob
from kg.sparql_text import Token, _skip_prologue, query_form, tokens
from kg.vocab import prefixes

RELEASE_GRAPHS = "urn:normgraph:release:"
CATALOG = "urn:normgraph:releases"  # which releases the engine holds in full (kg.publish)
LOADED = "urn:normgraph:loaded"  # release -> one of its engine graphs
_RESULTS, _TRIPLES = "application/sparql-results+xml", "application/n-triples"
_CHUNK = 1 << 16


class EngineUnavailable(NormgraphError):
    """The external SPARQL engine did not answer, or answered with an error of its own."""


class NotLoaded(NormgraphError):
    """The release asked about is not (fully) loaded on the external engine."""


class NotFaithful(InvalidRequest):
    """The query cannot be answered faithfully on the external engine (a graph name
    used as a value); the message names the reason."""


def graph_prefix(release_id: str) -> str:
    """What the engine's graph names of one release start with."""
    return f"{RELEASE_GRAPHS}{release_id}:"


def release_graph(release_id: str, graph: str) -> str:
    """The engine's name for public graph ``graph`` of release ``release_id``."""
    return graph_prefix(release_id) + graph


def empty_graph(release_id: str) -> str:
    """A graph the release never fills: stands for an empty part of a dataset, so that
    neither list the engine gets is empty (an engine may read 'none' as 'all')."""
    return graph_prefix(release_id) + "urn:normgraph:none"


def uses_functions(text: str, base_iri: str) -> bool:
    """Does the query call one of normgraph's own functions (ngf:, only embedded)?"""
    names = _Names(tokens(text), base_iri, base_iri)
    return any(
        (names.iri(tok) or "").startswith(f"{base_iri}fn/")
        for tok in names.toks
        if tok.kind in ("iri", "word")
    )


@dataclass(frozen=True)
class Engine:
    """A SPARQL 1.1 query endpoint and the release whose graphs it is asked about."""

    url: str
    release_id: str
    graphs: tuple[str, ...]  # the release's public graph names
    session: requests.Session | None = None

    def run(
        self,
        text: str,
        base_iri: str,
        dataset: Dataset | None = None,
        relative_base: str | None = None,
        timeout: float = 30.0,
    ) -> QueryResult:
        """Evaluate a query on the engine within ``timeout`` seconds (QueryTimeout past it)."""
        _check_allowed(text)
        _check_syntax(text, base_iri, relative_base)
        check_loaded(self.url, self.release_id)
        sent, (default, named) = self.prepare(text, base_iri, dataset or Dataset(), relative_base)
        form = query_form(text)
        body = self._post(sent, default, named, form, timeout)
        body = body.replace(graph_prefix(self.release_id).encode(), b"")  # public names back
        if form in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult("graph", _Triples(parse(body, RdfFormat.N_TRIPLES)))
        value = parse_query_results(body, QueryResultsFormat.XML)
        if form == "ASK":
            return QueryResult("boolean", _boolean(value))
        return QueryResult("solutions", value, _columns(text, value.variables))

    def prepare(
        self, text: str, base_iri: str, dataset: Dataset, relative_base: str | None
    ) -> tuple[str, tuple[list[str], list[str]]]:
        """The text to send (normgraph's prefixes declared, FROM clauses out, GRAPH
        constants mapped) and the protocol dataset (default, named) in engine names."""
        toks = tokens(text)
        names = _Names(toks, base_iri, relative_base or base_iri)
        edits: list[tuple[int, int, str]] = []
        froms: tuple[list[str], list[str]] = ([], [])
        graph_vars: set[str] = set()
        constants: list[tuple[Token, str]] = []  # GRAPH <g>: the token, its engine name
        for i, tok in enumerate(toks):
            following = toks[i + 1] if i + 1 < len(toks) else None
            if tok.keyword == "FROM" and tok.depth == 0 and following is not None:
                named = following.keyword == "NAMED"
                target = toks[i + 2] if named else following
                froms[named].append(names.iri(target) or "")
                edits.append((tok.start, target.end, ""))
            elif tok.keyword == "GRAPH" and following is not None:
                if following.text[:1] in "?$":
                    graph_vars.add(following.text[1:])
                elif (iri := names.iri(following)) is not None:
                    constants.append((following, release_graph(self.release_id, iri)))
        _check_graph_variables(toks, graph_vars)
        default, named = self._dataset(dataset if dataset else Dataset(*froms))
        for tok, mapped in constants:
            # a graph outside the dataset is empty (Virtuoso would look past the list)
            mapped = mapped if mapped in named else empty_graph(self.release_id)
            edits.append((tok.start, tok.end, f"<{mapped}>"))
        # normgraph's prefixes after the query's own prologue, and a BASE before it when it
        # has none (Virtuoso takes no BASE after a PREFIX)
        body = _skip_prologue(toks, 0)
        edits.append(
            (toks[body].start if body < len(toks) else len(text),) * 2
            + (names.declared_prefix_lines(),)
        )
        if not any(t.keyword == "BASE" for t in toks[:body]):
            edits.append((0, 0, f"BASE <{relative_base or base_iri}>\n"))
        for start, end, replacement in sorted(edits, key=lambda e: e[:2], reverse=True):
            text = text[:start] + replacement + text[end:]
        return text, (default, named)

    def _dataset(self, dataset: Dataset) -> tuple[list[str], list[str]]:
        if not dataset:  # the query names none: the union of the release's graphs
            mapped = [release_graph(self.release_id, g) for g in self.graphs]
            return mapped, [*mapped, empty_graph(self.release_id)]
        empty = [empty_graph(self.release_id)]
        default = [release_graph(self.release_id, g) for g in dataset.default] or empty
        named = [release_graph(self.release_id, g) for g in dataset.named]
        return default, named + empty  # listed, so that GRAPH <g> can be sent there

    def _post(
        self, text: str, default: list[str], named: list[str], form: str | None, timeout: float
    ) -> bytes:
        deadline = time.monotonic() + timeout
        accept = _TRIPLES if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS
        data = {"query": text, "default-graph-uri": default, "named-graph-uri": named}
        try:
            response = (self.session or requests).post(
                self.url,
                data=data,
                headers={"Accept": accept},
                timeout=(min(5.0, timeout), timeout),
                stream=True,
            )
            with response:
                return self._read(response, deadline, timeout)
        except (requests.Timeout, TimeoutError):
            raise QueryTimeout(f"stopped after the time limit of {timeout:g} s") from None
        except requests.RequestException as error:
            raise EngineUnavailable(f"the SPARQL engine at {self.url} failed: {error}") from None

    def _read(self, response: requests.Response, deadline: float, timeout: float) -> bytes:
        """The whole body, or QueryTimeout as soon as the deadline passes."""
        out = BytesIO()
        for chunk in response.iter_content(_CHUNK):
            out.write(chunk)
            if time.monotonic() > deadline:
                raise QueryTimeout(f"stopped after the time limit of {timeout:g} s")
        body = out.getvalue()
        _check_engine_answer(response, body, self.url)
        return body


class _Triples(list):
    """Parsed triples that serialise themselves, like pyoxigraph's QueryTriples."""

    def serialize(self, output, format) -> None:
        serialize(self, output, format)


def _boolean(value: QuerySolutions | QueryBoolean) -> QueryBoolean:
    """An ASK answer; Virtuoso sends one as a one-row table (``__ASK_RETVAL``)."""
    if isinstance(value, QueryBoolean):
        return value
    rows = list(value)
    truth = bool(rows) and any(
        term is not None and term.value in ("1", "true") for row in rows for term in row
    )
    document = b'{"head":{},"boolean":%s}' % (b"true" if truth else b"false")
    return parse_query_results(document, QueryResultsFormat.JSON)


def _check_syntax(text: str, base_iri: str, relative_base: str | None) -> None:
    """The same syntax errors as the embedded store: parsed (never evaluated) by pyoxigraph."""
    try:
        Store().query(text, base_iri=relative_base or base_iri, prefixes=prefixes(base_iri))
    except SyntaxError as error:
        raise QuerySyntaxError(f"the query does not parse: {error}") from None


def _check_engine_answer(response: requests.Response, body: bytes, url: str) -> None:
    """Refuse what is not a whole answer: an engine error, or an answer the engine cut
    at its own limits (Virtuoso's anytime results and ResultSetMaxRows)."""
    if response.status_code >= 400:
        detail = body[:300].decode("utf-8", "replace").strip()
        if response.status_code in (400, 414):
            raise InvalidRequest(f"the SPARQL engine refused the query: {detail}")
        raise EngineUnavailable(
            f"the SPARQL engine at {url} answered {response.status_code}: {detail}"
        )
    if response.headers.get("X-SQL-State") == "S1TAT":
        raise QueryTimeout("the SPARQL engine stopped at its own time limit (partial answer)")
    if "X-SPARQL-MaxRows" in response.headers:
        raise EngineUnavailable(
            f"the SPARQL engine cut the answer at its ResultSetMaxRows "
            f"({response.headers['X-SPARQL-MaxRows']}); set it above NORMGRAPH_MAX_RESULTS"
        )


# ---------------------------------------------------------------- names in the text
class _Names:
    """Prefixed names and relative IRIs of one query, expanded as its parser would."""

    def __init__(self, toks: list[Token], base_iri: str, relative_base: str) -> None:
        self.toks, self.base = toks, relative_base
        self.known = prefixes(base_iri)
        self.own: dict[str, str] = {}
        i = 0
        while i < len(toks) and toks[i].keyword in ("BASE", "PREFIX"):
            if toks[i].keyword == "BASE" and i + 1 < len(toks):
                self.base = urljoin(self.base, toks[i + 1].text[1:-1])
                i += 2
            elif i + 2 < len(toks):
                self.own[toks[i + 1].text.rstrip(":")] = urljoin(self.base, toks[i + 2].text[1:-1])
                i += 3
            else:
                break

    def iri(self, tok: Token) -> str | None:
        """The IRI a token names, or None when it names none (a variable, a keyword)."""
        if tok.kind == "iri":
            return urljoin(self.base, tok.text[1:-1])
        if tok.kind == "word" and ":" in tok.text and tok.text[0] not in "?$_":
            prefix, _, local = tok.text.partition(":")
            namespace = self.own.get(prefix, self.known.get(prefix))
            return None if namespace is None else namespace + local
        return None

    def declared_prefix_lines(self) -> str:
        """normgraph's predeclared prefixes the query uses but does not declare itself."""
        used = {t.text.partition(":")[0] for t in self.toks if t.kind == "word" and ":" in t.text}
        return "".join(
            f"PREFIX {p}: <{ns}>\n"
            for p, ns in sorted(self.known.items())
            if p in used and p not in self.own
        )


# ---------------------------------------------------------------- graph variables
_CLAUSES_END = {"WHERE", "FROM", "LIMIT", "OFFSET", "HAVING", "VALUES", "ORDER", "GROUP"}


def _check_graph_variables(toks: list[Token], graph_vars: set[str]) -> None:
    """Refuse (NotFaithful) a graph variable used anywhere but ``GRAPH ?g``, a SELECT
    list, a CONSTRUCT template and a plain ORDER BY / GROUP BY key: there the engine's
    names would be compared, computed with or joined, where only the public ones are right."""
    if not graph_vars:
        return
    toks = toks[_skip_prologue(toks, 0) :]
    stack: list[str] = []  # open brackets
    region, region_depth = "", 0  # "select" | "template" | "key" and where it opened
    for i, tok in enumerate(toks):
        previous = toks[i - 1] if i else None
        if tok.kind == "punct" and tok.text in "{(":
            if tok.text == "{" and region == "select" and len(stack) == region_depth:
                region = ""
            stack.append(tok.text)
            continue
        if tok.kind == "punct" and tok.text in "})":
            if stack:
                stack.pop()
            if region == "template" and len(stack) == region_depth:
                region = ""
            continue
        keyword = tok.keyword
        if keyword == "SELECT":
            region, region_depth = "select", len(stack)
        elif keyword == "CONSTRUCT" and i + 1 < len(toks) and toks[i + 1].text == "{":
            region, region_depth = "template", len(stack)
        elif keyword == "BY":
            region, region_depth = "key", len(stack)
        elif keyword in _CLAUSES_END and region in ("select", "key"):
            region = ""
        if tok.kind != "word" or tok.text[:1] not in "?$" or tok.text[1:] not in graph_vars:
            continue
        if previous is not None and previous.keyword == "GRAPH":
            continue
        if region == "template" or (region in ("select", "key") and len(stack) == region_depth):
            continue
        ordered = i >= 2 and previous.text == "(" and toks[i - 2].keyword in ("ASC", "DESC")
        if region == "key" and ordered:
            continue  # order is kept: every name of a release has the same prefix
        raise NotFaithful(
            f"{tok.text} names a graph (GRAPH {tok.text}) and is used again outside a SELECT "
            "list, a CONSTRUCT template or ORDER BY / GROUP BY; on the external SPARQL engine "
            "graph names are the release's internal ones until the answer is written, so "
            f"this use of {tok.text} cannot be answered faithfully there. Use {tok.text} only "
            "in GRAPH and the SELECT list (compare it in your client), or run the query "
            "without NORMGRAPH_SPARQL_URL"
        )


def remote_answer(
    url: str, release_id: str, graphs: Iterable[str], job: QueryJob, limit: float
) -> Answer:
    """What the query processes answer for ``job`` (kg.sparql_pool), asked of the engine
    at ``url``: in the format the job accepts, cut at its row cap."""
    engine = Engine(url, release_id, tuple(graphs))
    result = engine.run(job.text, job.base_iri, job.dataset, job.relative_base, limit)
    name = job.formats.get(result.kind)
    if name is None:
        raise NotAcceptable(f"no acceptable format for a {result.kind} result")
    out = BytesIO()
    truncated = result.write(by_name(name), out, job.max_results)
    return Answer(result.kind, name, out.getvalue(), truncated)


# ---------------------------------------------------------------- the catalog
_SEEN: set[tuple[str, str]] = set()  # (engine, release) found loaded: releases never change


def loaded_releases(url: str) -> dict[str, set[str]]:
    """Release id -> its engine graphs, for every release the engine holds in full."""
    query = f"SELECT ?r ?g WHERE {{ GRAPH <{CATALOG}> {{ ?r <{LOADED}> ?g }} }}"
    try:
        response = requests.post(
            url,
            data={"query": query, "named-graph-uri": CATALOG, "default-graph-uri": CATALOG},
            headers={"Accept": _RESULTS},
            timeout=60,
        )
    except requests.RequestException as error:
        raise EngineUnavailable(f"the SPARQL engine at {url} failed: {error}") from None
    if response.status_code != 200:
        raise EngineUnavailable(
            f"the SPARQL engine at {url} answered {response.status_code} to the catalog "
            f"query: {response.text[:300].strip()}"
        )
    out: dict[str, set[str]] = {}
    for row in parse_query_results(response.content, QueryResultsFormat.XML):
        release_id = row["r"].value.removeprefix(RELEASE_GRAPHS)
        out.setdefault(release_id, set()).add(row["g"].value)
    return out


def check_loaded(url: str, release_id: str) -> None:
    """NotLoaded unless the engine holds ``release_id`` in full (asked once per process)."""
    if (url, release_id) in _SEEN:
        return
    if release_id not in loaded_releases(url):
        raise NotLoaded(
            f"release {release_id} is not loaded on the SPARQL engine at {url}; "
            "run `normgraph publish` (it loads the current release)"
        )
    _SEEN.add((url, release_id))
