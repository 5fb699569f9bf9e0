"""SPARQL 1.1 Protocol at /sparql: query by GET, POST form and POST
application/sparql-query; update by POST (with the bearer token); a service
description when there is neither. Three request shapes, one path."""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Request, Response, request, url_for
from pyoxigraph import serialize

from kg.errors import FormatError
from kg.formats import DATASET, GRAPH, RESULTS, Format, of_kinds
from kg.publish import publishing_spec
from kg.sparql import Answer, Dataset, QueryTimeout
from kg.sparql_pool import QueryJob, UpdateJob
from kg.sparql_remote import remote_answer
from kg.sparql_text import query_form
from search_api.blueprints.pages import sparql_editor
from search_api.descriptions import service_description
from search_api.errors import ApiError
from search_api.negotiation import pick, prefers_html
from search_api.params import check_known, single
from search_api.runtime import Live, runtime
from search_api.search import index, sparql_functions
from search_api.search.encoder import encoder_args

bp = Blueprint("sparql", __name__)
# functions whose value changes from one evaluation to the next: such answers are not kept
VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)

# requests at these paths may take a place in the SPARQL lane (the server's worker
# keeps them from taking every thread: search_api.server)
LANE_PATHS = re.compile(r"(?:/releases/[^/?#]+)?/sparql/?")
ARRIVED = "normgraph.arrived"  # environ: time.monotonic() when the whole request had arrived
MIN_TIMEOUT = 1.0  # seconds: a query process may need this long to start after a kill
FORMAT_PARAMS = ("format", "output", "results")  # names SPARQLWrapper and others use
QUERY_PARAMS = {"query", "default-graph-uri", "named-graph-uri", "timeout", *FORMAT_PARAMS}
UPDATE_PARAMS = {"update", "using-graph-uri", "using-named-graph-uri", "timeout"}
FORM, QUERY_BODY, UPDATE_BODY = (
    "application/x-www-form-urlencoded",
    "application/sparql-query",
    "application/sparql-update",
)
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
    "Access-Control-Expose-Headers": "X-Normgraph-Truncated, X-Normgraph-Result-Limit, "
    "X-Normgraph-Release",
}


@dataclass(frozen=True)
class Operation:
    kind: str  # "query" | "update"
    text: str
    graphs: tuple[tuple[str, ...], tuple[str, ...]]  # (default or using, named or using named)
    timeout: float | None


