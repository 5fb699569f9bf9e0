"""Releases are atomic: a failed or killed build leaves the previous release current and intact.

The builds here use the small fixture corpus: atomicity does not depend on the corpus's size,
and each build of it takes seconds instead of the embedded corpus's ten or more."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg import build as build_module
from kg.build import Inputs
from kg.embedded import ontology_dir
from kg.errors import BuildInProgress
from kg.release import Releases
from kg.store import open_read_only

SMALL_CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
# The fixture declaration's two articles.
ARTICLES = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a ng:Article ; "
    "ng:partOfInstrument <https://w3id.org/normgraph/id/instrument/test-decl> }"
)


@pytest.fixture
def build_small(build_release):
    """``build_small(root)``: a graph-only release of the fixture corpus."""
    return lambda root: build_release(root, Inputs(ontology_dir(), SMALL_CORPUS))


def _count_articles(store) -> int:
    from kg import sparql

    result = sparql.run(store, ARTICLES, "https://w3id.org/normgraph/")
    return int(next(iter(result.value))["n"].value)


def _snapshot(root):
    """Everything that must not change: the current pointer and its files' bytes."""
    current = Releases(root).current()
    files = {
        p.relative_to(current.path): p.read_bytes()
        for p in sorted(current.path.rglob("*"))
        if p.is_file() and p.name != "LOCK"
    }
    return os.readlink(root / "current"), files


def test_failure_mid_build_leaves_previous_release_current(tmp_path, build_small, monkeypatch):
    first = build_small(tmp_path)
    before = _snapshot(tmp_path)
    reader = open_read_only(first)  # a server worker holding the release open

    def boom(*args, **kwargs):
        raise RuntimeError("injected failure while writing the store")

    monkeypatch.setattr(build_module.stores, "census", boom)
    with pytest.raises(RuntimeError, match="injected"):
        build_small(tmp_path)

    assert _snapshot(tmp_path) == before
    assert Releases(tmp_path).current().id == first.id
    assert not list((tmp_path / "releases").glob(".staging-*")), "staging must be cleaned up"
    assert _count_articles(reader) == 2
    assert _count_articles(open_read_only(Releases(tmp_path).current())) == 2


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from kg import build, release
    from kg.config import Settings
    from kg.embedded import ontology_dir
    from kg.progress import silent

    where = sys.argv[2]
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    if where == "store":      # killed while the new store is being written
        build.stores.census = die
    else:                     # killed after the new release is complete, before the switch
        release.Releases._point_current_to = die
    settings = Settings.load(environ={}, release_dir=sys.argv[1])
    build.build(settings, build.Inputs(ontology_dir(), Path(sys.argv[3])), silent())
    """
)


@pytest.mark.parametrize("where", ["store", "switch"])
def test_build_killed_mid_way_leaves_previous_release_serving(tmp_path, build_small, where):
    first = build_small(tmp_path)
    before = _snapshot(tmp_path)
    reader = open_read_only(first)

    killed = subprocess.run(
        [sys.executable, "-c", KILLER, str(tmp_path), where, str(SMALL_CORPUS)], timeout=300
    )
    assert killed.returncode == -signal.SIGKILL

    assert _snapshot(tmp_path) == before
    assert _count_articles(reader) == 2
    assert _count_articles(open_read_only(Releases(tmp_path).current())) == 2

    # the next build sweeps the debris and switches normally
    second = build_small(tmp_path)
    assert Releases(tmp_path).current().id == second.id
    assert not list((tmp_path / "releases").glob(".staging-*"))


def test_a_second_writer_is_refused_while_one_builds(tmp_path):
    releases = Releases(tmp_path)
    with releases.stage(), pytest.raises(BuildInProgress), Releases(tmp_path).stage():
        pass


def test_old_releases_are_pruned_but_current_kept(tmp_path, build_small):
    ids = [build_small(tmp_path).id for _ in range(4)]
    kept = [p.name for p in Releases(tmp_path).all()]
    assert len(kept) == 3 and ids[-1] in kept and ids[0] not in kept
