"""The SPARQL 1.1 Graph Store HTTP Protocol, read side: ``GET /store?graph=IRI`` returns
one named graph (one instrument's file, the thesaurus, the entailments, an ingested
document), ``GET /store?default`` the default graph, in any RDF format by ``Accept`` or
``format=``. The default graph is the union of the named graphs, as for SPARQL queries
(the service description's sd:UnionDefaultGraph). Writes go through SPARQL Update, so
every other method is answered 405."""

from __future__ import annotations

from flask import Blueprint, Response, request
from pyoxigraph import NamedNode, serialize

from kg.formats import GRAPH, of_kinds
from kg.vocab import prefixes
from search_api.errors import ApiError
from search_api.negotiation import pick
from search_api.params import check_known, single
from search_api.runtime import runtime

bp = Blueprint("store", __name__)

READ = ("GET", "HEAD")
WRITES = ("POST", "PUT", "DELETE", "PATCH")


@bp.route("/store", methods=list(WRITES))
def refuse_writes() -> Response:
    raise ApiError(
        405,
        f"{request.method} is not allowed: the graph store is read-only here (GET or HEAD); "
        "changes go through SPARQL Update at /sparql",
        {"Allow": ", ".join(READ)},
    )


@bp.get("/store")
def graph() -> Response:
    check_known(request.args, {"graph", "default", "format"})
    name = single(request.args, "graph")
    default = "default" in request.args
    if (name is None) == (not default):
        raise ApiError(
            400, "give either 'graph=IRI' (a named graph) or 'default' (the default graph)"
        )
    if default and request.args["default"]:
        raise ApiError(400, "parameter 'default' takes no value (/store?default)")
    live = runtime().live()
    fmt = pick(request, of_kinds(GRAPH))
    if default:
        triples = list(dict.fromkeys(q.triple for q in live.store))
    else:
        if name not in live.graph_sizes:
            raise ApiError(
                404, f"no named graph <{name}> in this release; /.well-known/void lists them"
            )
        graph_iri = NamedNode(name)
        triples = [q.triple for q in live.store.quads_for_pattern(None, None, None, graph_iri)]
    body = serialize(triples, format=fmt.ox, prefixes=prefixes(live.base))
    return Response(
        body,
        content_type=fmt.media_type,
        headers={
            "Vary": "Accept",
            "ETag": f'"{live.release.id}"',
            "Access-Control-Allow-Origin": "*",
        },
    )
