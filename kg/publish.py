"""Loading releases into an external SPARQL engine (NORMGRAPH_SPARQL_LOAD).

A release is loaded into graphs named for it (kg.sparql_remote.release_graph)
*before* `current` moves to it: the publishing finalizer runs on the staged
release, so queries switch from one complete release to the next and never
see one half loaded. The engine keeps a catalog graph (``urn:normgraph:releases``)
saying which releases are loaded in full; a release's graphs are dropped from the
engine once the release is gone from the release root (at the next publish).

Two ways in: the Graph Store Protocol (``gsp:URL``, one PUT per graph), and
Virtuoso's bulk loader (``virtuoso://USER:PASSWORD@HOST:PORT/DIR``: normgraph
writes gzipped N-Quads in DIR and runs ``ld_dir`` + ``rdf_loader_run`` through isql).
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests
from pyoxigraph import (
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
    serialize,
)

from kg.config import Settings
from kg.errors import ConfigError, NormgraphError
from kg.progress import Progress
from kg.release import STORE, Finalizer, Manifest
from kg.sparql_remote import (
    CATALOG,
    LOADED,
    RELEASE_GRAPHS,
    empty_graph,
    loaded_releases,
    release_graph,
)

_LOADED = NamedNode(LOADED)
_NO_GRAPH = "urn:normgraph:none"  # ld_dir needs a graph for triples; every quad has its own


class PublishError(NormgraphError):
    """A release could not be loaded into (or dropped from) the external engine."""


# ---------------------------------------------------------------- loaders
class GraphStore:
    """The SPARQL 1.1 Graph Store HTTP Protocol: PUT replaces a graph, DELETE drops it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def replace(self, graph: str, triples: Iterable[Triple]) -> None:
        body = serialize(list(triples), format=RdfFormat.N_TRIPLES) or b""
        self._send("PUT", graph, body)

    def load_release(self, store: Store, graphs: dict[str, str]) -> None:
        for public, engine in graphs.items():
            quads = store.quads_for_pattern(None, None, None, NamedNode(public))
            self.replace(engine, (q.triple for q in quads))

    def drop(self, graph: str) -> None:
        self._send("DELETE", graph, None, missing_ok=True)

    def _send(self, method: str, graph: str, body: bytes | None, missing_ok=False) -> None:
        try:
            response = requests.request(
                method,
                self.url,
                params={"graph": graph},
                data=body,
                headers={"Content-Type": "application/n-triples"} if body is not None else {},
                timeout=600,
            )
        except requests.RequestException as error:
            raise PublishError(f"the graph store at {self.url} failed: {error}") from None
        if response.status_code >= 400 and not (missing_ok and response.status_code == 404):
            raise PublishError(
                f"the graph store at {self.url} answered {response.status_code} to {method} "
                f"of <{graph}>: {response.text[:300].strip()}"
            )


