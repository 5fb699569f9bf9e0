"""The wheel ships the code and the curated data (non-editable installs can build)."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_packages_ontology_and_corpus(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("normgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "search_api/cli.py",
        "kg/examples/unmd-articles.rq",
        "ingest/__init__.py",
        "search_api/__init__.py",
        "kg/_data/ontology/normgraph.ttl",
        "kg/_data/ontology/shapes.ttl",
        "kg/_data/corpus/instruments/unmd-1992.yaml",
        # the web front: templates, worked queries and the libraries built by `make vendor`
        "search_api/templates/search.html",
        "search_api/queries/06-provisions-similar-to-a-phrase.rq",
        "search_api/static/normgraph.js",
        "search_api/static/vendor/yasgui.min.js",
        "search_api/static/vendor/yasgui.min.css",
        "search_api/static/vendor/cytoscape.min.js",
        "search_api/static/vendor/manifest.json",
    ):
        assert expected in names, expected
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "normgraph = search_api.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_package_finds_its_embedded_data():
    from kg.embedded import corpus_dir, ontology_dir

    assert (ontology_dir() / "normgraph.ttl").is_file()
    assert (corpus_dir() / "instruments" / "unmd-1992.yaml").is_file()
