"""Shared fixtures: the real CLI, real builds into temporary release roots."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests

from kg.build import Inputs, build
from kg.config import Settings
from kg.embedded import corpus_dir, ontology_dir
from kg.progress import silent

FIXTURES = Path(__file__).parent / "fixtures"
NORMGRAPH = shutil.which("normgraph", path=str(Path(sys.executable).parent)) or "normgraph"


def run_cli(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed `normgraph` console script, as a user would."""
    return subprocess.run(
        [NORMGRAPH, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        **kwargs,
    )


@pytest.fixture
def cli():
    """The installed CLI as a function: ``cli("info", "--release-dir", d)``."""
    return run_cli


@pytest.fixture
def build_release():
    """Build a release in-process: ``build_release(root, inputs=None, base_iri=...)``."""
    return build_into


@pytest.fixture
def fixture_corpus(tmp_path: Path) -> Path:
    """A private, editable copy of the small test corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", target)
    return target


def embedded_inputs() -> Inputs:
    return Inputs(ontology_dir=ontology_dir(), corpus_dir=corpus_dir())


def build_into(root: Path, inputs: Inputs | None = None, **settings: object):
    """A graph-only release (no search indexes) in ``root``; ``settings`` as Settings.load's."""
    settings = Settings.load(environ={}, release_dir=root, **settings)
    return build(settings, inputs or embedded_inputs(), silent())


@pytest.fixture(scope="session")
def release_root(tmp_path_factory: pytest.TempPathFactory, encoder) -> Path:
    """One release built from the embedded ontology and corpus, with its search indexes
    (as `normgraph build` makes it), shared read-only."""
    root = tmp_path_factory.mktemp("releases")
    build_searchable(root, encoder)
    return root


def copy_release(source: Path, target: Path) -> Path:
    """A private copy of a shared release root, for a test that writes."""
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture
def fresh_root(release_root: Path, tmp_path: Path) -> Path:
    """A private copy of the shared release root, for tests that write (updates)."""
    return copy_release(release_root, tmp_path / "releases")


@pytest.fixture
def make_app():
    """``make_app(root, **settings)`` -> a Flask app on that release root; its query
    processes are stopped when the test ends."""
    from search_api.app import create_app

    apps = []

    def factory(root: Path, **settings):
        app = create_app(Settings.load(environ={}, release_dir=root, **settings))
        app.testing = True
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["normgraph"].close()


@pytest.fixture
def client(make_app, release_root):
    """A test client on the shared release (no update token: read-only)."""
    return make_app(release_root).test_client()


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The encoder's export cache, shared by every release root the session builds in-process
    (so that an app on a copy of one does not export the model again)."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def encoder(models_dir: Path):
    """The real model (OpenVINO when it is installed, as `normgraph` runs it), loaded once
    per test run."""
    from search_api.search.encoder import Encoder

    return Encoder(cache_dir=models_dir)


def build_searchable(root: Path, encoder, inputs: Inputs | None = None):
    """A release with its search indexes, built in-process with a shared encoder."""
    from search_api.search.encoder import MODELS_DIR
    from search_api.search.index import build_indexes

    settings = Settings.load(environ={}, release_dir=root)

    def finalize(path, manifest, previous, progress):
        build_indexes(path, manifest, previous, encoder, progress)

    release = build(settings, inputs or embedded_inputs(), silent(), finalize=finalize)
    models = root / MODELS_DIR
    if encoder.cache_dir and not models.exists():  # apps on this root find the export there
        models.symlink_to(encoder.cache_dir, target_is_directory=True)
    return release


@pytest.fixture(scope="session")
def search_root(release_root: Path) -> Path:
    """The shared release, named for tests that are about search."""
    return release_root


@pytest.fixture
def search_client(make_app, search_root):
    return make_app(search_root).test_client()


@pytest.fixture
def fresh_search_root(search_root: Path, tmp_path: Path) -> Path:
    return copy_release(search_root, tmp_path / "searchable")


@pytest.fixture
def rebuild_searchable(encoder):
    return lambda root: build_searchable(root, encoder)


WEB_FIXTURE = FIXTURES / "web" / "extras.ru"


def web_fixture_update(base_iri: str) -> str:
    """The web fixtures (a practice, a document with passages, an official wording) as a
    SPARQL update for a release whose base IRI is ``base_iri``."""
    return f"BASE <{base_iri}>\n" + WEB_FIXTURE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def web_root(tmp_path_factory: pytest.TempPathFactory, search_root: Path) -> Path:
    """The searchable release plus the web fixtures, applied through the real update path
    (POST /sparql with the token: stage, re-index, commit). Shared read-only."""
    from search_api.app import create_app

    root = copy_release(search_root, tmp_path_factory.mktemp("web") / "releases")
    settings = Settings.load(environ={}, release_dir=root, update_token="web", query_timeout=240)
    app = create_app(settings)
    try:
        response = app.test_client().post(
            "/sparql",
            data=web_fixture_update("https://w3id.org/normgraph/"),
            content_type="application/sparql-update",
            headers={"Authorization": "Bearer web"},
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    finally:
        app.extensions["normgraph"].close()
    return root


@pytest.fixture
def web_client(make_app, web_root):
    """A test client on the searchable release with the web fixtures."""
    return make_app(web_root).test_client()


# ---------------------------------------------------------------- a real server
def wait_ready(base: str, process: subprocess.Popen, release: str | None = None) -> str:
    """The release /readyz names once it is not ``release``; fail with the server's stderr."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            ready = requests.get(base + "readyz", timeout=2)
            if ready.status_code == 200 and ready.json()["release"] != release:
                return ready.json()["release"]
        except (requests.ConnectionError, requests.Timeout):  # not listening, or warming up
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.kill()
    pytest.fail("server did not become ready: " + process.stderr.read().decode()[-2000:])


# One port for the servers the tests start one after another, and one release built for
# it: each server serves a copy (a build with its model export costs most of a minute).
_SERVED_PORT: list[int] = []
_SERVED_BUILDS: dict[str, Path] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serving_port() -> int:
    """The session's serving port while it is free (the previous server has stopped), else
    a new free port (two servers at once)."""
    if not _SERVED_PORT:
        _SERVED_PORT.append(_free_port())
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            s.bind(("127.0.0.1", _SERVED_PORT[0]))
            return _SERVED_PORT[0]
        except OSError:
            return _free_port()


def _build_for(base: str, root: Path, env: dict[str, str]) -> None:
    """A release whose base IRI is ``base`` in ``root``: built once per base, then copied."""
    built = _SERVED_BUILDS.get(base)
    if built is not None:
        shutil.copytree(built, root, symlinks=True, dirs_exist_ok=True)
        return
    subprocess.run([NORMGRAPH, "build", "-q", "--base-iri", base], env=env, check=True)
    pristine = root.with_name(root.name + "-pristine")
    _SERVED_BUILDS[base] = copy_release(root, pristine)


@contextmanager
def served(root: Path, *options: str, build: bool = True, **settings: str) -> Iterator[dict]:
    """`normgraph serve` (gunicorn, 2 workers) on a loopback port, over a release built
    for that address (``build=False``: over the release ``root`` holds); ``options`` go to
    `normgraph serve` (``"--front"``), ``settings`` are NORMGRAPH_* variables
    (``QUERY_TIMEOUT="2"``)."""
    port = _serving_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NORMGRAPH_RELEASE_DIR": str(root)}
    env |= {f"NORMGRAPH_{name}": value for name, value in settings.items()}
    if build:
        _build_for(base, root, env)
    process = subprocess.Popen(
        [NORMGRAPH, "serve", "--port", str(port), "--workers", "2", *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    release = wait_ready(base, process)
    try:
        yield {"base": base, "root": root, "env": env, "process": process, "release": release}
    finally:
        process.terminate()
        process.wait(timeout=30)


# ---------------------------------------------------------------- external SPARQL engines
class Engines:
    """The external engines of this session, each started on first use and stopped at the
    end (tests/sparql_engines.py); ``settings(name, root)`` also loads ``root``'s current
    release into it, once (kg.publish skips a release the engine holds)."""

    def __init__(self, directory: Path) -> None:
        self.directory, self._stack, self._running = directory, ExitStack(), {}

    def get(self, name: str) -> dict[str, str]:
        from tests.sparql_engines import started

        if name not in self._running:
            home = self.directory / name
            home.mkdir()
            self._running[name] = self._stack.enter_context(started(name, home))
        return self._running[name]

    def settings(self, name: str, root: Path) -> dict[str, str]:
        """NORMGRAPH_SPARQL_URL / _LOAD (as Settings overrides) for an app on ``root``."""
        from kg.publish import publish
        from kg.release import Releases

        engine = self.get(name)
        releases = Releases(root)
        release = releases.current()
        settings = Settings.load(environ={}, release_dir=root, **engine)
        publish(settings, release.path, release.manifest, [p.name for p in releases.all()])
        return engine

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="session")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engines]:
    pool = Engines(tmp_path_factory.mktemp("engines"))
    yield pool
    pool.close()


def selected_rows(converted, fmt: str) -> int:
    """How many rows a SPARQLWrapper SELECT answer holds, whichever format it came in."""
    if fmt == "json":
        return len(converted["results"]["bindings"])
    if fmt == "xml":
        return len(converted.getElementsByTagName("result"))
    return len(converted.decode().strip().splitlines()) - 1  # CSV: a header line
