"""The releases this server keeps: /releases lists them, /releases/{id}/sparql queries
one of them as it was (citable, reproducible queries), and /releases/{id}.pack hands
one over as a pack (kg.pack), so that a replica can `normgraph release pull` it."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, request, url_for

from kg.errors import ReleaseNotFound
from kg.pack import MEDIA_TYPE, index_release, pack_chunks, pack_size
from kg.release import Release
from search_api.blueprints.sparql import protocol
from search_api.errors import ApiError
from search_api.params import check_known
from search_api.runtime import Live, runtime

bp = Blueprint("releases", __name__)


@bp.get("/releases")
def listing() -> Response:
    check_known(request.args, set())
    current = runtime().live().release.id
    response = jsonify(
        {
            "current": current,
            "releases": [_entry(release, current) for release in reversed(_kept())],
        }
    )
    response.cache_control.no_cache = True  # changes with every build, pull and prune
    return response


def _entry(release: Release, current: str) -> dict:
    m = release.manifest
    return {
        "id": release.id,
        "created_at": m.created_at,
        "current": release.id == current,
        "triples": m.counts.get("triples", 0),
        "sparql": url_for("releases.sparql", release_id=release.id, _external=True),
        "pack": url_for("releases.pack", release_id=release.id, _external=True),
    }


@bp.route("/releases/<release_id>/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql(release_id: str) -> Response:
    live = _release(release_id) if request.method != "OPTIONS" else None
    endpoint = url_for("releases.sparql", release_id=release_id, _external=True)
    return protocol(lambda: live, endpoint, kept=True)


@bp.get("/releases/<release_id>.pack")
def pack(release_id: str) -> Response:
    check_known(request.args, set())
    if release_id == "current":  # a stable URL for "whatever is current" that replicas pull
        current = runtime().live().release.id
        return redirect(url_for("releases.pack", release_id=current), code=302)
    try:
        release = runtime().releases.get(release_id)
    except ReleaseNotFound:
        raise _unknown(release_id) from None
    index = index_release(release.path)
    response = Response(
        pack_chunks(release, index),
        mimetype=MEDIA_TYPE,
        headers={
            "Content-Length": str(pack_size(index)),
            "Content-Disposition": f'attachment; filename="normgraph-{release.id}.pack"',
            "X-Normgraph-Release": release.id,
        },
    )
    response.set_etag(f"pack-{release.id}")  # a release, and so its pack, never changes
    response.cache_control.public = True
    return response.make_conditional(request)


def _kept() -> list[Release]:
    return runtime().releases.kept()


def _release(release_id: str) -> Live:
    runtime().live()  # 503 when there is no release at all
    try:
        return runtime().kept(release_id)
    except ReleaseNotFound:
        raise _unknown(release_id) from None


def _unknown(release_id: str) -> ApiError:
    kept = ", ".join(r.id for r in _kept())
    return ApiError(404, f"this server keeps no release {release_id!r}; it keeps: {kept}")
