"""/healthz: the process answers. /readyz: it has a release open and can serve it."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from kg.errors import ReleaseNotFound
from search_api.runtime import runtime

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    try:
        live = runtime().live()
    except ReleaseNotFound as error:
        response = jsonify(status="not ready", reason=str(error))
        response.status_code = 503
        return response
    return jsonify(status="ready", release=live.release.id, triples=len(live.store))
