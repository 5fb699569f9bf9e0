"""One home for errors: domain exceptions and HTTP errors become one envelope,
rendered as JSON, HTML or plain text by what the client asked for. Nothing a
client sends produces a traceback in a response."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kg import errors
from kg.sparql import QueryLost, QueryRefused, QueryTimeout
from kg.sparql_lane import LaneClosed, LaneFull
from kg.sparql_remote import EngineUnavailable, NotLoaded
from search_api.negotiation import prefers_html
from search_api.search.engine import SearchUnavailable

log = logging.getLogger("normgraph")

# domain error -> HTTP status (the most specific class wins: order matters)
STATUS: tuple[tuple[type[Exception], int], ...] = (
    (LaneFull, 429),
    (errors.NotAcceptable, 406),
    (errors.QuerySyntaxError, 400),
    (errors.InvalidRequest, 400),
    (errors.FormatError, 400),
    (QueryRefused, 403),
    (QueryTimeout, 503),
    (QueryLost, 503),
    (LaneClosed, 503),
    (EngineUnavailable, 502),
    (NotLoaded, 503),
    (errors.BuildInProgress, 503),
    (SearchUnavailable, 503),
    (errors.ReleaseNotFound, 503),
    (errors.NormgraphError, 400),
)


class ApiError(Exception):
    """An HTTP error raised by a handler with its status and message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def render(
    status: int, title: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    json_paths = ("/api/", "/reconcile")
    if request.path.startswith(json_paths) or request.accept_mimetypes.best == "application/json":
        response = jsonify(error={"status": status, "title": title, "message": message})
    elif prefers_html(request):
        response = Response(
            render_template("error.html", status=status, title=title, message=message),
            mimetype="text/html",
        )
    else:
        response = Response(f"{status} {title}: {message}\n", mimetype="text/plain")
    response.status_code = status
    response.headers.update(headers or {})
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _title(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api(error: ApiError) -> Response:
        return render(error.status, _title(error.status), error.message, error.headers)

    @app.errorhandler(errors.NormgraphError)
    def _domain(error: errors.NormgraphError) -> Response:
        status = next(code for cls, code in STATUS if isinstance(error, cls))
        headers = {"Retry-After": "5"} if status == 503 else {}
        if isinstance(error, LaneFull):
            headers = {"Retry-After": str(error.retry_after)}
        return render(status, _title(status), str(error), headers)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        headers = dict(error.get_headers())
        headers.pop("Content-Type", None)
        return render(error.code or 500, error.name, error.description or "", headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render(
            500, "Internal Server Error", "an unexpected error occurred; it has been logged"
        )
