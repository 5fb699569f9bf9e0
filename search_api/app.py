"""The app factory: configuration in one place, one blueprint per surface,
one error table. Creating the app opens nothing; the release is opened on the
first request of each worker (search_api.runtime)."""

from __future__ import annotations

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from kg.config import Settings
from kg.sparql_lane import Lane
from search_api import errors
from search_api.blueprints import (
    api,
    describe,
    health,
    linked_data,
    pages,
    reconcile,
    releases,
    sparql,
    store,
)
from search_api.errors import ApiError
from search_api.openapi import bp as openapi_bp
from search_api.runtime import Runtime


def create_app(
    settings: Settings | None = None, lane: Lane | None = None, proxied: bool = False
) -> Flask:
    """``lane``: the SPARQL lane shared by a server's workers (search_api.server);
    without one the app admits queries through a lane of its own. ``proxied``: the app
    sits behind normgraph's front (search_api.front), the only one that can reach it,
    so the client's address is the one the front forwards."""
    settings = settings or Settings.load()
    app = Flask(__name__)
    if proxied:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    app.extensions["normgraph"] = Runtime(settings, lane)
    blueprints = (health.bp, pages.bp, sparql.bp, linked_data.bp, describe.bp, api.bp, openapi_bp)
    blueprints += (reconcile.bp, store.bp, releases.bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    errors.init_app(app)

    @app.before_request
    def _limits() -> None:
        environ = request.environ
        target = len(environ.get("PATH_INFO", "").encode()) + len(environ.get("QUERY_STRING", ""))
        if target > settings.max_url:
            raise ApiError(414, f"the request target is longer than {settings.max_url} bytes")
        if (request.content_length or 0) > settings.max_body:
            raise ApiError(413, f"the request body is larger than {settings.max_body} bytes")

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if "normgraph_release" in g:  # which release answered, on every answer that read one
            response.headers.setdefault("X-Normgraph-Release", g.normgraph_release)
        return response

    return app
