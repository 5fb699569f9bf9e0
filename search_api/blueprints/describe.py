"""The ontology, the dataset and its dumps: /ontology (HTML documentation or
Turtle), /.well-known/void (VoID + DCAT), /context.jsonld and /dumps/...
(streamed from files written with the release, never built in memory)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, send_file, url_for
from pyoxigraph import serialize

from kg.export import DUMPS
from kg.formats import GRAPH, by_name, of_kinds
from kg.vocab import prefixes
from search_api.cache import release_answer
from search_api.descriptions import jsonld_context, named_graphs, ontology_terms, void
from search_api.negotiation import pick, prefers_html
from search_api.params import check_known
from search_api.runtime import runtime

bp = Blueprint("describe", __name__)

# public dump name -> (file in the release's dumps/, media type)
PUBLIC_DUMPS = {
    f"normgraph-latest.{name}.gz": (filename, by_name(name).media_types[0])
    for name, filename in DUMPS.items()
}


@bp.get("/ontology")
def ontology() -> Response:
    check_known(request.args, {"format", "lang"})
    live = runtime().live()
    if prefers_html(request) and "format" not in request.args:

        def page() -> str:
            terms = ontology_terms(live.query, live.base, request.args.get("lang", "en"))
            version = live.release.manifest.ontology
            return render_template("ontology.html", terms=terms, iris=live.iris, version=version)

        response = release_answer(live, page, "text/html", "html")
    else:
        fmt = pick(request, of_kinds(GRAPH))
        graph = live.iris.graph("ontology", "normgraph")

        def rdf() -> bytes:
            triples = [q.triple for q in live.store.quads_for_pattern(None, None, None, graph)]
            return serialize(triples, format=fmt.ox, prefixes=prefixes(live.base))

        response = release_answer(live, rdf, fmt.media_type, fmt.name)
    response.vary.add("Accept")
    return response


@bp.get("/.well-known/void")
def dataset() -> Response:
    check_known(request.args, {"format"})
    live = runtime().live()
    fmt = pick(request, of_kinds(GRAPH))

    def rdf() -> bytes:
        dataset = url_for("describe.dataset", _external=True) + "#normgraph"
        dumps = {
            media: url_for("describe.dump", name=public, _external=True)
            for public, (_, media) in PUBLIC_DUMPS.items()
        }
        examples = [
            live.iris.instrument("unmd-1992").value,
            live.iris.theme("law-enforcement").value,
            live.iris.ontology().value,
        ]
        endpoint = url_for("sparql.endpoint", _external=True)
        triples = void(dataset, live.release.manifest, endpoint, dumps, examples)
        store = url_for("store.graph", _external=True)
        triples += named_graphs(dataset, live.graph_sizes, store)
        return serialize(triples, format=fmt.ox, prefixes=prefixes(live.base))

    response = release_answer(live, rdf, fmt.media_type, fmt.name)
    response.vary.add("Accept")
    return response


@bp.get("/context.jsonld")
def context() -> Response:
    check_known(request.args, set())
    response = jsonify(jsonld_context(runtime().live().base))
    response.mimetype = "application/ld+json"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    check_known(request.args, set())
    if name not in PUBLIC_DUMPS:
        abort(404, description=f"no dump {name!r}; available: {', '.join(PUBLIC_DUMPS)}")
    live = runtime().live()
    filename, media = PUBLIC_DUMPS[name]
    path = live.release.path / "dumps" / filename
    if not path.is_file():
        abort(404, description=f"release {live.release.id} has no {filename}")
    return send_file(
        path,
        mimetype=media,
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=True,
        max_age=300,
    )