def _body_text(req: Request) -> str:
    charset = (req.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ApiError(415, f"charset {charset} is not supported; send UTF-8")
    try:
        return req.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the request body is not valid UTF-8") from None


def _timeout(values) -> float | None:
    raw = single(values, "timeout")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(
            400, f"parameter 'timeout' must be a number of seconds, got {raw!r}"
        ) from None
    if not value >= MIN_TIMEOUT:  # also refuses NaN; below a second nothing useful can run
        raise ApiError(400, f"parameter 'timeout' must be at least {MIN_TIMEOUT:g} s, got {raw!r}")
    return value


def parse(req: Request) -> Operation | None:
    """The operation a request asks for, or None for a plain GET of the endpoint."""
    values = req.args
    if req.method == "GET":
        if "update" in values:
            raise ApiError(400, "an update must be sent with POST, not GET")
        text, kind = single(values, "query"), "query"
    elif req.mimetype == FORM:
        values = req.values  # dataset parameters may sit in the URL or the body
        if "query" in values and "update" in values:
            raise ApiError(400, "give either 'query' or 'update', not both")
        kind = "update" if "update" in values else "query"
        text = single(values, kind)
        if text is None:
            raise ApiError(400, "a form POST needs a 'query' or an 'update' parameter")
    elif req.mimetype in (QUERY_BODY, UPDATE_BODY):
        kind = "query" if req.mimetype == QUERY_BODY else "update"
        for name in ("query", "update"):
            if name in values:
                raise ApiError(400, f"with a {req.mimetype} body, {name!r} must not be a parameter")
        text = _body_text(req)
    else:
        got = req.mimetype or "no Content-Type"
        raise ApiError(415, f"{got} is not accepted; POST {FORM}, {QUERY_BODY} or {UPDATE_BODY}")
    check_known(values, QUERY_PARAMS if kind == "query" else UPDATE_PARAMS)
    if text is None:
        return None
    if kind == "query":
        graphs = (
            tuple(values.getlist("default-graph-uri")),
            tuple(values.getlist("named-graph-uri")),
        )
    else:
        graphs = (
            tuple(values.getlist("using-graph-uri")),
            tuple(values.getlist("using-named-graph-uri")),
        )
    return Operation(kind, text, graphs, _timeout(values))


@bp.route("/sparql/", methods=["GET", "POST", "OPTIONS"], endpoint="endpoint_slash")
@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    return protocol(runtime().live, url_for("sparql.endpoint", _external=True))


def protocol(live: Callable[[], Live], endpoint_url: str, kept: bool = False) -> Response:
    """One SPARQL 1.1 Protocol request against the release ``live`` gives: the current
    one at /sparql, a kept one by id at /releases/{id}/sparql (``kept``: read-only)."""
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    operation = parse(request)
    if operation is None:
        response = _describe(live(), endpoint_url, kept)
    elif operation.kind == "update":
        if kept:
            raise ApiError(403, "a kept release never changes; send updates to /sparql")
        response = _update(operation)
    else:
        response = _query(operation, live())
    response.headers.update(CORS)
    response.vary.add("Accept")
    return response


def _formats() -> tuple[Format | Exception, Format | Exception]:
    """Negotiated formats for a results answer and for a graph answer (or why none)."""
    chosen = []
    for kinds in ((RESULTS,), (GRAPH, DATASET)):
        try:
            chosen.append(pick(request, of_kinds(*kinds), FORMAT_PARAMS))
        except FormatError as error:
            chosen.append(error)
    return chosen[0], chosen[1]


def _query(op: Operation, live: Live) -> Response:
    results, graph = _formats()
    form = query_form(op.text)
    needed = results if form in ("SELECT", "ASK") else graph if form else None
    if isinstance(needed, Exception):
        raise needed  # 406 (Accept) or 400 (format parameter), before any work
    ok = lambda f: None if isinstance(f, Exception) else f.name  # noqa: E731
    job = QueryJob(
        release_path=str(live.release.path),
        text=op.text,
        base_iri=live.base,
        formats={"solutions": ok(results), "boolean": ok(results), "graph": ok(graph)},
        max_results=runtime().settings.max_results,
        dataset=Dataset(*op.graphs),
        relative_base=request.base_url,
        functions=(sparql_functions.functions, *encoder_args(runtime().settings)),
    )
    limit = _limit(op, runtime().settings.query_timeout)
    engine = live.engine_for(op.text)  # an external one answers all but ngf: functions

    def run() -> Answer:
        # the wait for a place (and for a thread before it) counts toward the limit and
        # leaves the query MIN_TIMEOUT to run
        client, queued = _client(request), _queued(request)
        with runtime().lane.place(client, limit - MIN_TIMEOUT, queued) as waited:
            try:
                if engine:
                    return remote_answer(
                        engine, live.release.id, live.graph_sizes, job, limit - waited
                    )
                return runtime().pool().submit(job, limit - waited)
            except QueryTimeout:  # name the limit the client has, not what the wait left of it
                raise QueryTimeout(
                    f"stopped after the time limit of {limit:g} s "
                    f"({waited:.1f} s of it waiting for a place)"
                ) from None

    # an answer of this release answers every equal query: no lane, no process
    key = ("sparql", job.text, job.dataset, job.relative_base, *job.formats.values())
    volatile = VOLATILE.search(op.text)
    answer = None if volatile else live.answers.peek(key)
    if answer is None:
        answer = run() if volatile else live.answers.get(key, run, lambda a: len(a.body))
    fmt = next(f for f in of_kinds() if f.name == answer.format)
    response = Response(answer.body, content_type=fmt.media_type)
    response.headers["X-Normgraph-Release"] = live.release.id
    if answer.truncated:
        response.headers["X-Normgraph-Truncated"] = "true"
        response.headers["X-Normgraph-Result-Limit"] = str(runtime().settings.max_results)
    return response


def _update(op: Operation) -> Response:
    token = runtime().settings.update_token
    if not token:
        raise ApiError(
            403, "updates are disabled on this endpoint (NORMGRAPH_UPDATE_TOKEN is not set)"
        )
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        raise ApiError(403, "updates need the bearer token (Authorization: Bearer ...)")
    job = UpdateJob(
        release_root=str(runtime().releases.root),
        text=op.text,
        using=op.graphs,
        relative_base=request.base_url,
        finalizer=_finalizer(runtime().settings),
    )
    answer = runtime().update_pool().submit(job, _limit(op, runtime().settings.update_timeout))
    return Response(
        f"update applied; release {answer.extra['release']} is current\n",
        mimetype="text/plain",
        headers={"X-Normgraph-Release": answer.extra["release"]},
    )


def _finalizer(settings) -> tuple:
    """The update process's finalizer: the search indexes, then (with an external engine)
    loading the new release into it before `current` moves."""
    if not settings.sparql_url:
        return (index.finalizer, *encoder_args(settings))
    engine = (settings.sparql_url, settings.sparql_load, str(settings.release_dir))
    return (publishing_spec, index.finalizer, *engine, *encoder_args(settings))


def _client(req: Request) -> str:
    """Who a query counts against: its bearer token when it sends one, else its address."""
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + token.strip()
    return "addr:" + (req.remote_addr or "")


def _queued(req: Request) -> float:
    """Seconds the request waited in the server before a thread took it up (the
    server's worker stamps when it arrived: search_api.server)."""
    arrived = req.environ.get(ARRIVED)
    return 0.0 if arrived is None else max(0.0, time.monotonic() - arrived)


def _limit(op: Operation, ceiling: float) -> float:
    """A request may lower the time limit, never raise it."""
    return min(op.timeout, ceiling) if op.timeout else ceiling


def _describe(live: Live, endpoint: str, kept: bool) -> Response:
    if prefers_html(request):
        return sparql_editor(endpoint)
    fmt = pick(request, of_kinds(GRAPH), FORMAT_PARAMS)
    updates = bool(runtime().settings.update_token) and not kept
    triples = service_description(endpoint, live.graph_sizes, updates)
    body = serialize(
        triples,
        format=fmt.ox,
        prefixes={
            "sd": "http://www.w3.org/ns/sparql-service-description#",
            "void": "http://rdfs.org/ns/void#",
        },
    )
    return Response(
        body, content_type=fmt.media_type, headers={"X-Normgraph-Release": live.release.id}
    )