class VirtuosoBulk:
    """Virtuoso's bulk loader, driven through isql; the files go through ``directory``."""

    def __init__(self, spec: str) -> None:
        parts = urlsplit(spec)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 1111
        self.user, self.password = unquote(parts.username or ""), unquote(parts.password or "")
        self.directory = Path(unquote(parts.path))
        self.isql = shutil.which("isql-vt") or shutil.which("isql")
        if self.isql is None:
            raise ConfigError("NORMGRAPH_SPARQL_LOAD is virtuoso://... but isql is not installed")

    def replace(self, graph: str, triples: Iterable[Triple]) -> None:
        self.drop(graph)
        quads = [Quad(t.subject, t.predicate, t.object, NamedNode(graph)) for t in triples]
        self._load(quads)

    def load_release(self, store: Store, graphs: dict[str, str]) -> None:
        quads = (
            Quad(q.subject, q.predicate, q.object, NamedNode(graphs[q.graph_name.value]))
            for q in store.quads_for_pattern(None, None, None, None)
            if isinstance(q.graph_name, NamedNode)
        )
        self._load(quads)

    def drop(self, graph: str) -> None:
        self._sql(f"SPARQL CLEAR GRAPH <{graph}>;")

    def _load(self, quads: Iterable[Quad]) -> None:
        """Write the quads where Virtuoso reads them, bulk-load, and remove the file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"normgraph-{os.getpid()}.nq.gz"
        path = self.directory / name
        try:
            with gzip.open(path, "wb") as out:
                serialize(quads, out, RdfFormat.N_QUADS)
            path.chmod(0o644)
            self._sql(
                f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE '%/{name}';"
                f"ld_dir('{self.directory}', '{name}', '{_NO_GRAPH}');"
                "rdf_loader_run();"
                f"SELECT ll_error FROM DB.DBA.load_list WHERE ll_file LIKE '%/{name}' "
                "AND ll_error IS NOT NULL;",
                check_rows=True,
            )
        finally:
            path.unlink(missing_ok=True)

    def _sql(self, statements: str, check_rows: bool = False) -> None:
        command = [self.isql, f"{self.host}:{self.port}", self.user, self.password]
        result = subprocess.run(
            [*command, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", f"EXEC={statements}"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        out = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or "*** Error" in out or (check_rows and out):
            raise PublishError(f"Virtuoso's loader at {self.host}:{self.port} failed: {out[:500]}")


Loader = GraphStore | VirtuosoBulk


def loader(settings: Settings) -> Loader:
    spec = settings.sparql_load
    if spec.startswith("gsp:"):
        return GraphStore(spec[len("gsp:") :])
    if spec.startswith("virtuoso://"):
        return VirtuosoBulk(spec)
    raise ConfigError("NORMGRAPH_SPARQL_LOAD is not set: no way to load a release into the engine")


# ---------------------------------------------------------------- the catalog
def _write_catalog(load: Loader, catalog: dict[str, set[str]]) -> None:
    triples = [
        Triple(NamedNode(RELEASE_GRAPHS + release_id), _LOADED, NamedNode(graph))
        for release_id, graphs in sorted(catalog.items())
        for graph in sorted(graphs)
    ]
    load.replace(CATALOG, triples)


# ---------------------------------------------------------------- publishing
def publish(
    settings: Settings,
    release_path: Path,
    manifest: Manifest,
    keep: Iterable[str] = (),
    progress: Progress | None = None,
) -> bool:
    """Load the release at ``release_path`` into the engine unless it is there already,
    and drop the releases older than it and every release in ``keep`` (the release
    root's). True if it loaded."""
    load = loader(settings)
    catalog = loaded_releases(settings.sparql_url)
    release_id = manifest.release_id
    loaded = release_id not in catalog
    if loaded:
        store = Store.read_only(str(release_path / STORE))
        graphs = {g.value: release_graph(release_id, g.value) for g in store.named_graphs()}
        if progress:
            progress.say(f"loading {len(graphs)} graphs of {release_id} into the SPARQL engine")
        load.load_release(store, graphs)
        del store
        catalog[release_id] = set(graphs.values()) | {empty_graph(release_id)}
    kept = sorted({release_id, *keep})
    # ids sort by time: what is older than the oldest release kept here is gone for good
    for old in [r for r in sorted(catalog) if r < kept[0]]:
        for graph in catalog.pop(old):
            load.drop(graph)
    _write_catalog(load, catalog)  # the last step: the release counts as loaded from here
    return loaded


def publishing(settings: Settings, then: Finalizer | None = None) -> Finalizer | None:
    """A finalizer that runs ``then`` (the search indexes) and loads the staged release
    into the external engine, so that `current` moves only once the engine has it;
    ``then`` itself when no engine is configured."""
    if not settings.sparql_url:
        return then
    from kg.release import Releases

    def finalize(path: Path, manifest: Manifest, previous: Path | None, progress: Progress):
        if then is not None:
            then(path, manifest, previous, progress)
        releases = Releases(settings.release_dir)
        if path != releases.releases_dir / manifest.release_id:  # staged: the id commit gives
            manifest.release_id = releases.free_id(manifest.release_id)
        publish(settings, path, manifest, [p.name for p in releases.all()], progress)

    return finalize


def publishing_spec(factory: Callable[..., Finalizer], *args: str) -> Finalizer:
    """For the update process (kg.sparql_pool's factories): the finalizer ``factory``
    makes from ``args[3:]``, then publishing to the engine that ``args[:3]``
    (sparql_url, sparql_load, release_dir) name."""
    url, load, release_dir, *rest = args
    then = factory(*rest)
    settings = Settings.load(environ={}, release_dir=release_dir, sparql_url=url, sparql_load=load)
    return publishing(settings, then)
